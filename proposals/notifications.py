"""E-mails to the resident who sent a proposal: the confirmation link, the decision,
each answer. Plain text only: the resident's words go into them as they were typed, and
no mail has an HTML part that could run them as markup.

Each mail is written in the language the proposal was sent in.
"""

import logging
import smtplib

from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def one_line(text: str) -> str:
    """A subject holds one line: a line break in it would be refused as a header injection."""
    return " ".join(str(text).split())


def send_confirmation(proposal, *, url: str, hours: int) -> None:
    with translation.override(proposal.language):
        subject = _("Please confirm your proposal: %(title)s") % {"title": one_line(proposal.title)}
        body = _(
            "Thank you for your proposal to %(ward)s.\n\n"
            "To send it, please open this link within %(hours)d hours:\n%(url)s\n\n"
            "The link works once. If you did not write this proposal, ignore this e-mail: "
            "nothing is sent without the confirmation.\n\n"
            "Title: %(title)s\n\n%(text)s\n"
        ) % {
            "ward": proposal.ward.name,
            "hours": hours,
            "url": url,
            "title": proposal.title,
            "text": proposal.text,
        }
    _send(subject, body, proposal.email)


def send_published(proposal, *, url: str) -> None:
    with translation.override(proposal.language):
        subject = _("Your proposal was published: %(title)s") % {"title": one_line(proposal.title)}
        body = _(
            "Your proposal to %(ward)s was published. The ward will answer it on its page:\n"
            "%(url)s\n\nTitle: %(title)s\n"
        ) % {"ward": proposal.ward.name, "url": url, "title": proposal.title}
    _send(subject, body, proposal.email)


def send_rejected(proposal) -> None:
    with translation.override(proposal.language):
        subject = _("Your proposal was not published: %(title)s") % {
            "title": one_line(proposal.title)
        }
        body = _(
            "Your proposal to %(ward)s was not published.\n\nReason: %(reason)s\n\n"
            "Title: %(title)s\n\n%(text)s\n"
        ) % {
            "ward": proposal.ward.name,
            "reason": proposal.rejection_reason,
            "title": proposal.title,
            "text": proposal.text,
        }
    _send(subject, body, proposal.email)


def send_answer(proposal, answer, *, url: str, updated: bool) -> None:
    with translation.override(proposal.language):
        if updated:
            subject = _("The answer to your proposal was updated: %(title)s")
        else:
            subject = _("Your proposal was answered: %(title)s")
        subject %= {"title": one_line(proposal.title)}
        body = _(
            "%(department)s answered your proposal to %(ward)s.\n\n"
            "Status: %(status)s\n\n%(text)s\n\n"
        ) % {
            "department": answer.department.name,
            "ward": proposal.ward.name,
            "status": answer.get_status_display(),
            "text": answer.text,
        }
        if answer.way_forward:
            body += _("How it could be done (道のひらき方):\n%(way_forward)s\n\n") % {
                "way_forward": answer.way_forward
            }
        body += _("The answer on the portal: %(url)s\n") % {"url": url}
    _send(subject, body, proposal.email)


def _send(subject: str, body: str, address: str) -> None:
    # The write is saved by now: a mail server that fails must not turn it into an error
    # page (the resident would send again), so it is logged for the operators instead.
    try:
        send_mail(subject, body, None, [address])
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send a proposal e-mail")
