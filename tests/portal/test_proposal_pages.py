"""The public proposal pages: sending, confirming, reading."""

import re

import pytest
from django.core import mail

from proposals import services
from proposals.models import AnswerStatus, Proposal, ProposalState
from tests.factories import (
    AnswerFactory,
    CommitmentFactory,
    DepartmentFactory,
    InitiativeFactory,
    ProposalFactory,
    VisionFactory,
    ward,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def saiwai(db):
    return ward("saiwai")


@pytest.fixture
def tama(db):
    return ward("tama")


NEW = "/proposals/new/"
LIST = "/proposals/"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"


def form_data(ward, **values):
    return {
        "ward": ward.pk,
        "title": "公園に花壇を",
        "text": "地域で花壇を手入れしたい。\r\n相談先を教えてください。",
        "display_name": "",
        "email": "hanako@example.jp",
        "agree": "on",
        "website": "",
        **values,
    }


def confirmation_path(message) -> str:
    return re.search(r"http://testserver(\S*/proposals/confirm/\S+/)", message.body).group(1)


# --- Sending ---------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_form_shows_the_privacy_notice_and_asks_for_agreement(client, saiwai, prefix):
    response = client.get(f"{prefix}{NEW}?ward=saiwai")

    assert response.status_code == 200
    text = response.text
    assert "個人情報の取扱い" in text
    assert 'name="agree"' in text
    assert 'type="checkbox"' in text
    assert 'name="website"' in text  # the honeypot, hidden by the stylesheet
    assert response.context["form"]["ward"].value() == saiwai.pk


def test_a_sent_proposal_is_unconfirmed_and_never_listed(client, saiwai):
    response = client.post(NEW, form_data(saiwai))

    assert response.status_code == 302
    assert response["Location"] == "/proposals/sent/"
    proposal = Proposal.objects.get()
    assert proposal.state == ProposalState.UNCONFIRMED
    assert proposal.text == "地域で花壇を手入れしたい。\n相談先を教えてください。"
    assert proposal.language == "ja"
    assert len(mail.outbox) == 1
    assert proposal.title not in client.get(LIST).text
    assert client.get(proposal.get_absolute_url()).status_code == 404
    assert proposal.title not in client.get(saiwai.get_absolute_url()).text


def test_a_confirmed_proposal_is_not_public_until_published(client, saiwai, secretariat):
    client.post(NEW, form_data(saiwai))
    path = confirmation_path(mail.outbox[0])

    assert client.get(path).status_code == 200  # a button: following the link confirms nothing
    assert Proposal.objects.get().state == ProposalState.UNCONFIRMED
    confirmed = client.post(path)

    assert confirmed.status_code == 200
    proposal = Proposal.objects.get()
    assert proposal.state == ProposalState.CONFIRMED
    assert proposal.title not in client.get(LIST).text
    assert client.get(proposal.get_absolute_url()).status_code == 404

    services.proposal_publish(proposal_id=proposal.pk, actor=secretariat, site_url="")
    assert proposal.title in client.get(LIST).text
    assert client.get(proposal.get_absolute_url()).status_code == 200


def test_an_english_sender_gets_english_mails_and_links(client, saiwai):
    client.post(f"/en{NEW}", form_data(saiwai))

    assert Proposal.objects.get().language == "en"
    assert "/en/proposals/confirm/" in mail.outbox[0].body
    assert "Please confirm" in mail.outbox[0].subject


def test_the_confirmation_link_cannot_be_reused(client, saiwai):
    client.post(NEW, form_data(saiwai))
    path = confirmation_path(mail.outbox[0])
    client.post(path)

    again = client.post(path)
    shown = client.get(path)

    assert again.status_code == 409
    assert shown.status_code == 409
    assert "確認済み" in again.text


def test_a_forged_confirmation_link_gets_a_clear_page(client, saiwai):
    client.post(NEW, form_data(saiwai))
    path = confirmation_path(mail.outbox[0])
    forged = path[:-3] + ("x/" if path[-3] != "x" else "y/")

    for response in (
        client.get(forged),
        client.post(forged),
        client.get("/proposals/confirm/1:abc/"),
    ):
        assert response.status_code == 400
        assert "無効" in response.text
    assert Proposal.objects.get().state == ProposalState.UNCONFIRMED


def test_an_expired_confirmation_link_gets_a_clear_page(client, saiwai, settings):
    client.post(NEW, form_data(saiwai))
    path = confirmation_path(mail.outbox[0])
    settings.PROPOSAL_CONFIRMATION_MAX_AGE = -1

    response = client.post(path)

    assert response.status_code == 410
    assert "期限" in response.text
    assert Proposal.objects.get().state == ProposalState.UNCONFIRMED


def test_errors_are_listed_at_the_top_and_tied_to_their_fields(client, saiwai):
    response = client.post(NEW, form_data(saiwai, title="", email="no-address", agree=""))

    assert response.status_code == 400
    html = response.text
    assert 'role="alert"' in html
    for field in ("title", "email", "agree"):
        assert f'href="#id_{field}"' in html
        assert re.search(
            rf'<input[^>]*aria-invalid="true"[^>]*id="id_{field}"|<input[^>]*id="id_{field}"[^>]*aria-invalid="true"',
            html,
        ), field
    assert not Proposal.objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "あ" * 121),
        ("text", "あ" * 4001),
        ("display_name", "あ" * 51),
        ("text", "NUL\x00"),
    ],
)
def test_oversized_or_broken_input_is_refused(client, saiwai, field, value):
    response = client.post(NEW, form_data(saiwai, **{field: value}))

    assert response.status_code == 400
    assert not Proposal.objects.exists()


