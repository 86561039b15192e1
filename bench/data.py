"""Synthetic data in the report's proportions, grown in steps with bulk_create.

Per 1,000 initiatives: 4 case studies (at least 4), each with 3 opinions and 2
organisational changes; 5 departments per ward plus one per ward per 1,000 initiatives;
3 points per initiative, a photo for one in ten, one or two departments, one pillar.
One initiative in 25 is about 冒険あそび場 (one in 50 spelled 冒険遊び場); 5% are drafts.
Two commitments for every three initiatives, half of them with progress reports
(``_commitments``).
"""

import datetime
import json
import random
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from feedback.models import Opinion, OpinionSource, OpinionState
from initiatives import models as m
from wards.models import Department, Ward

# The seven wards as the report's fixture has them: one list, not a copy of it.
WARDS_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "wards.json"


def ward_records():
    records = json.loads(WARDS_FIXTURE.read_text(encoding="utf-8"))
    return [record["fields"] for record in records if record["model"] == "wards.ward"]


DEPARTMENTS = (
    "地域振興課",
    "こども支援室",
    "企画課",
    "道路公園センター",
    "市民館",
    "生涯学習支援課",
)
TITLES = (
    "区民会議の運営",
    "地域の課題解決に向けた協働事業",
    "市民館を拠点とした学級・講座",
    "子育て支援のネットワークづくり",
    "地区まちづくり育成条例による支援",
    "防災訓練と地域防災マップの作成",
    "商店街と連携したにぎわいづくり",
    "高齢者の見守り活動",
)
PLAYGROUNDS = ("冒険あそび場活動支援事業", "冒険遊び場の普及啓発")
SENTENCES = (
    "区役所が地域の取組を支援することで、参加者の安心が得られ活動が活性化する。",
    "地域が主体となって事業を実施し、その活動を区が支援する仕組みづくりを進めている。",
    "区民会議からの提案を受け、関係課が連携を図り事業を推進している。",
    "モデル事業を実施し、実体験による課題の整理を行った。",
    "近隣住民との調整を行い、地域の理解・協力を得ながら進める。",
    "シンポジウム・普及啓発講座を開催し、地域人材の派遣を行う。",
    "市民活動団体やNPO法人との協働により、地域の課題解決を図る。",
    "平成22年度から3か年で8か所の設立をめざしている。",
)


def _base(rng):
    now = timezone.now()
    wards = [Ward(**fields) for fields in ward_records()]
    Ward.objects.bulk_create(wards)
    report = m.Report.objects.create(slug="section-2", label="第2節", title="取組の事例検証")
    sections = [
        m.ReportSection.objects.create(report=report, number=n, slug=f"part-{n}", title=t)
        for n, t in (
            (1, "めざすべき区役所像"),
            (2, "新たな行財政改革プラン"),
            (3, "区における取組事例"),
        )
    ]
    for n in range(1, 5):
        vision = m.Vision.objects.create(number=n, title=f"区役所像{n}", title_en=f"Vision {n}")
        for p in range(1, 4):
            area = m.FocusArea.objects.create(vision=vision, position=p, title=f"重点分野{n}-{p}")
            m.Measure.objects.bulk_create(
                m.Measure(
                    focus_area=area, position=k, title=f"施策{n}-{p}-{k}", fiscal_year=2008 + k
                )
                for k in range(1, 5)
            )
    plan = m.ReformPlan.objects.create(
        slug="plan-4",
        title="新たな行財政改革プラン",
        starts_on=datetime.date(2011, 4, 1),
        duration_years=3,
        section=sections[1],
    )
    m.Pillar.objects.bulk_create(
        m.Pillar(plan=plan, number=n, title=f"改革の取組{n}") for n in range(1, 7)
    )
    Opinion.objects.bulk_create(
        Opinion(
            section=sections[1],
            source=OpinionSource.REPORT,
            state=OpinionState.PUBLISHED,
            position=k,
            body=rng.choice(SENTENCES),
            published_at=now,
        )
        for k in range(3)
    )


