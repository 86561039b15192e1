"""Everything the ``/report/`` page shows, read in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404

from feedback.models import Opinion
from initiatives.models import (
    Aim,
    CaseStudy,
    FocusArea,
    Initiative,
    Pillar,
    PracticalInitiative,
    ReformPlan,
    Report,
    ReportSection,
    SectionPart,
    Vision,
    grouped_by_part,
)

# The report's own shape: section 1 presents the visions, section 2 the reform plan
# (linked by ReformPlan.section) and section 3 the case studies.
VISIONS_SECTION = 1
CASES_SECTION = 3

# The order of a section table's rows in the report (not the alphabetical order of the codes).
SECTION_PARTS = [SectionPart.DIRECTION, SectionPart.CONTENTS, SectionPart.FUTURE]


@dataclass(frozen=True)
class TableRow:
    """One row of a section's summary table: its heading and its points."""

    part: str
    label: str
    points: list


@dataclass(frozen=True)
class ReportPage:
    report: Report
    sections: dict[int, ReportSection]
    visions: list[Vision]
    plan: ReformPlan | None
    case_studies: list[CaseStudy]

    @property
    def visions_section(self):
        return self.sections.get(VISIONS_SECTION)

    @property
    def plan_section(self):
        return self.sections.get(self.plan.section.number) if self.plan else None

    @property
    def cases_section(self):
        return self.sections.get(CASES_SECTION)


def section_rows(section: ReportSection) -> list[TableRow]:
    """The rows of a section's table, in the report's order, from its prefetched points."""
    groups = grouped_by_part(section.points.all(), SECTION_PARTS)
    return [TableRow(part.value, part.label, rows) for part, rows in groups.items() if rows]


def load_report_page() -> ReportPage:
    """The report with every object its page shows, prefetched: 22 queries whatever the size.

    Sections bring their table points, footnotes, figure panels and opinions; visions
    their focus areas (with footnotes) and measures; the plan its aims, sub-aims, pillars,
    items and practical initiatives; case studies their vision, focus area, organisational
    changes, initiatives (ward, departments, points, photos) and opinions.
    Only what the report printed is shown: its initiatives (``Initiative.in_report``), not
    those ward staff entered since, which belong to the portal's pages; its opinions, not
    members' comments.
    """
    report = Report.objects.order_by("pk").first()
    if report is None:
        raise Http404("The report is not loaded.")
    sections = list(
        report.sections.select_related("reform_plan").prefetch_related(
            "points",
            "footnotes",
            "panels",
            Opinion.objects.report_prefetch("opinions", to_attr=None),
        )
    )
    for section in sections:
        section.rows = section_rows(section)
    visions = Vision.objects.prefetch_related(
        Prefetch(
            "focus_areas",
            queryset=FocusArea.objects.select_related("footnote").prefetch_related("measures"),
        )
    )
    plan = (
        ReformPlan.objects.filter(section__report=report)
        .select_related("section")
        .prefetch_related(
            Prefetch(
                "aims",
                queryset=Aim.objects.filter(parent=None)
                .order_by("number")
                .prefetch_related(Prefetch("sub_aims", queryset=Aim.objects.order_by("number"))),
            ),
            Prefetch("pillars", queryset=Pillar.objects.prefetch_related("items")),
            Prefetch(
                "practical_initiatives",
                queryset=PracticalInitiative.objects.select_related("pillar_item__pillar"),
            ),
        )
        .first()
    )
    case_studies = CaseStudy.objects.select_related(
        "vision", "focus_area__vision"
    ).prefetch_related(
        "organisational_changes",
        Prefetch(
            "initiatives",
            queryset=Initiative.objects.published()
            .from_report()
            .select_related("ward")
            .prefetch_related("departments", "points", "photos"),
        ),
        Opinion.objects.report_prefetch("opinions", to_attr=None),
    )
    return ReportPage(
        report=report,
        sections={section.number: section for section in sections},
        visions=list(visions),
        plan=plan,
        case_studies=list(case_studies),
    )