def test_a_filled_honeypot_looks_sent_but_saves_and_mails_nothing(client, saiwai):
    response = client.post(NEW, form_data(saiwai, website="http://spam.example"))

    assert response.status_code == 302
    assert not Proposal.objects.exists()
    assert not mail.outbox


def test_the_rate_limit_per_client_address_holds(client, saiwai, settings):
    settings.PROPOSAL_RATE_PER_ADDRESS = "2/h"

    statuses = [
        client.post(NEW, form_data(saiwai, email=f"p{i}@example.jp")).status_code for i in range(4)
    ]
    other_address = client.post(
        NEW, form_data(saiwai, email="p9@example.jp"), REMOTE_ADDR="192.0.2.7"
    )

    assert statuses == [302, 302, 429, 429]
    assert other_address.status_code == 302
    assert Proposal.objects.count() == 3


def test_the_rate_limit_per_email_address_holds_across_client_addresses(client, saiwai, settings):
    settings.PROPOSAL_RATE_PER_EMAIL = "1/h"

    first = client.post(NEW, form_data(saiwai), REMOTE_ADDR="192.0.2.1")
    second = client.post(NEW, form_data(saiwai, email="HANAKO@example.jp"), REMOTE_ADDR="192.0.2.2")

    assert first.status_code == 302
    assert second.status_code == 429
    assert second["Retry-After"] == "3600"
    assert Proposal.objects.count() == 1


# --- Reading ---------------------------------------------------------------------------


def test_a_proposal_page_shows_its_answer_with_the_way_forward_first(client, saiwai):
    answer = AnswerFactory(proposal=ProposalFactory(ward=saiwai, display_name=""))

    response = client.get(answer.proposal.get_absolute_url())

    html = response.text
    assert response.status_code == 200
    assert "道のひらき方" in html
    assert html.index(answer.way_forward) < html.index(answer.text)
    assert "匿名" in html
    assert answer.proposal.email not in html
    assert "現状では難しい" in html


def test_an_answers_earlier_versions_show_on_its_page(client, saiwai):
    answer = AnswerFactory(proposal=ProposalFactory(ward=saiwai), text="最初の回答")
    answer.status = AnswerStatus.WILL_DO
    answer.text = "実施します。"
    answer.way_forward = ""
    answer.save()

    response = client.get(answer.proposal.get_absolute_url())

    assert response.context["earlier_answers"][0].text == "最初の回答"
    assert "最初の回答" in response.text


def test_the_list_filters_by_ward_status_vision_and_fiscal_year_with_counts(
    client, saiwai, tama, settings
):
    # Each address is asked more than once for its context: rendered each time.
    settings.PAGE_CACHE_ENABLED = False
    vision = VisionFactory()
    answered = AnswerFactory(proposal=ProposalFactory(ward=saiwai, vision=vision)).proposal
    waiting = ProposalFactory(ward=saiwai)
    in_tama = ProposalFactory(ward=tama)

    def listed(query):
        return {p.pk for p in client.get(f"{LIST}?{query}").context["proposal_list"]}

    assert listed("ward=saiwai") == {answered.pk, waiting.pk}
    assert listed("status=difficult") == {answered.pk}
    assert listed("status=none") == {waiting.pk, in_tama.pk}
    assert listed(f"vision={vision.number}") == {answered.pk}
    assert listed(f"fy={answered.fiscal_year}") == {answered.pk, waiting.pk, in_tama.pk}
    assert listed(f"fy={answered.fiscal_year - 1}") == set()
    facets = {
        f.name: {o.value: o.count for o in f.options}
        for f in client.get(f"{LIST}?ward=saiwai").context["facets"]
    }
    assert facets["ward"] == {"saiwai": 2, "tama": 1}
    assert facets["status"] == {"none": 1, "difficult": 1}
    assert facets["fy"] == {str(answered.fiscal_year): 2}


