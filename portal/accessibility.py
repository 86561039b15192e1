"""The latest accessibility test results shown on the policy page (アクセシビリティ方針).

The browser tests (axe-core in Chromium, the Nu HTML Checker, keyboard walks) report their
figures into ``accessibility_results.json`` beside this module; the page reads that file,
so publishing new results is an edit of data, not of the template. A figure not yet
measured is ``null`` and shows as such, never as zero.
"""

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext_lazy as _

RESULTS_FILE = Path(__file__).with_name("accessibility_results.json")

PAGE_TYPES = {
    "home": _("Front page"),
    "ward-list": _("Ward list"),
    "ward-detail": _("Ward page"),
    "vision-list": _("Vision list"),
    "vision-detail": _("Vision page"),
    "reform-plan": _("Reform plan"),
    "case-list": _("Case study list"),
    "case-detail": _("Case study page"),
    "initiative-list": _("Initiative list"),
    "initiative-detail": _("Initiative page"),
    "search": _("Search"),
    "report": _("Report"),
    "accessibility": _("Accessibility policy"),
    "proposal-form": _("Proposal form"),
    "proposal-list": _("Proposal list"),
    "proposal-detail": _("Proposal page"),
    "not-found": _("Page not found"),
}


@dataclass(frozen=True)
class PageResult:
    page_type: str
    path: str
    axe_violations: int | None
    html_errors: int | None
    keyboard: str | None  # "pass", "fail", or None when not tested

    @property
    def label(self):
        return PAGE_TYPES.get(self.page_type, self.page_type)


@dataclass(frozen=True)
class TestResults:
    tested_on: datetime.date | None
    environment: str
    pages: list[PageResult]


def load_results(path: Path | None = None) -> TestResults:
    data = json.loads((path or RESULTS_FILE).read_text(encoding="utf-8"))
    tested_on = data.get("tested_on")
    return TestResults(
        tested_on=datetime.date.fromisoformat(tested_on) if tested_on else None,
        environment=data.get("environment", ""),
        pages=[
            PageResult(
                page_type=page["page_type"],
                path=page["path"],
                axe_violations=page.get("axe_violations"),
                html_errors=page.get("html_errors"),
                keyboard=page.get("keyboard"),
            )
            for page in data.get("pages", [])
        ],
    )
