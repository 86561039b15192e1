"""Moderating and answering in the admin: the proposal's ward's staff and the secretariat
only, whatever the id a request names."""

import pytest
from django.core import mail

from proposals.models import Answer, AnswerStatus, Proposal, ProposalState
from tests.factories import AnswerFactory, DepartmentFactory, ProposalFactory

pytestmark = pytest.mark.django_db

ADMIN = "/admin/proposals"


@pytest.fixture
def saiwai_proposals(saiwai):
    return {
        "confirmed": ProposalFactory(ward=saiwai, confirmed=True, title="幸区の確認済み"),
        "published": ProposalFactory(ward=saiwai, title="幸区の公開済み"),
        "answered": AnswerFactory(
            proposal=ProposalFactory(ward=saiwai, title="幸区の回答済み")
        ).proposal,
    }


def answer_data(department, **values):
    return {
        "status": AnswerStatus.PARTLY,
        "text": "一部を実施します。",
        "way_forward": "残りは町内会と協議のうえ、来年度に改めて検討します。",
        "department": department.pk,
        **values,
    }


def test_ward_staff_list_only_their_wards_confirmed_and_later_proposals(
    client, tama_staff, saiwai_proposals, tama
):
    own = ProposalFactory(ward=tama, confirmed=True)
    ProposalFactory(ward=tama, unconfirmed=True)
    client.force_login(tama_staff)

    response = client.get(f"{ADMIN}/proposal/")

    assert response.status_code == 200
    assert [p.pk for p in response.context["cl"].result_list] == [own.pk]


@pytest.mark.parametrize("kind", ["confirmed", "published", "answered"])
@pytest.mark.parametrize("action", ["change", "moderate", "answer"])
def test_staff_of_another_ward_cannot_open_a_proposal_by_its_id(
    client, tama_staff, saiwai_proposals, kind, action
):
    client.force_login(tama_staff)
    proposal = saiwai_proposals[kind]

    assert client.get(f"{ADMIN}/proposal/{proposal.pk}/{action}/").status_code == 404


def test_staff_of_another_ward_cannot_moderate_or_answer_by_posting(
    client, tama_staff, saiwai_proposals, tama
):
    client.force_login(tama_staff)
    tama_department = DepartmentFactory(ward=tama)
    confirmed, published, answered = saiwai_proposals.values()

    responses = [
        client.post(f"{ADMIN}/proposal/{confirmed.pk}/moderate/", {"decision": "publish"}),
        client.post(
            f"{ADMIN}/proposal/{confirmed.pk}/moderate/", {"decision": "reject", "reason": "x"}
        ),
        client.post(f"{ADMIN}/proposal/{published.pk}/answer/", answer_data(tama_department)),
        client.post(f"{ADMIN}/proposal/{answered.pk}/answer/", answer_data(tama_department)),
        client.post(f"{ADMIN}/proposal/{published.pk}/change/", {"initiative": ""}),
        client.post(f"{ADMIN}/answer/{answered.answer.pk}/change/", {"text": "書き換え"}),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404, 404, 404]
    confirmed.refresh_from_db()
    assert confirmed.state == ProposalState.CONFIRMED
    assert Answer.objects.count() == 1
    assert Answer.objects.get().text == AnswerFactory.text
    assert not mail.outbox


def test_staff_of_another_ward_see_no_answers_nor_their_history(
    client, tama_staff, saiwai_proposals
):
    client.force_login(tama_staff)
    answer = saiwai_proposals["answered"].answer

    assert client.get(f"{ADMIN}/answer/").context["cl"].result_list.count() == 0
    assert client.get(f"{ADMIN}/answer/{answer.pk}/change/").status_code in (403, 404)
    assert client.get(f"{ADMIN}/answer/{answer.pk}/history/").status_code in (403, 404)


def test_the_queue_shows_only_the_wards_unanswered_published_proposals(
    client, tama_staff, saiwai_staff, saiwai_proposals
):
    client.force_login(tama_staff)
    assert list(client.get(f"{ADMIN}/proposal/queue/").context["page_obj"]) == []

    client.force_login(saiwai_staff)
    response = client.get(f"{ADMIN}/proposal/queue/")
    assert [p.pk for p in response.context["page_obj"]] == [saiwai_proposals["published"].pk]


def test_the_queue_lists_the_longest_waiting_first_with_its_wait(client, secretariat, saiwai, tama):
    import datetime

    from django.utils import timezone

    now = timezone.now()
    newer = ProposalFactory(ward=saiwai, published_at=now - datetime.timedelta(days=2))
    older = ProposalFactory(ward=saiwai, published_at=now - datetime.timedelta(days=30))
    other_ward = ProposalFactory(ward=tama, published_at=now - datetime.timedelta(days=5))
    client.force_login(secretariat)

    response = client.get(f"{ADMIN}/proposal/queue/")

    pages = list(response.context["page_obj"])
    assert [p.pk for p in pages] == [older.pk, newer.pk, other_ward.pk]  # by ward, oldest first
    assert [p.waited_days for p in pages] == [30, 2, 5]
    assert "30日" in response.text