def test_a_filter_that_does_not_parse_is_ignored_with_a_notice(client, saiwai):
    ProposalFactory(ward=saiwai)

    response = client.get(f"{LIST}?ward=nowhere&fy=abc&status=maybe&vision=x\x00")

    assert response.status_code == 200
    assert len(response.context["proposal_list"]) == 1
    assert response.context["notices"]


def test_fiscal_years_show_in_both_forms(client, saiwai):
    import datetime

    from django.utils import timezone

    sent = timezone.make_aware(datetime.datetime(2024, 6, 1, 10, 0))
    proposal = ProposalFactory(ward=saiwai, created_at=sent)

    assert "令和6年度（2024年度）" in client.get(LIST).text
    assert "令和6年度（2024年度）" in client.get(proposal.get_absolute_url()).text
    assert "FY2024 (Reiwa 6)" in client.get(f"/en{LIST}").text


def test_the_ward_page_shows_its_proposals_and_how_many_are_answered(client, saiwai, tama):
    AnswerFactory(proposal=ProposalFactory(ward=saiwai, title="回答済みの提案"))
    ProposalFactory(ward=saiwai, title="回答待ちの提案")
    ProposalFactory(ward=saiwai, confirmed=True, title="未公開の提案")
    ProposalFactory(ward=tama, title="多摩区の提案")

    response = client.get(saiwai.get_absolute_url())

    assert response.status_code == 200
    html = response.text
    assert "回答済みの提案" in html
    assert "回答待ちの提案" in html
    assert "未公開の提案" not in html
    assert "多摩区の提案" not in html
    assert "公開中の提案2件、うち1件に回答済み。" in html


def test_a_proposal_that_led_to_an_initiative_is_linked_both_ways(client, saiwai):
    initiative = InitiativeFactory(ward=saiwai)
    proposal = ProposalFactory(ward=saiwai, initiative=initiative, title="取組になった提案")

    assert initiative.get_absolute_url() in client.get(proposal.get_absolute_url()).text
    initiative_page = client.get(initiative.get_absolute_url()).text
    assert "取組になった提案" in initiative_page
    assert proposal.get_absolute_url() in initiative_page


def test_a_proposal_that_led_to_a_commitment_is_linked_both_ways(client, saiwai, settings):
    settings.PAGE_CACHE_ENABLED = False
    commitment = CommitmentFactory(
        initiative=InitiativeFactory(ward=saiwai), text="子どもの遊び場を3か所つくる。"
    )
    proposal = ProposalFactory(ward=saiwai, commitment=commitment, title="約束になった提案")

    proposal_page = client.get(proposal.get_absolute_url()).text
    assert commitment.get_absolute_url() in proposal_page
    assert "子どもの遊び場を3か所つくる。" in proposal_page
    assert "きっかけとなった約束" in proposal_page
    assert commitment.get_status_display() in proposal_page
    for page in (commitment.initiative.get_absolute_url(), "/progress/"):
        html = client.get(page).text
        assert "約束になった提案" in html, page
        assert proposal.get_absolute_url() in html, page


def test_an_unpublished_proposal_never_shows_on_its_commitments_side(client, saiwai, settings):
    settings.PAGE_CACHE_ENABLED = False
    commitment = CommitmentFactory(initiative=InitiativeFactory(ward=saiwai))
    hidden = [
        ProposalFactory(ward=saiwai, commitment=commitment, unconfirmed=True, title="未確認"),
        ProposalFactory(ward=saiwai, commitment=commitment, confirmed=True, title="未公開"),
        ProposalFactory(
            ward=saiwai,
            commitment=commitment,
            state=ProposalState.REJECTED,
            rejection_reason="重複",
            published_at=None,
            title="不掲載",
        ),
    ]
    for page in (commitment.initiative.get_absolute_url(), "/progress/"):
        html = client.get(page).text
        assert commitment.text in html, page
        assert "きっかけとなった区民の提案" not in html, page
        for proposal in hidden:
            assert proposal.title not in html, page
            assert proposal.get_absolute_url() not in html, page


def test_a_commitment_of_an_unpublished_initiative_is_not_linked_from_a_proposal(client, saiwai):
    commitment = CommitmentFactory(initiative=InitiativeFactory(ward=saiwai, draft=True))
    proposal = ProposalFactory(ward=saiwai, commitment=commitment)

    html = client.get(proposal.get_absolute_url()).text
    assert commitment.text not in html
    assert commitment.get_absolute_url() not in html


# --- Text is text ----------------------------------------------------------------------


