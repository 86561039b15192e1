"""factory_boy factories for unit tests; the demo and fidelity tests use the fixtures."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from feedback.models import Opinion, OpinionSource, OpinionState
from initiatives.models import (
    Aim,
    CaseStudy,
    Commitment,
    CommitmentStatus,
    FocusArea,
    Footnote,
    Initiative,
    InitiativePart,
    InitiativePoint,
    InitiativeStatus,
    Measure,
    OrganisationalChange,
    Photo,
    Pillar,
    PillarItem,
    PracticalInitiative,
    ProgressReport,
    ReformPlan,
    Report,
    ReportSection,
    ReportState,
    SectionPart,
    SectionPoint,
    Vision,
)
from proposals.models import Answer, AnswerStatus, Proposal, ProposalState
from wards.models import Department, Ward, WardStaffProfile
from wards.roles import STAFF_ROLES, Role

# The seven wards in the city's usual order: (slug, name, reading, English name, code).
WARDS = (
    ("kawasaki", "川崎区", "かわさきく", "Kawasaki", "141313"),
    ("saiwai", "幸区", "さいわいく", "Saiwai", "141321"),
    ("nakahara", "中原区", "なかはらく", "Nakahara", "141330"),
    ("takatsu", "高津区", "たかつく", "Takatsu", "141348"),
    ("miyamae", "宮前区", "みやまえく", "Miyamae", "141364"),
    ("tama", "多摩区", "たまく", "Tama", "141356"),
    ("asao", "麻生区", "あさおく", "Asao", "141372"),
)


class NumberedFactory(factory.django.DjangoModelFactory):
    """Parts the report numbers from 1 in their order (第1節, ねらい1, 取組事例1)."""

    class Meta:
        abstract = True

    number = factory.Sequence(lambda n: n + 1)


class OrderedFactory(factory.django.DjangoModelFactory):
    """Items listed by ``position``, kept in the order a test makes them."""

    class Meta:
        abstract = True

    position = factory.Sequence(lambda n: n)


class UserFactory(factory.django.DjangoModelFactory):
    """A user with no role: ``user_with_role`` makes one in a role."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.jp")
    password = factory.django.Password("password")


class WardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ward
        django_get_or_create = ("slug",)

    position = factory.Sequence(lambda n: n + 1)
    slug = factory.Sequence(lambda n: f"ward-{n}")
    name = factory.Sequence(lambda n: f"第{n}区")
    reading = factory.Sequence(lambda n: f"だい{n}く")
    name_en = factory.Sequence(lambda n: f"Ward {n}")
    code = factory.Sequence(lambda n: f"{141000 + n:06d}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    ward = factory.SubFactory(WardFactory)
    name = factory.Sequence(lambda n: f"地域振興課{n}")


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report
        django_get_or_create = ("slug",)

    slug = "section-2"
    label = "第2節"
    title = "参加・協働の拠点としての区役所に関する取組の事例検証"


class ReportSectionFactory(NumberedFactory):
    class Meta:
        model = ReportSection

    report = factory.SubFactory(ReportFactory)
    slug = factory.Sequence(lambda n: f"section-{n}")
    title = factory.Sequence(lambda n: f"節{n}")


class SectionPointFactory(OrderedFactory):
    class Meta:
        model = SectionPoint

    section = factory.SubFactory(ReportSectionFactory)
    part = SectionPart.DIRECTION
    text = factory.Sequence(lambda n: f"取組の方向性{n}")


class FootnoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Footnote

    section = factory.SubFactory(ReportSectionFactory)
    marker = factory.Sequence(lambda n: str(n + 1))
    text = factory.Sequence(lambda n: f"脚注の本文{n}")


class VisionFactory(NumberedFactory):
    class Meta:
        model = Vision

    title = factory.Sequence(lambda n: f"区役所像{n}")
    title_en = factory.Sequence(lambda n: f"Vision {n}")


class FocusAreaFactory(OrderedFactory):
    class Meta:
        model = FocusArea

    vision = factory.SubFactory(VisionFactory)
    title = factory.Sequence(lambda n: f"重点分野{n}")


class MeasureFactory(OrderedFactory):
    class Meta:
        model = Measure

    focus_area = factory.SubFactory(FocusAreaFactory)
    title = factory.Sequence(lambda n: f"施策{n}")
    fiscal_year = 2010


class ReformPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReformPlan

    slug = factory.Sequence(lambda n: f"plan-{n}")
    title = "川崎市新たな行財政改革プラン"
    subtitle = "第4次改革プラン"
    starts_on = datetime.date(2011, 4, 1)
    duration_years = 3
    section = factory.SubFactory(ReportSectionFactory)


class AimFactory(NumberedFactory):
    class Meta:
        model = Aim

    plan = factory.SubFactory(ReformPlanFactory)
    title = factory.Sequence(lambda n: f"ねらい{n}")


class PillarFactory(NumberedFactory):
    class Meta:
        model = Pillar

    plan = factory.SubFactory(ReformPlanFactory)
    title = factory.Sequence(lambda n: f"取組の柱{n}")


class PillarItemFactory(OrderedFactory):
    class Meta:
        model = PillarItem

    pillar = factory.SubFactory(PillarFactory)
    text = factory.Sequence(lambda n: f"項目{n}")


class PracticalInitiativeFactory(NumberedFactory):
    class Meta:
        model = PracticalInitiative

    plan = factory.SubFactory(ReformPlanFactory)
    title = factory.Sequence(lambda n: f"具体的な実践の取組{n}")


class CaseStudyFactory(NumberedFactory):
    class Meta:
        model = CaseStudy

    title = factory.Sequence(lambda n: f"取組事例{n}")
    focus_area = factory.SubFactory(FocusAreaFactory)
    vision = factory.SelfAttribute("focus_area.vision")


class OrganisationalChangeFactory(OrderedFactory):
    class Meta:
        model = OrganisationalChange

    case_study = factory.SubFactory(CaseStudyFactory)
    text = factory.Sequence(lambda n: f"組織整備{n}")
    fiscal_year = 2010


class InitiativeFactory(factory.django.DjangoModelFactory):
    """A published initiative; ``draft=True`` and ``scheduled=True`` make hidden ones."""

    class Meta:
        model = Initiative
        skip_postgeneration_save = True

    ward = factory.SubFactory(WardFactory)
    case_study = factory.SubFactory(CaseStudyFactory)
    title = factory.Sequence(lambda n: f"取組{n}")
    summary = "第一段落。\n\n第二段落。"
    fiscal_year_start = 2010
    status = InitiativeStatus.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))

    class Params:
        draft = factory.Trait(status=InitiativeStatus.DRAFT, published_at=None)
        scheduled = factory.Trait(
            published_at=factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
        )

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if create and extracted:
            self.departments.set(extracted)

    @factory.post_generation
    def pillars(self, create, extracted, **kwargs):
        if create and extracted:
            self.pillars.set(extracted)


class InitiativePointFactory(OrderedFactory):
    class Meta:
        model = InitiativePoint

    initiative = factory.SubFactory(InitiativeFactory)
    part = InitiativePart.AIM
    text = factory.Sequence(lambda n: f"取組のねらい{n}")


class PhotoFactory(OrderedFactory):
    class Meta:
        model = Photo

    initiative = factory.SubFactory(InitiativeFactory)
    caption = factory.Sequence(lambda n: f"写真{n}")


class OpinionFactory(OrderedFactory):
    """An opinion printed in the report, on a case study; ``member=True`` makes a
    committee member's published comment instead."""

    class Meta:
        model = Opinion

    case_study = factory.SubFactory(CaseStudyFactory)
    source = OpinionSource.REPORT
    state = OpinionState.PUBLISHED
    topic = factory.Sequence(lambda n: f"論点{n}")
    body = factory.Sequence(lambda n: f"委員の意見{n}")

    class Params:
        member = factory.Trait(source=OpinionSource.MEMBER, author=factory.SubFactory(UserFactory))


