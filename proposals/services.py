"""Writes on proposals and answers.

Staff's writes take the ``actor`` and act only on the proposals that account handles
(its own ward's; the secretariat's, every ward's): another ward's proposal is refused
here whatever the admin lets through. State changes are conditional UPDATEs on the
state the change starts from, so two moderators cannot both decide one proposal.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from proposals import confirmation, notifications
from proposals.models import Answer, Proposal, ProposalState
from proposals.signals import proposals_changed


def _url(site_url: str, proposal, name: str = "proposals:detail", **kwargs) -> str:
    with translation.override(proposal.language):
        return site_url + reverse(name, kwargs=kwargs or {"pk": proposal.pk})


def proposal_submit(
    *,
    ward,
    title: str,
    text: str,
    email: str,
    display_name: str = "",
    vision=None,
    case_study=None,
    language: str = "ja",
    site_url: str,
) -> Proposal:
    """Save a resident's proposal, unconfirmed, and mail them its confirmation link."""
    proposal = Proposal.objects.create(
        ward=ward,
        title=title,
        text=text,
        email=email,
        display_name=display_name,
        vision=vision,
        case_study=case_study,
        language=language,
        confirmation_key=confirmation.new_key(),
    )
    token = confirmation.make_token(proposal)
    notifications.send_confirmation(
        proposal,
        url=_url(site_url, proposal, "proposals:confirm", token=token),
        hours=confirmation.max_age() // 3600,
    )
    return proposal


def proposal_confirm(*, token: str) -> Proposal:
    """Confirm the address behind a link: the proposal now awaits moderation.

    Raises ``ConfirmationError`` ("forged", "expired", "used"). Emptying the key in the
    same UPDATE makes the link single-use, also under two clicks at once.
    """
    pk, key = confirmation.read_token(token)
    changed = Proposal.objects.filter(
        pk=pk, state=ProposalState.UNCONFIRMED, confirmation_key=key
    ).update(state=ProposalState.CONFIRMED, confirmed_at=timezone.now(), confirmation_key="")
    if changed != 1:
        if Proposal.objects.filter(pk=pk).exists():
            raise confirmation.ConfirmationError("used")
        raise confirmation.ConfirmationError("forged")
    proposals_changed.send(sender=Proposal, pks=[pk])
    return Proposal.objects.select_related("ward").get(pk=pk)


def _handled(actor, proposal_id) -> Proposal:
    proposal = Proposal.objects.curated_by(actor).select_related("ward").filter(pk=proposal_id)
    proposal = proposal.first()
    if proposal is None:
        raise PermissionDenied("This proposal is not one of your ward's.")
    return proposal


def proposal_publish(*, proposal_id: int, actor, site_url: str) -> bool:
    """Publish a confirmed proposal; False when it was decided meanwhile."""
    proposal = _handled(actor, proposal_id)
    changed = Proposal.objects.filter(pk=proposal.pk, state=ProposalState.CONFIRMED).update(
        state=ProposalState.PUBLISHED, published_at=timezone.now(), rejection_reason=""
    )
    if changed != 1:
        return False
    proposals_changed.send(sender=Proposal, pks=[proposal.pk])
    notifications.send_published(proposal, url=_url(site_url, proposal))
    return True


def proposal_reject(*, proposal_id: int, actor, reason: str) -> bool:
    """Refuse a confirmed proposal with the reason the resident receives."""
    if not reason.strip():
        raise ValueError("A rejection needs a reason.")
    proposal = _handled(actor, proposal_id)
    changed = Proposal.objects.filter(pk=proposal.pk, state=ProposalState.CONFIRMED).update(
        state=ProposalState.REJECTED, rejection_reason=reason
    )
    if changed != 1:
        return False
    proposal.rejection_reason = reason
    proposals_changed.send(sender=Proposal, pks=[proposal.pk])
    notifications.send_rejected(proposal)
    return True


def answer_save(
    *, proposal_id: int, actor, status: str, text: str, way_forward: str, department, site_url: str
) -> Answer:
    """Give a published proposal its answer, or change it (a new version in its history).

    The answer is validated as the form validates it (``full_clean``): an answer that
    is not a yes needs its 道のひらき方. The resident is told of every answer and change.
    """
    proposal = _handled(actor, proposal_id)
    if not proposal.is_published:
        raise PermissionDenied("Only a published proposal is answered.")
    with transaction.atomic():
        answer = Answer.objects.select_for_update().filter(proposal=proposal).first()
        updated = answer is not None
        if answer is None:
            answer = Answer(proposal=proposal)
        answer.status = status
        answer.text = text
        answer.way_forward = way_forward
        answer.department = department
        answer.full_clean(exclude=["proposal"])
        answer._history_user = actor
        answer.save()
    notifications.send_answer(proposal, answer, url=_url(site_url, proposal), updated=updated)
    return answer
