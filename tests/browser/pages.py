"""The public page types, and how to find the address of one page of each."""

from django.urls import reverse
from django.utils import translation

from initiatives.models import CaseStudy, Initiative, Vision
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
    "initiative": lambda: Initiative.objects.published().first().get_absolute_url(),
    "report": lambda: reverse("initiatives:report"),
    "not found": lambda: f"{reverse('home')}no-such-page/",
}


def page_path(name: str, language: str) -> str:
    """The address of one page of the named type, in the given language (/… or /en/…)."""
    with translation.override(language):
        return PAGES[name]()


def expected_status(name: str) -> int:
    return 404 if name == "not found" else 200
