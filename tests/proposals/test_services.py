import re
import time

import pytest
from django.core import mail, signing
from django.core.exceptions import PermissionDenied

from proposals import confirmation, services
from proposals.models import Answer, AnswerStatus, Proposal, ProposalState
from tests.factories import DepartmentFactory, ProposalFactory, user_with_role
from wards.roles import Role

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


def submit(ward, **kwargs):
    values = {
        "ward": ward,
        "title": "公園に花壇を",
        "text": "花壇を地域で手入れしたい。",
        "email": "hanako@example.jp",
        "site_url": SITE,
        **kwargs,
    }
    return services.proposal_submit(**values)


def save_answer(proposal, actor, department, **answer):
    """``actor`` answers ``proposal`` through the service, signed by ``department``: the
    answer's ``status`` and ``text``, and its ``way_forward`` (none unless given)."""
    values = {"way_forward": "", **answer}
    return services.answer_save(
        proposal_id=proposal.pk, actor=actor, department=department, site_url=SITE, **values
    )


def link_token(message) -> str:
    return re.search(r"/proposals/confirm/([^/\s]+)/", message.body).group(1)


def test_a_new_proposal_is_unconfirmed_and_its_sender_gets_a_plain_text_link(saiwai):
    proposal = submit(saiwai)

    assert proposal.state == ProposalState.UNCONFIRMED
    assert proposal.confirmed_at is None
    [message] = mail.outbox
    assert message.to == ["hanako@example.jp"]
    assert not getattr(message, "alternatives", [])  # no HTML part
    assert f"{SITE}/proposals/confirm/" in message.body
    assert "48" in message.body


def test_the_link_confirms_the_proposal_once(saiwai):
    submit(saiwai)
    token = link_token(mail.outbox[0])

    proposal = services.proposal_confirm(token=token)

    assert proposal.state == ProposalState.CONFIRMED
    assert proposal.confirmed_at is not None
    assert proposal.confirmation_key == ""
    with pytest.raises(confirmation.ConfirmationError) as refused:
        services.proposal_confirm(token=token)
    assert refused.value.code == "used"


def test_a_forged_link_is_refused(saiwai):
    proposal = submit(saiwai)
    token = link_token(mail.outbox[0])
    other = submit(saiwai, email="other@example.jp")
    # Another proposal's id under the first one's signature; a signature of another salt.
    forged = [
        token.replace(f"{proposal.pk}:", f"{other.pk}:", 1),
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        signing.TimestampSigner(salt="another").sign(f"{other.pk}:{other.confirmation_key}"),
        "nonsense",
    ]

    for token in forged:
        with pytest.raises(confirmation.ConfirmationError) as refused:
            services.proposal_confirm(token=token)
        assert refused.value.code == "forged", token
    assert not Proposal.objects.exclude(state=ProposalState.UNCONFIRMED).exists()


def signed_ago(monkeypatch, seconds: int) -> None:
    """Links signed from now on carry a time ``seconds`` in the past."""
    monkeypatch.setattr(
        signing.TimestampSigner,
        "timestamp",
        lambda self: signing.b62_encode(int(time.time()) - seconds),
    )


def test_a_link_is_refused_after_it_expires(saiwai, monkeypatch):
    signed_ago(monkeypatch, 48 * 3600 + 60)
    submit(saiwai)
    token = link_token(mail.outbox[0])

    with pytest.raises(confirmation.ConfirmationError) as refused:
        services.proposal_confirm(token=token)

    assert refused.value.code == "expired"
    assert Proposal.objects.get().state == ProposalState.UNCONFIRMED


def test_a_link_works_until_it_expires(saiwai, monkeypatch):
    signed_ago(monkeypatch, 48 * 3600 - 60)
    submit(saiwai)
    token = link_token(mail.outbox[0])

    assert services.proposal_confirm(token=token).state == ProposalState.CONFIRMED


