"""The open data's files, one declaration each: the rows the public pages show, and their
columns. Lists (an initiative's departments, points, pillars; a case's organisational
changes; a pillar's items) are files of their own with a key back to their owner.

Never here: drafts and initiatives whose publication time has not come, comments not
published (or replies to a comment not shown), e-mail addresses, staff accounts. A
member's comment carries the name its case page shows.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feedback.models import Opinion, OpinionState
from initiatives.models import (
    CaseStudy,
    Commitment,
    FocusArea,
    Initiative,
    InitiativePoint,
    Measure,
    OrganisationalChange,
    Pillar,
    PillarItem,
    ProgressReport,
    ReformPlan,
    Vision,
    published_condition,
)
from portal.filters import CaseStudyFilter, InitiativeFilter
from portal.open_data.registry import (
    DATASETS,
    Column,
    ColumnType,
    Dataset,
    city_code_column,
    fiscal_year_columns,
    object_url,
    register,
    url_column,
    ward_code_column,
)
from portal.proposal_filters import ProposalFilter
from proposals.models import Answer, Proposal
from wards.models import Department, Ward

T = ColumnType


def _published_initiatives():
    return Initiative.objects.published()


def _current_plan_pillars():
    return Pillar.objects.filter(plan__in=ReformPlan.objects.current().values("pk"))


def _shown_comments():
    """Members' comments as the case pages show them to anyone: published, on a case, and
    (for a reply) under a comment that is shown, or under the stub a withdrawn comment
    leaves (whose own text is not shown, so it is not exported)."""
    return (
        Opinion.objects.from_members()
        .published()
        .filter(case_study__isnull=False)
        .filter(
            Q(parent__isnull=True)
            | Q(parent__state__in=[OpinionState.PUBLISHED, OpinionState.WITHDRAWN])
        )
    )


def _public_initiative_id(row, context):
    initiative = row.initiative
    return initiative.pk if initiative is not None and initiative.is_public else None


def _department_url(row, context):
    return context.absolute(f"{reverse('initiatives:list')}?department={row.pk}")


_initiative_url = object_url("initiatives:detail", "pk", "initiative_id")


def _pillar_url(row, context):
    return context.absolute(f"{reverse('initiatives:reform-plan')}#pillar-{row.pillar.number}")


_case_url = object_url("initiatives:case-detail", "number", "case_study.number")


def _owner_url(function, meaning):
    return Column("url", ColumnType.URL, meaning, "https://…/initiatives/101/", value=function)


WARDS = register(
    Dataset(
        slug="wards",
        api_name="wards",
        title=_("Wards"),
        description=_("The seven wards of Kawasaki City, in the city's usual order."),
        rows=lambda: Ward.objects.order_by("position"),
        columns=(
            Column(
                "local_government_code",
                T.CODE,
                _("全国地方公共団体コード (local government code) of the ward."),
                "141364",
                value="code",
            ),
            city_code_column(),
            Column("slug", T.STRING, _("The ward's key in addresses and filters."), "miyamae"),
            Column("name", T.STRING, _("Name in Japanese."), "宮前区"),
            Column("name_en", T.STRING, _("Name in English."), "Miyamae"),
            Column("reading", T.STRING, _("Reading of the name in hiragana."), "みやまえく"),
            Column("position", T.INTEGER, _("Place in the city's usual order of wards."), "5"),
            url_column(value=object_url("wards:detail", "slug", "slug")),
        ),
    )
)

DEPARTMENTS = register(
    Dataset(
        slug="departments",
        api_name="departments",
        title=_("Departments"),
        description=_("The units that carry out initiatives, of a ward or of the city."),
        rows=lambda: Department.objects.select_related("ward").order_by(
            "ward__position", "name", "pk"
        ),
        columns=(
            Column("id", T.INTEGER, _("Identifier of the department."), "12", value="pk"),
            ward_code_column(),
            Column(
                "ward_slug",
                T.STRING,
                _("The ward it belongs to (slug); empty for a city-level bureau."),
                "miyamae",
                value="ward.slug",
                nullable=True,
            ),
            Column("name", T.STRING, _("Name in Japanese."), "地域振興課"),
            Column("name_en", T.STRING, _("Name in English, where there is one."), ""),
            Column(
                "url",
                T.URL,
                _("The address of the list of its initiatives on the portal."),
                "https://…/initiatives/?department=12",
                value=_department_url,
            ),
        ),
    )
)

VISIONS = register(
    Dataset(
        slug="visions",
        api_name="visions",
        title=_("Visions"),
        description=_("The four target ward-office visions (めざすべき４つの区役所像)."),
        rows=lambda: Vision.objects.order_by("number"),
        columns=(
            city_code_column(),
            Column("number", T.INTEGER, _("Number of the vision (1–4)."), "1"),
            Column("title", T.STRING, _("Title in Japanese."), "市民の参加と協働の拠点"),
            Column("title_en", T.STRING, _("Title in English."), ""),
            url_column(value=object_url("initiatives:vision-detail", "number", "number")),
        ),
    )
)

FOCUS_AREAS = register(
    Dataset(
        slug="focus_areas",
        api_name="focus-areas",
        title=_("Focus areas"),
        description=_("The focus areas under each vision."),
        owner="visions",
        rows=lambda: FocusArea.objects.select_related("vision").order_by(
            "vision__number", "position"
        ),
        columns=(
            Column("id", T.INTEGER, _("Identifier of the focus area."), "3", value="pk"),
            city_code_column(),
            Column(
                "vision_number", T.INTEGER, _("The vision it serves."), "1", value="vision.number"
            ),
            Column("position", T.INTEGER, _("Place under its vision."), "1"),
            Column(
                "title", T.STRING, _("Title in Japanese."), "区役所を地域のまちづくり拠点として整備"
            ),
            Column("title_en", T.STRING, _("Title in English, where there is one."), ""),
            url_column(),
        ),
    )
)

MEASURES = register(
    Dataset(
        slug="measures",
        api_name="measures",
        title=_("Measures"),
        description=_("The dated measures under each focus area."),
        owner="focus_areas",
        rows=lambda: Measure.objects.select_related("focus_area__vision").order_by(
            "focus_area__vision__number", "focus_area__position", "position"
        ),
        columns=(
            Column("id", T.INTEGER, _("Identifier of the measure."), "7", value="pk"),
            city_code_column(),
            Column("focus_area_id", T.INTEGER, _("The focus area it belongs to."), "3"),
            Column(
                "vision_number",
                T.INTEGER,
                _("The vision of its focus area."),
                "1",
                value="focus_area.vision.number",
            ),
            Column("position", T.INTEGER, _("Place under its focus area."), "1"),
            Column("title", T.STRING, _("Title in Japanese."), "「地区まちづくり育成条例」の制定"),
            *fiscal_year_columns(
                "fiscal_year", "fiscal_year", _("Fiscal year of the measure (Gregorian).")
            ),
            Column("ongoing", T.BOOLEAN, _("Runs on from its fiscal year (…年度から)."), "false"),
            url_column(),
        ),
    )
)

PILLARS = register(
    Dataset(
        slug="pillars",
        api_name="pillars",
        title=_("Reform plan pillars"),
        description=_("The six pillars of the reform plan (改革の実現に向けた6つの取組)."),
        rows=lambda: _current_plan_pillars().select_related("plan").order_by("number"),
        columns=(
            city_code_column(),
            Column("number", T.INTEGER, _("Number of the pillar."), "1"),
            Column("title", T.STRING, _("Title in Japanese."), "市民協働の推進"),
            Column("title_en", T.STRING, _("Title in English, where there is one."), ""),
            Column(
                "plan_title",
                T.STRING,
                _("The reform plan it belongs to."),
                "新たな行財政改革プラン",
                value="plan.title",
            ),
            url_column(),
        ),
    )
)

PILLAR_ITEMS = register(
    Dataset(
        slug="pillar_items",
        api_name="pillar-items",
        title=_("Reform plan pillar items"),
        description=_("The items under each pillar."),
        owner="pillars",
        rows=lambda: (
            PillarItem.objects.filter(pillar__in=_current_plan_pillars())
            .select_related("pillar")
            .order_by("pillar__number", "position")
        ),
        columns=(
            Column(
                "pillar_number", T.INTEGER, _("The pillar it belongs to."), "1", "pillar.number"
            ),
            Column("position", T.INTEGER, _("Place under its pillar."), "1"),
            Column(
                "text",
                T.STRING,
                _("Text in Japanese."),
                "公共サービスにおける民間部門のさらなる活用",
            ),
            _owner_url(_pillar_url, _("The address of its pillar on the reform plan's page.")),
        ),
    )
)

CASE_STUDIES = register(
    Dataset(
        slug="case_studies",
        api_name="cases",
        filterset_class=CaseStudyFilter,
        title=_("Case studies"),
        description=_("The report's ward case studies (区における取組事例)."),
        rows=lambda: CaseStudy.objects.select_related("vision", "focus_area").order_by("number"),
        columns=(
            city_code_column(),
            Column("number", T.INTEGER, _("Number of the case."), "1"),
            Column("title", T.STRING, _("Title in Japanese."), "こども支援の取組"),
            Column("title_en", T.STRING, _("Title in English, where there is one."), ""),
            Column("vision_number", T.INTEGER, _("The vision it serves."), "1", "vision.number"),
            Column("focus_area_id", T.INTEGER, _("Its focus area (区行政改革の実行計画)."), "3"),
            Column(
                "plan_heading",
                T.STRING,
                _("The heading of the execution plan's entry, as the report wrote it."),
                "",
            ),
            Column(
                "plan_item", T.STRING, _("The execution plan's item, as the report wrote it."), ""
            ),
            url_column(value=object_url("initiatives:case-detail", "number", "number")),
        ),
    )
)

ORGANISATIONAL_CHANGES = register(
    Dataset(
        slug="organisational_changes",
        api_name="organisational-changes",
        title=_("Organisational changes"),
        description=_("The organisational changes related to each case (関連する組織整備等)."),
        owner="case_studies",
        rows=lambda: OrganisationalChange.objects.select_related("case_study").order_by(
            "case_study__number", "position"
        ),
        columns=(
            Column(
                "case_number", T.INTEGER, _("The case it belongs to."), "1", "case_study.number"
            ),
            Column("position", T.INTEGER, _("Place under its case."), "1"),
            Column("text", T.STRING, _("Text in Japanese."), "こども支援室の設置"),
            *fiscal_year_columns(
                "fiscal_year", "fiscal_year", _("Fiscal year of the change (Gregorian).")
            ),
            _owner_url(_case_url, _("The address of its case's page.")),
        ),
    )
)

INITIATIVES = register(
    Dataset(
        slug="initiatives",
        api_name="initiatives",
        filterset_class=InitiativeFilter,
        title=_("Initiatives"),
        description=_("Every published initiative of the wards, in the city's order."),
        # The case's number is the initiative's own copy of it (kept for the city order).
        rows=lambda: _published_initiatives().select_related("ward").in_city_order(),
        columns=(
            Column("id", T.INTEGER, _("Identifier of the initiative."), "101", value="pk"),
            ward_code_column(meaning=_("全国地方公共団体コード of the initiative's ward.")),
            Column("ward_slug", T.STRING, _("The ward (slug)."), "miyamae", value="ward.slug"),
            Column("ward_name", T.STRING, _("The ward's name in Japanese."), "宮前区", "ward.name"),
            Column(
                "case_number",
                T.INTEGER,
                _("The case study holding it; empty for one that no case holds."),
                "1",
                value="case_number",
                nullable=True,
            ),
            Column(
                "is_main", T.BOOLEAN, _("The main initiative of its case ((1) 主な取組)."), "true"
            ),
            Column("title", T.STRING, _("Title in Japanese."), "冒険遊び場の運営支援"),
            Column(
                "summary",
                T.STRING,
                _("Narrative in Japanese; paragraphs separated by a blank line."),
                "",
            ),
            *fiscal_year_columns(
                "fiscal_year_start", "fiscal_year_start", _("First fiscal year (Gregorian).")
            ),
            *fiscal_year_columns(
                "fiscal_year_end",
                "fiscal_year_end",
                _("Last fiscal year (Gregorian); empty while it runs on."),
            ),
            Column(
                "published_at", T.DATETIME, _("When it was published."), "2024-04-01T09:00:00+09:00"
            ),
            Column(
                "updated_at",
                T.DATETIME,
                _("When it was last changed."),
                "2024-05-01T09:00:00+09:00",
            ),
            url_column(value=object_url("initiatives:detail", "pk", "pk")),
        ),
    )
)


INITIATIVE_POINTS = register(
    Dataset(
        slug="initiative_points",
        api_name="initiative-points",
        title=_("Initiative points"),
        description=_("The aims, contents and future directions of each published initiative."),
        owner="initiatives",
        rows=lambda: InitiativePoint.objects.filter(published_condition("initiative__")).order_by(
            "initiative_id", "part", "position", "pk"
        ),
        columns=(
            Column("initiative_id", T.INTEGER, _("The initiative it belongs to."), "101"),
            Column(
                "part",
                T.STRING,
                _("Which part: aim (取組のねらい), content (取組内容) or future (今後の方向性等)."),
                "aim",
            ),
            Column("position", T.INTEGER, _("Place within its part."), "1"),
            Column("depth", T.INTEGER, _("0 for an item, 1 for an item of a sub-list."), "0"),
            Column("text", T.STRING, _("Text in Japanese."), "地域の子育て支援"),
            _owner_url(_initiative_url, _("The address of its initiative's page.")),
        ),
    )
)

INITIATIVE_DEPARTMENTS = register(
    Dataset(
        slug="initiative_departments",
        api_name="initiative-departments",
        title=_("Initiatives' departments"),
        description=_("Which departments carry out each published initiative."),
        owner="initiatives",
        rows=lambda: Initiative.departments.through.objects.filter(
            published_condition("initiative__")
        ).order_by("initiative_id", "department_id"),
        columns=(
            Column("initiative_id", T.INTEGER, _("The initiative."), "101"),
            Column("department_id", T.INTEGER, _("The department (departments file)."), "12"),
            _owner_url(_initiative_url, _("The address of its initiative's page.")),
        ),
    )
)

INITIATIVE_PILLARS = register(
    Dataset(
        slug="initiative_pillars",
        api_name="initiative-pillars",
        title=_("Initiatives' reform pillars"),
        description=_("Which pillars of the reform plan each published initiative serves."),
        owner="initiatives",
        rows=lambda: (
            Initiative.pillars.through.objects.filter(published_condition("initiative__"))
            .select_related("pillar")
            .order_by("initiative_id", "pillar__number")
        ),
        columns=(
            Column("initiative_id", T.INTEGER, _("The initiative."), "101"),
            Column(
                "pillar_number", T.INTEGER, _("The pillar (pillars file)."), "1", "pillar.number"
            ),
            _owner_url(_initiative_url, _("The address of its initiative's page.")),
        ),
    )
)

OPINIONS = register(
    Dataset(
        slug="opinions",
        api_name="opinions",
        title=_("Committee opinions"),
        description=_("The committee's opinions printed in the report (《委員からの意見》)."),
        rows=lambda: (
            Opinion.objects.from_report()
            .published()
            .select_related("case_study", "section")
            .order_by("position", "pk")
        ),
        columns=(
            Column("id", T.INTEGER, _("Identifier of the opinion."), "5", value="pk"),
            city_code_column(),
            Column(
                "case_number",
                T.INTEGER,
                _("The case study it is on; empty for one on a report section."),
                "1",
                value="case_study.number",
                nullable=True,
            ),
            Column(
                "section_number",
                T.INTEGER,
                _("The report section it is on; empty for one on a case study."),
                "2",
                value="section.number",
                nullable=True,
            ),
            Column("position", T.INTEGER, _("Order within the report."), "1"),
            Column("topic", T.STRING, _("Its topic heading, where there is one."), ""),
            Column("body", T.STRING, _("Text in Japanese."), ""),
            url_column(),
        ),
    )
)

COMMENTS = register(
    Dataset(
        slug="comments",
        api_name="comments",
        title=_("Committee members' comments"),
        description=_(
            "Comments that committee members posted on the case pages after the report, "
            "as published."
        ),
        rows=lambda: (
            _shown_comments()
            .select_related("case_study", "author", "initiative")
            .order_by("created_at", "pk")
        ),
        columns=(
            Column("id", T.INTEGER, _("Identifier of the comment."), "40", value="pk"),
            city_code_column(),
            Column(
                "case_number", T.INTEGER, _("The case study it is on."), "1", "case_study.number"
            ),
            Column(
                "initiative_id",
                T.INTEGER,
                _("The published initiative it is about, if any."),
                "101",
                value=_public_initiative_id,
                nullable=True,
            ),
            Column(
                "parent_id",
                T.INTEGER,
                _("The comment it replies to; empty for a comment that replies to none."),
                "39",
                nullable=True,
            ),
            Column("topic", T.STRING, _("Its topic heading, where there is one."), ""),
            Column("body", T.STRING, _("Text in Japanese."), ""),
            Column(
                "author_name",
                T.STRING,
                _("The member's name as the case page shows it."),
                "川崎 太郎",
            ),
            Column(
                "posted_on",
                T.DATE,
                _("The day it was posted."),
                "2026-11-30",
                value=lambda row, context: timezone.localtime(row.created_at).date(),
            ),
            url_column(
                value=object_url(
                    "initiatives:case-detail", "number", "case_study.number", "opinion-{pk}"
                )
            ),
        ),
    )
)


def _local_date(path: str):
    def value(row, context):
        moment = row
        for part in path.split("."):
            moment = getattr(moment, part)
        return timezone.localtime(moment).date() if moment else None

    return value


PROPOSALS = register(
    Dataset(
        slug="proposals",
        api_name="proposals",
        filterset_class=ProposalFilter,
        title=_("Residents' proposals"),
        description=_(
            "Residents' proposals to a ward, as published on the proposals pages, newest first."
        ),
        rows=lambda: (
            Proposal.objects.published()
            .select_related("ward", "vision", "case_study", "initiative")
            .order_by("-published_at", "-pk")
        ),
        columns=(
            Column("id", T.INTEGER, _("Identifier of the proposal."), "8", value="pk"),
            ward_code_column(meaning=_("全国地方公共団体コード of the ward it is sent to.")),
            Column("ward_slug", T.STRING, _("The ward it is sent to (slug)."), "tama", "ward.slug"),
            Column("title", T.STRING, _("Title, as the resident wrote it."), ""),
            Column("text", T.STRING, _("The proposal, as the resident wrote it."), ""),
            Column(
                "display_name",
                T.STRING,
                _("The name the resident chose to show; empty for an anonymous proposal."),
                "",
            ),
            Column(
                "published_on",
                T.DATE,
                _("The day it was published."),
                "2026-11-30",
                value=_local_date("published_at"),
            ),
            *fiscal_year_columns(
                "fiscal_year", "fiscal_year", _("The fiscal year in which it was sent.")
            ),
            Column(
                "vision_number",
                T.INTEGER,
                _("The vision it concerns, if any."),
                "1",
                value="vision.number",
                nullable=True,
            ),
            Column(
                "case_number",
                T.INTEGER,
                _("The case study it concerns, if any."),
                "1",
                value="case_study.number",
                nullable=True,
            ),
            Column(
                "initiative_id",
                T.INTEGER,
                _("The published initiative it led to, if any."),
                "101",
                value=_public_initiative_id,
                nullable=True,
            ),
            url_column(value=object_url("proposals:detail", "pk", "pk")),
        ),
    )
)

ANSWERS = register(
    Dataset(
        slug="answers",
        api_name="answers",
        title=_("Wards' answers to proposals"),
        description=_("Each published proposal's answer, with its way forward (道のひらき方)."),
        owner="proposals",
        rows=lambda: (
            Answer.objects.filter(proposal__in=Proposal.objects.published())
            .select_related("proposal")
            .order_by("proposal_id")
        ),
        columns=(
            Column("proposal_id", T.INTEGER, _("The proposal it answers."), "8"),
            Column(
                "status",
                T.STRING,
                _(
                    "The answer: received, considering, will-do (carried out), partly or "
                    "difficult (at present)."
                ),
                "considering",
            ),
            Column("text", T.STRING, _("The answer, in Japanese."), ""),
            Column(
                "way_forward",
                T.STRING,
                _("How it could be done (道のひらき方); empty only for an answer that says yes."),
                "",
            ),
            Column("department_id", T.INTEGER, _("The answering department."), "12"),
            Column(
                "answered_on",
                T.DATE,
                _("The day it was answered."),
                "2026-11-30",
                value=_local_date("answered_at"),
            ),
            Column(
                "updated_on",
                T.DATE,
                _("The day it was last changed."),
                "2026-11-30",
                value=_local_date("updated_at"),
            ),
            url_column(
                _("The address of its proposal's page."),
                value=object_url("proposals:detail", "pk", "proposal_id"),
            ),
        ),
    )
)


COMMITMENTS = register(
    Dataset(
        slug="commitments",
        api_name="commitments",
        title=_("Commitments"),
        description=_("What the wards and the city promised, with their state (/progress/)."),
        rows=lambda: Commitment.objects.public().select_related("initiative__ward").order_by("pk"),
        columns=(
            Column("id", T.INTEGER, _("Identifier of the commitment."), "3", value="pk"),
            ward_code_column("initiative.ward"),
            Column(
                "initiative_id",
                T.INTEGER,
                _("The initiative it belongs to; empty for one of the city's own."),
                "101",
                nullable=True,
            ),
            Column("from_report", T.BOOLEAN, _("Taken from the report."), "true"),
            Column("position", T.INTEGER, _("Place within its initiative."), "0"),
            Column("text", T.STRING, _("Text in Japanese."), ""),
            Column(
                "target_value",
                T.DECIMAL,
                _("Target value, only where the source states one."),
                "8",
                nullable=True,
            ),
            Column("target_unit", T.STRING, _("Unit of the target value."), "か所"),
            Column("period", T.STRING, _("Period, as the source states it."), "3か年"),
            Column("status", T.STRING, _("Its status (code)."), "as_reported"),
            Column(
                "current_value",
                T.DECIMAL,
                _("The latest value a published progress report gave."),
                "",
                nullable=True,
            ),
            Column(
                "last_reported_at",
                T.DATETIME,
                _("When its latest progress report was published."),
                "",
                nullable=True,
            ),
            url_column(),
        ),
    )
)

PROGRESS_REPORTS = register(
    Dataset(
        slug="progress_reports",
        api_name="progress-reports",
        title=_("Progress reports"),
        description=_("The published progress reports of each commitment."),
        owner="commitments",
        rows=lambda: (
            ProgressReport.objects.published()
            .select_related("commitment__initiative")
            .order_by("published_at", "pk")
        ),
        columns=(
            Column("id", T.INTEGER, _("Identifier of the progress report."), "1", value="pk"),
            Column("commitment_id", T.INTEGER, _("The commitment it reports on."), "3"),
            *fiscal_year_columns("fiscal_year", "fiscal_year", _("Fiscal year it reports on.")),
            Column("reported_on", T.DATE, _("Date it reports on."), "2026-11-30", nullable=True),
            Column("text", T.STRING, _("Text in Japanese."), ""),
            Column("new_status", T.STRING, _("Status it reports (code)."), "in_progress"),
            Column("new_value", T.DECIMAL, _("Value it reports."), "", nullable=True),
            Column("published_at", T.DATETIME, _("When it was published."), ""),
            url_column(),
        ),
    )
)


def exported_models() -> set:
    """Every model a file's rows come from, the link tables of the lists included."""
    return {dataset.rows().model for dataset in DATASETS.values()}


def by_api_name() -> dict[str, Dataset]:
    """The datasets the API serves, by collection name (/api/v1/<name>/)."""
    return {dataset.api_name: dataset for dataset in DATASETS.values() if dataset.api_name}