class CommentFactory(OpinionFactory):
    """A committee member's comment on a case, awaiting moderation unless told otherwise;
    ``published=True`` for one the secretariat has published, with its date."""

    source = OpinionSource.MEMBER
    author = factory.SubFactory(UserFactory)
    state = OpinionState.PENDING
    topic = ""

    class Params:
        published = factory.Trait(
            state=OpinionState.PUBLISHED, published_at=factory.LazyFunction(timezone.now)
        )


# --- Roles and the real wards, for the admin's tests ------------------------


def ward(slug: str) -> Ward:
    """One of the seven real wards, created on first use (positions clear of WardFactory's)."""
    index, (_slug, name, reading, name_en, code) = next(
        (i, w) for i, w in enumerate(WARDS) if w[0] == slug
    )
    position = 101 + index
    return WardFactory(
        slug=slug, name=name, reading=reading, name_en=name_en, code=code, position=position
    )


def user_with_role(role: Role, ward_slug: str | None = None, **kwargs):
    """An account in a role's group; ward staff are tied to the ward ``ward_slug``."""
    user = UserFactory(is_staff=role in STAFF_ROLES, **kwargs)
    user.groups.add(Group.objects.get(name=role))
    if ward_slug is not None:
        WardStaffProfile.objects.create(user=user, ward=ward(ward_slug))
    return user


class CommitmentFactory(factory.django.DjangoModelFactory):
    """A commitment entered by staff on a published initiative, not started."""

    class Meta:
        model = Commitment

    initiative = factory.SubFactory(InitiativeFactory)
    text = factory.Sequence(lambda n: f"約束{n}を進める")
    status = CommitmentStatus.NOT_STARTED


class ProgressReportFactory(factory.django.DjangoModelFactory):
    """A draft progress report; ``published=True`` makes one published a day ago."""

    class Meta:
        model = ProgressReport

    commitment = factory.SubFactory(CommitmentFactory)
    fiscal_year = 2024
    text = factory.Sequence(lambda n: f"進捗の報告{n}")
    new_status = CommitmentStatus.IN_PROGRESS
    state = ReportState.DRAFT

    class Params:
        published = factory.Trait(
            state=ReportState.PUBLISHED,
            published_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1)),
        )


# --- Residents' proposals -------------------------------------------------------


class ProposalFactory(factory.django.DjangoModelFactory):
    """A published proposal; ``unconfirmed=True`` or ``confirmed=True`` for the earlier states."""

    class Meta:
        model = Proposal

    class Params:
        unconfirmed = factory.Trait(
            state=ProposalState.UNCONFIRMED,
            confirmed_at=None,
            published_at=None,
            confirmation_key=factory.Sequence(lambda n: f"{n:032x}"),
        )
        confirmed = factory.Trait(state=ProposalState.CONFIRMED, published_at=None)

    ward = factory.SubFactory(WardFactory)
    title = factory.Sequence(lambda n: f"公園に花壇をつくる提案{n}")
    text = "地域の人と一緒に公園の花壇を手入れしたい。\n道路公園センターと相談したい。"
    email = factory.Sequence(lambda n: f"resident{n}@example.jp")
    state = ProposalState.PUBLISHED
    confirmed_at = factory.LazyFunction(timezone.now)
    published_at = factory.LazyFunction(timezone.now)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    proposal = factory.SubFactory(ProposalFactory)
    status = AnswerStatus.DIFFICULT
    text = "現在の予算では花壇の新設は難しい状況です。"
    way_forward = "地域の団体が花壇の管理を担う場合は、道路公園センターと協議できます。"
    department = factory.LazyAttribute(lambda answer: DepartmentFactory(ward=answer.proposal.ward))