def test_ward_staff_publish_their_wards_proposal_and_the_resident_is_told(saiwai):
    staff = user_with_role(Role.WARD_STAFF, "saiwai")
    proposal = ProposalFactory(ward=saiwai, confirmed=True)

    assert services.proposal_publish(proposal_id=proposal.pk, actor=staff, site_url=SITE)

    proposal.refresh_from_db()
    assert proposal.state == ProposalState.PUBLISHED
    assert proposal.published_at is not None
    assert mail.outbox[-1].to == [proposal.email]
    assert proposal.get_absolute_url() in mail.outbox[-1].body


def test_a_rejection_sends_its_reason(saiwai):
    staff = user_with_role(Role.WARD_STAFF, "saiwai")
    proposal = ProposalFactory(ward=saiwai, confirmed=True)

    assert services.proposal_reject(proposal_id=proposal.pk, actor=staff, reason="個人名を含むため")

    proposal.refresh_from_db()
    assert proposal.state == ProposalState.REJECTED
    assert "個人名を含むため" in mail.outbox[-1].body


def test_a_proposal_is_decided_once(saiwai):
    staff = user_with_role(Role.WARD_STAFF, "saiwai")
    proposal = ProposalFactory(ward=saiwai, confirmed=True)
    services.proposal_publish(proposal_id=proposal.pk, actor=staff, site_url=SITE)

    assert not services.proposal_reject(proposal_id=proposal.pk, actor=staff, reason="重複")
    assert not services.proposal_publish(proposal_id=proposal.pk, actor=staff, site_url=SITE)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.PUBLISHED


def test_an_unconfirmed_proposal_cannot_be_published(saiwai):
    staff = user_with_role(Role.SECRETARIAT)
    proposal = ProposalFactory(ward=saiwai, unconfirmed=True)

    assert not services.proposal_publish(proposal_id=proposal.pk, actor=staff, site_url=SITE)


def test_staff_of_another_ward_are_refused_by_the_services(saiwai, tama):
    tama_staff = user_with_role(Role.WARD_STAFF, "tama")
    confirmed = ProposalFactory(ward=saiwai, confirmed=True)
    published = ProposalFactory(ward=saiwai)
    department = DepartmentFactory(ward=tama)

    with pytest.raises(PermissionDenied):
        services.proposal_publish(proposal_id=confirmed.pk, actor=tama_staff, site_url=SITE)
    with pytest.raises(PermissionDenied):
        services.proposal_reject(proposal_id=confirmed.pk, actor=tama_staff, reason="x")
    with pytest.raises(PermissionDenied):
        save_answer(
            published, tama_staff, department, status=AnswerStatus.WILL_DO, text="実施します"
        )
    confirmed.refresh_from_db()
    assert confirmed.state == ProposalState.CONFIRMED
    assert not Answer.objects.exists()


def test_the_secretariat_answers_any_ward_and_each_answer_is_a_version_the_resident_hears_of(
    saiwai, saiwai_department
):
    secretariat = user_with_role(Role.SECRETARIAT)
    proposal = ProposalFactory(ward=saiwai)
    save_answer(
        proposal,
        secretariat,
        saiwai_department,
        status=AnswerStatus.CONSIDERING,
        text="検討します。",
        way_forward="来年度の予算で検討します。",
    )
    save_answer(
        proposal, secretariat, saiwai_department, status=AnswerStatus.WILL_DO, text="実施します。"
    )

    answer = Answer.objects.get()
    assert answer.status == AnswerStatus.WILL_DO
    assert [v.status for v in answer.history.order_by("history_date")] == ["considering", "will-do"]
    assert answer.history.first().history_user == secretariat
    assert len(mail.outbox) == 2
    assert "来年度の予算で検討します。" in mail.outbox[0].body


def test_the_service_refuses_an_answer_without_its_way_forward(saiwai, saiwai_department):
    from django.core.exceptions import ValidationError

    staff = user_with_role(Role.WARD_STAFF, "saiwai")
    proposal = ProposalFactory(ward=saiwai)

    with pytest.raises(ValidationError):
        save_answer(
            proposal, staff, saiwai_department, status=AnswerStatus.DIFFICULT, text="難しい"
        )
    assert not mail.outbox