def test_xss_payloads_show_as_text_on_every_page_and_in_every_email(client, saiwai, secretariat):
    initiative = InitiativeFactory(ward=saiwai)
    client.post(NEW, form_data(saiwai, title=XSS[:120], text=XSS, display_name=XSS[:50]))
    confirm_path = confirmation_path(mail.outbox[0])
    confirm_page = client.get(confirm_path)
    client.post(confirm_path)
    proposal = Proposal.objects.get()
    Proposal.objects.filter(pk=proposal.pk).update(initiative=initiative)
    department = DepartmentFactory(ward=saiwai, name="地域振興課")
    client.force_login(secretariat)
    admin_pages = [
        client.get(f"/admin/proposals/proposal/{proposal.pk}/moderate/"),
        client.get("/admin/proposals/proposal/"),
    ]
    client.post(f"/admin/proposals/proposal/{proposal.pk}/moderate/", {"decision": "publish"})
    answer = {
        "status": AnswerStatus.DIFFICULT,
        "text": XSS,
        "way_forward": XSS,
        "department": department.pk,
    }
    client.post(f"/admin/proposals/proposal/{proposal.pk}/answer/", answer)
    admin_pages += [
        client.get(f"/admin/proposals/proposal/{proposal.pk}/answer/"),
        client.get("/admin/proposals/proposal/queue/"),
        client.get(f"/admin/proposals/proposal/{proposal.pk}/change/"),
    ]
    client.logout()
    pages = [
        confirm_page,
        client.get(LIST),
        client.get(proposal.get_absolute_url()),
        client.get(f"/en{proposal.get_absolute_url()}"),
        client.get(saiwai.get_absolute_url()),
        client.get(initiative.get_absolute_url()),
        client.get("/search/?q=alert"),
        *admin_pages,
    ]

    for response in pages:
        assert response.status_code == 200, response.request["PATH_INFO"]
        assert "<script>alert" not in response.text, response.request["PATH_INFO"]
        assert "<img src=x" not in response.text, response.request["PATH_INFO"]
    assert ESCAPED in pages[2].text
    assert len(mail.outbox) == 3  # confirmation, publication, answer
    for message in mail.outbox:
        assert not getattr(message, "alternatives", [])  # plain text only, no HTML part
        assert message.content_subtype == "plain"
        assert "&lt;" not in message.body  # the text as typed, not HTML-escaped
    assert XSS in mail.outbox[0].body
    assert XSS in mail.outbox[2].body


# --- Query counts ----------------------------------------------------------------------


def make_proposals(saiwai, tama, size):
    vision = VisionFactory()
    for each in (saiwai, tama):
        for i in range(size):
            proposal = ProposalFactory(ward=each, vision=vision if i % 2 else None)
            if i % 3:
                AnswerFactory(proposal=proposal)
        ProposalFactory(ward=each, unconfirmed=True)
        ProposalFactory(ward=each, confirmed=True)


@pytest.mark.parametrize("size", [2, 12])
@pytest.mark.parametrize(("query", "queries"), [("", 8), ("?ward=saiwai&status=difficult", 9)])
def test_the_list_costs_the_same_queries_whatever_the_data(
    client, saiwai, tama, django_assert_num_queries, size, query, queries
):
    # The page's rows and their count; per facet (ward, vision) its options and counts,
    # the answer statuses counted, the fiscal years counted; the chosen wards looked up.
    make_proposals(saiwai, tama, size)
    with django_assert_num_queries(queries):
        assert client.get(f"{LIST}{query}").status_code == 200


@pytest.mark.parametrize("size", [2, 12])
def test_a_proposal_page_costs_two_queries_whatever_the_data(
    client, saiwai, tama, django_assert_num_queries, size
):
    # The proposal with its ward, vision, case, initiative, commitment (and its initiative),
    # answer and department; the answer's earlier versions.
    make_proposals(saiwai, tama, size)
    commitment = CommitmentFactory(initiative=InitiativeFactory(ward=saiwai))
    answer = AnswerFactory(proposal=ProposalFactory(ward=saiwai, commitment=commitment))
    for i in range(size):
        answer.text = f"回答{i}"
        answer.save()
    with django_assert_num_queries(2):
        assert client.get(answer.proposal.get_absolute_url()).status_code == 200


def test_a_list_seen_before_costs_one_query_until_a_proposal_changes(
    client, saiwai, tama, secretariat, django_assert_num_queries, settings
):
    # The count, the facets and the filter form come from the cache; the page's rows not.
    # (Without the whole-page cache, which would serve the page with no query at all.)
    settings.PAGE_CACHE_ENABLED = False
    make_proposals(saiwai, tama, 3)
    client.get(LIST)
    with django_assert_num_queries(1):
        assert client.get(LIST).status_code == 200
    confirmed = Proposal.objects.filter(state=ProposalState.CONFIRMED).first()
    services.proposal_publish(proposal_id=confirmed.pk, actor=secretariat, site_url="")
    response = client.get(LIST)
    assert response.context["paginator"].count == 7
    with django_assert_num_queries(1):
        assert client.get(LIST).status_code == 200
