"""What the page tests share."""

from django.urls import reverse
from django.utils import translation


def names(response):
    return [template.name for template in response.templates]


def japanese(text):
    """The text as the Japanese interface shows it (once the catalogs come)."""
    with translation.override("ja"):
        return str(translation.gettext(text))


def assert_links(response, objects):
    """The page links each of ``objects`` (by its ``get_absolute_url()``)."""
    missing = [obj for obj in objects if obj.get_absolute_url() not in response.text]
    assert not missing, f"no link to {missing}"


def answered(client, path, *args, **kwargs):
    """GET the page, which must answer 200; its response."""
    response = client.get(path, *args, **kwargs)
    assert response.status_code == 200, f"{path} answered {response.status_code}"
    return response


def page_urls(portal) -> dict[str, str]:
    """The addresses of the public pages by kind, each about the first object of its kind
    in a portal that ``make_portal`` built."""
    return {
        "home": reverse("home"),
        "wards": reverse("wards:list"),
        "ward": portal.wards[0].get_absolute_url(),
        "visions": reverse("initiatives:vision-list"),
        "vision": portal.visions[0].get_absolute_url(),
        "plan": reverse("initiatives:reform-plan"),
        "cases": reverse("initiatives:case-list"),
        "case": portal.cases[0].get_absolute_url(),
        "initiatives": reverse("initiatives:list"),
        "initiative": portal.initiatives[0].get_absolute_url(),
        "accessibility": reverse("accessibility"),
        "progress": reverse("progress:dashboard"),
    }