def grow(total: int, seed: int = 1) -> None:
    """Grow the database to ``total`` initiatives (with everything in proportion)."""
    rng = random.Random(seed + total)
    if not Ward.objects.exists():
        _base(rng)
    now = timezone.now()
    wards = list(Ward.objects.all())
    focus_areas = list(m.FocusArea.objects.select_related("vision"))
    pillars = list(m.Pillar.objects.all())

    case_count = m.CaseStudy.objects.count()
    new_cases = []
    for number in range(case_count + 1, max(4, total // 250) + 1):
        area = focus_areas[number % len(focus_areas)]
        new_cases.append(
            m.CaseStudy(
                number=number,
                title=f"{rng.choice(TITLES)}（事例{number}）",
                vision=area.vision,
                focus_area=area,
            )
        )
    m.CaseStudy.objects.bulk_create(new_cases)
    Opinion.objects.bulk_create(
        Opinion(
            case_study=case,
            source=OpinionSource.REPORT,
            state=OpinionState.PUBLISHED,
            position=k,
            topic=rng.choice(TITLES) + "について",
            body=" ".join(rng.sample(SENTENCES, 2)),
            published_at=now,
        )
        for case in new_cases
        for k in range(3)
    )
    m.OrganisationalChange.objects.bulk_create(
        m.OrganisationalChange(
            case_study=case,
            position=k,
            text=f"{rng.choice(DEPARTMENTS)}の設置",
            fiscal_year=2009 + k,
        )
        for case in new_cases
        for k in range(2)
    )
    cases = list(m.CaseStudy.objects.all())

    per_ward = 5 + total // 1000
    new_departments = [
        Department(ward=ward, name=f"{DEPARTMENTS[k % len(DEPARTMENTS)]}{k}")
        for ward in wards
        for k in range(Department.objects.filter(ward=ward).count(), per_ward)
    ]
    Department.objects.bulk_create(new_departments)
    departments_by_ward = {ward.pk: [] for ward in wards}
    for department in Department.objects.all():
        departments_by_ward[department.ward_id].append(department.pk)

    existing = m.Initiative.objects.count()
    initiatives = []
    for k in range(existing, total):
        playground = k % 25 == 0
        start = rng.randint(2005, 2024)
        published = rng.random() > 0.05
        ward, case = wards[k % len(wards)], rng.choice(cases)
        initiatives.append(
            m.Initiative(
                ward=ward,
                case_study=case,
                # bulk_create sends no pre_save: the copy of the city order is set here.
                ward_position=ward.position,
                case_number=case.number,
                position=k % 1000,
                title=PLAYGROUNDS[k % 2] if playground else f"{rng.choice(TITLES)}{k}",
                summary="\n\n".join(rng.sample(SENTENCES, 3)),
                fiscal_year_start=start,
                fiscal_year_end=None if rng.random() < 0.3 else start + rng.randint(0, 5),
                status=m.InitiativeStatus.PUBLISHED if published else m.InitiativeStatus.DRAFT,
                published_at=now - datetime.timedelta(days=rng.randint(1, 3000))
                if published
                else None,
            )
        )
    m.Initiative.objects.bulk_create(initiatives, batch_size=2000)
    m.InitiativePoint.objects.bulk_create(
        (
            m.InitiativePoint(
                initiative=initiative,
                part=part,
                position=0,
                text=rng.choice(SENTENCES),
            )
            for initiative in initiatives
            for part in m.InitiativePart.values
        ),
        batch_size=5000,
    )
    m.Photo.objects.bulk_create(
        (
            m.Photo(initiative=initiative, caption=f"{initiative.title}の様子")
            for initiative in initiatives[::10]
        ),
        batch_size=5000,
    )
    through = m.Initiative.departments.through
    through.objects.bulk_create(
        (
            through(initiative_id=initiative.pk, department_id=department)
            for initiative in initiatives
            for department in rng.sample(departments_by_ward[initiative.ward_id], rng.randint(1, 2))
        ),
        batch_size=5000,
    )
    pillar_through = m.Initiative.pillars.through
    pillar_through.objects.bulk_create(
        (
            pillar_through(initiative_id=initiative.pk, pillar_id=rng.choice(pillars).pk)
            for initiative in initiatives
        ),
        batch_size=5000,
    )
    _commitments(rng, initiatives, now)


PROMISES = (
    "3か年で8か所の冒険あそび場の設立をめざす。",
    "地域の子ども関連施設、学校との連携強化",
    "世代間交流の促進",
    "人材情報の蓄積、メンテナンス（情報機能の強化）",
    "スポーツ活動を通じた地域コミュニティの活性化",
)
OPEN = (m.CommitmentStatus.NOT_STARTED, m.CommitmentStatus.IN_PROGRESS)


def _commitments(rng, initiatives, now):
    """A commitment for one initiative in two, a second for one in six; one in four with a
    target. Half are reported on (one to three published reports over three years, a draft
    now and then), so that some are stale; the others stay as entered, or as the report
    left them for one in ten."""
    commitments, report_rows = [], []
    for k, initiative in enumerate(initiatives):
        count = (k % 2 == 0) + (k % 6 == 0)
        for j in range(count):
            target = rng.choice((4, 8, 12)) if rng.random() < 0.25 else None
            reports = []
            if rng.random() < 0.5:
                for _ in range(rng.randint(1, 3)):
                    published_at = now - datetime.timedelta(days=rng.randint(1, 1100))
                    reports.append(
                        (published_at, rng.choice(OPEN), rng.randint(0, target) if target else None)
                    )
                reports.sort()
            as_reported = not reports and rng.random() < 0.1
            latest = reports[-1] if reports else None
            values = [value for _at, _status, value in reports if value is not None]
            commitments.append(
                m.Commitment(
                    initiative=initiative,
                    position=j,
                    text=rng.choice(PROMISES),
                    target_value=target,
                    target_unit="か所" if target else "",
                    period="3か年" if target else "",
                    from_report=as_reported,
                    status=m.CommitmentStatus.AS_REPORTED
                    if as_reported
                    else (latest[1] if latest else m.CommitmentStatus.NOT_STARTED),
                    current_value=values[-1] if values else None,
                    last_reported_at=latest[0] if latest else None,
                    entered_at=None if as_reported else now - datetime.timedelta(days=1200),
                )
            )
            report_rows.append(reports)
    m.Commitment.objects.bulk_create(commitments, batch_size=2000)
    m.ProgressReport.objects.bulk_create(
        (
            m.ProgressReport(
                commitment=commitment,
                fiscal_year=published_at.year if published_at.month >= 4 else published_at.year - 1,
                text=rng.choice(SENTENCES),
                new_status=status,
                new_value=value,
                state=m.ReportState.PUBLISHED,
                published_at=published_at,
            )
            for commitment, reports in zip(commitments, report_rows, strict=True)
            for published_at, status, value in reports
        ),
        batch_size=5000,
    )