@pytest.mark.parametrize(
    ("decision", "status_code", "state"),
    [("publish", 302, ProposalState.PUBLISHED), ("reject", 400, ProposalState.CONFIRMED)],
    ids=["publishing-publishes-it", "a-rejection-without-a-reason-is-refused"],
)
def test_ward_staff_moderate_their_confirmed_proposal(
    client, saiwai_staff, saiwai_proposals, decision, status_code, state
):
    client.force_login(saiwai_staff)
    proposal = saiwai_proposals["confirmed"]

    response = client.post(f"{ADMIN}/proposal/{proposal.pk}/moderate/", {"decision": decision})

    assert response.status_code == status_code
    proposal.refresh_from_db()
    assert proposal.state == state


def test_the_answer_form_refuses_difficult_without_a_way_forward(
    client, saiwai_staff, saiwai_proposals, saiwai_department
):
    client.force_login(saiwai_staff)
    proposal = saiwai_proposals["published"]

    response = client.post(
        f"{ADMIN}/proposal/{proposal.pk}/answer/",
        answer_data(saiwai_department, status=AnswerStatus.DIFFICULT, way_forward=""),
    )

    assert response.status_code == 400
    assert "道のひらき方" in response.text
    assert not Answer.objects.filter(proposal=proposal).exists()


def test_ward_staff_answer_and_change_an_answer_whose_history_shows(
    client, saiwai_staff, saiwai_proposals, saiwai_department
):
    client.force_login(saiwai_staff)
    proposal = saiwai_proposals["published"]
    url = f"{ADMIN}/proposal/{proposal.pk}/answer/"

    assert client.post(url, answer_data(saiwai_department)).status_code == 302
    assert (
        client.post(
            url, answer_data(saiwai_department, status=AnswerStatus.WILL_DO, way_forward="")
        ).status_code
        == 302
    )

    answer = Answer.objects.get(proposal=proposal)
    assert answer.status == AnswerStatus.WILL_DO
    assert answer.history.count() == 2
    page = client.get(url)
    assert page.status_code == 200
    assert len(page.context["history"]) == 2
    assert client.get(f"{ADMIN}/answer/{answer.pk}/history/").status_code == 200
    assert len(mail.outbox) == 2


def test_an_answer_cannot_be_signed_by_another_wards_department(
    client, saiwai_staff, saiwai_proposals, tama
):
    client.force_login(saiwai_staff)
    proposal = saiwai_proposals["published"]

    response = client.post(
        f"{ADMIN}/proposal/{proposal.pk}/answer/", answer_data(DepartmentFactory(ward=tama))
    )

    assert response.status_code == 400
    assert not Answer.objects.filter(proposal=proposal).exists()


def test_the_email_address_is_not_shown_to_staff(client, secretariat, saiwai_proposals):
    client.force_login(secretariat)
    proposal = saiwai_proposals["confirmed"]

    for path in [
        "proposal/",
        f"proposal/{proposal.pk}/change/",
        f"proposal/{proposal.pk}/moderate/",
    ]:
        response = client.get(f"{ADMIN}/{path}")
        assert response.status_code == 200
        assert proposal.email not in response.text


def test_the_secretariat_moderates_any_ward(client, secretariat, saiwai_proposals):
    client.force_login(secretariat)
    proposal = saiwai_proposals["confirmed"]

    client.post(
        f"{ADMIN}/proposal/{proposal.pk}/moderate/", {"decision": "reject", "reason": "個人情報"}
    )

    proposal.refresh_from_db()
    assert proposal.state == ProposalState.REJECTED
    assert Proposal.objects.filter(state=ProposalState.REJECTED).count() == 1


def test_staff_link_a_proposal_to_their_wards_initiative_only(
    client, secretariat, saiwai_proposals, tama
):
    from tests.factories import InitiativeFactory

    client.force_login(secretariat)
    proposal = saiwai_proposals["published"]
    own = InitiativeFactory(ward=proposal.ward)
    other = InitiativeFactory(ward=tama)
    url = f"{ADMIN}/proposal/{proposal.pk}/change/"

    refused = client.post(url, {"initiative": other.pk})
    linked = client.post(url, {"initiative": own.pk})

    assert refused.status_code == 200
    assert "提案先の区の取組を選んでください。" in refused.text
    assert linked.status_code == 302
    proposal.refresh_from_db()
    assert proposal.initiative == own


def test_staff_link_a_proposal_to_their_wards_commitment_only(
    client, secretariat, saiwai_staff, saiwai_proposals, tama
):
    from tests.factories import CommitmentFactory, InitiativeFactory

    proposal = saiwai_proposals["published"]
    own = CommitmentFactory(initiative=InitiativeFactory(ward=proposal.ward))
    other = CommitmentFactory(initiative=InitiativeFactory(ward=tama))
    url = f"{ADMIN}/proposal/{proposal.pk}/change/"

    # The secretariat sees every ward's commitments: the form refuses another ward's.
    client.force_login(secretariat)
    refused = client.post(url, {"commitment": other.pk})
    assert refused.status_code == 200
    assert "提案先の区の約束を選んでください。" in refused.text
    # The ward's staff cannot even choose another ward's: it is not among their choices.
    client.force_login(saiwai_staff)
    assert client.post(url, {"commitment": other.pk}).status_code == 200
    proposal.refresh_from_db()
    assert proposal.commitment is None

    linked = client.post(url, {"commitment": own.pk})
    assert linked.status_code == 302
    proposal.refresh_from_db()
    assert proposal.commitment == own
