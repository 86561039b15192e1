"""A real Chromium against the live server, with axe-core and the Nu HTML Checker.

The tools come from `make browser-deps` (scripts/install-browser.sh). Without them the
browser tests skip, so that a newcomer's `make test` passes; in CI (CI=true) they fail.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import sync_playwright

from initiatives.models import CaseStudy, Initiative, Vision
from wards.models import Ward

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules/axe-core/axe.min.js"
VNU = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LANGUAGES = ("ja", "en")

# The live server listens on the loopback address only.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")


def require(**tools: bool) -> None:
    """Skip (fail in CI) unless every named tool is present."""
    missing = sorted(name for name, present in tools.items() if not present)
    if not missing:
        return
    message = f"{', '.join(missing)} missing: run `make browser-deps` (as root) to install it"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def require_chromium() -> None:
    require(chromium=CHROMIUM.is_file(), axe_core=AXE.is_file())


def require_vnu() -> None:
    require(java=shutil.which("java") is not None, vnu_jar=VNU.is_file())


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    require_chromium()
    # Playwright's sync API keeps an event loop in this thread, which Django's ORM takes
    # for async code; the tests' ORM calls are in fact synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def site_data(db, make_portal):
    """The report's data when the project can load it, else the small portal of the unit tests.

    Tests that also use ``live_server`` get a transactional database, so the server's
    thread sees the data.
    """
    if "load_report" in get_commands():
        call_command("load_report", verbosity=0)
    else:
        make_portal(size=2)


# Every public page type, by name, with how to find the address of one page of its type.
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
