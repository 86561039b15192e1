"""E-mails about comments: new ones to the secretariat, decisions to their author."""

import logging
import smtplib

from django.contrib.auth import get_user_model
from django.core.mail import send_mail, send_mass_mail
from django.utils.translation import gettext as _

from wards.roles import Role

logger = logging.getLogger(__name__)


def secretariat_addresses() -> list[str]:
    return list(
        get_user_model()
        .objects.filter(groups__name=Role.SECRETARIAT, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def notify_new_comment(comment, *, moderation_url: str) -> None:
    """Tell each member of the secretariat that a comment awaits moderation."""
    subject = _("New comment awaiting moderation: %(case)s") % {"case": comment.case_study}
    body = _("%(author)s wrote on %(case)s:\n\n%(topic)s\n%(text)s\n\nModerate it at %(url)s") % {
        "author": comment.author_name,
        "case": comment.case_study,
        "topic": comment.topic,
        "text": comment.body,
        "url": moderation_url,
    }
    messages = [(subject, body, None, [address]) for address in secretariat_addresses()]
    _send(send_mass_mail, messages)


def notify_decision(comment, *, comments_url: str, page_url: str) -> None:
    """Tell the author that the secretariat published or rejected their comment.

    "Published" is said only of what a page shows: the case page at ``page_url`` shows
    every published comment, a reply to a withdrawn comment under the withdrawn note, and
    the mail says so.
    """
    address = comment.author.email
    if not address:
        return
    if comment.is_published:
        subject = _("Your comment was published")
        body = _(
            "Your comment on %(case)s was published. It is on the case page:\n%(page)s\n\n"
            "%(text)s\n\nYour comments: %(url)s"
        )
        if comment.parent_id and comment.parent.is_withdrawn:
            body = (
                _(
                    "The comment you replied to was withdrawn by its author. Your reply is shown "
                    "under a note saying so."
                )
                + "\n\n"
                + body
            )
    else:
        subject = _("Your comment was not published")
        body = _(
            "Your comment on %(case)s was not published.\n\nReason: %(reason)s\n\n"
            "%(text)s\n\nYour comments: %(url)s"
        )
    body %= {
        "case": comment.case_study,
        "text": comment.body,
        "reason": comment.rejection_reason,
        "url": comments_url,
        "page": page_url,
    }
    _send(send_mail, subject, body, None, [address])


def _send(function, *args) -> None:
    # The comment is saved by now: a mail server that fails must not turn that into an
    # error page (the member would post again), so it is logged for the operators instead.
    try:
        function(*args)
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send a comment notification")
