"""The page types under test, and how to find the address of one page of each.

Public pages are seen by anyone; the comment and moderation pages (issue 5) by the person
who uses them: a committee member writes comments, the secretariat moderates them.
"""

from django.test import Client
from django.urls import reverse
from django.utils import translation

from initiatives.models import CaseStudy, Commitment, Initiative, Vision
from proposals.models import Proposal
from wards.models import Ward

LANGUAGES = ("ja", "en")

PAGES = {
    "home": lambda: reverse("home"),
    "ward list": lambda: reverse("wards:list"),
    "ward": lambda: Ward.objects.first().get_absolute_url(),
    "vision list": lambda: reverse("initiatives:vision-list"),
    "vision": lambda: Vision.objects.first().get_absolute_url(),
    "reform plan": lambda: reverse("initiatives:reform-plan"),
    "case list": lambda: reverse("initiatives:case-list"),
    "case": lambda: CaseStudy.objects.first().get_absolute_url(),
    "initiative list": lambda: reverse("initiatives:list"),
    "initiative list, nothing found": lambda: f"{reverse('initiatives:list')}?ward=asao&q=該当なし",
    "search": lambda: f"{reverse('search:results')}?q=冒険遊び場",
    "search, nothing found": lambda: f"{reverse('search:results')}?q=該当なし",
    "initiative": lambda: Initiative.objects.published().first().get_absolute_url(),
    "initiative with commitments": lambda: (
        Commitment.objects.filter(reports__isnull=False).first().initiative.get_absolute_url()
    ),
    "progress": lambda: reverse("progress:dashboard"),
    "progress, filtered": lambda: f"{reverse('progress:dashboard')}?status=in_progress&fy=2024",
    "report": lambda: reverse("initiatives:report"),
    "accessibility policy": lambda: reverse("accessibility"),
    "open data": lambda: reverse("open_data:page"),
    "proposal form": lambda: reverse("proposals:new"),
    "proposal list": lambda: reverse("proposals:list"),
    "proposal with its answer": lambda: (
        Proposal.objects.published().filter(answer__isnull=False).first().get_absolute_url()
    ),
    "not found": lambda: f"{reverse('home')}no-such-page/",
}

# Page type: (who sees it, its address given the ``comments`` fixture).
COMMENT_PAGES = {
    "sign-in": (None, lambda c: reverse("login")),
    "case, as a committee member": ("member", lambda c: c.case.get_absolute_url()),
    "case, as the secretariat": ("secretariat", lambda c: c.case.get_absolute_url()),
    "comment form": ("member", lambda c: reverse("feedback:comment-create", args=[c.case.number])),
    "comment edit": ("member", lambda c: reverse("feedback:comment-edit", args=[c.pending.pk])),
    "my comments": ("member", lambda c: reverse("feedback:my-comments")),
    "withdraw confirmation": (
        "member",
        lambda c: reverse("feedback:comment-withdraw", args=[c.published.pk]),
    ),
    "moderation queue": ("secretariat", lambda c: reverse("feedback:moderation")),
}


def page_path(name: str, language: str) -> str:
    """The address of one page of the named type, in the given language (/… or /en/…)."""
    with translation.override(language):
        return PAGES[name]()


def expected_status(name: str) -> int:
    return 404 if name == "not found" else 200


def comment_page_path(name: str, language: str, comments) -> str:
    with translation.override(language):
        return COMMENT_PAGES[name][1](comments)


def comment_page_user(name: str, comments):
    """Who sees the named comment page, or None for anyone."""
    role = COMMENT_PAGES[name][0]
    return getattr(comments, role) if role else None


def signed_in_client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
