from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.utils import translation

from core import pagecache
from initiatives.models import InitiativePart, SectionPart
from search import index
from tests import factories
from tests.factories import user_with_role
from wards.roles import Role

SEED_FILE = Path(settings.BASE_DIR).parent / "shared" / "seed" / "000_22b1c930a3ba538f.txt"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # The default hasher costs about 0.23 s a check here; tests need no strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _japanese_by_default():
    """Each test, and its code after each of its requests, runs in Japanese (the default).

    LocaleMiddleware leaves a request's language active in the thread, where the test's
    next ``reverse()`` or ``get_absolute_url()`` would build /en/ addresses.
    """

    def reset(**kwargs):
        translation.activate(settings.LANGUAGE_CODE)

    reset()
    request_finished.connect(reset)
    yield
    request_finished.disconnect(reset)
    reset()


@pytest.fixture(autouse=True)
def _empty_cache():
    # The cache outlives each test's rolled-back transaction: cached facet counts must not.
    cache.clear()


@pytest.fixture(autouse=True)
def _search_index_before_each_request():
    # A test runs inside one transaction that never commits, so the search index's
    # on-commit update would never run: run it before each request of the test client.
    request_started.connect(_flush_search_index)
    yield
    request_started.disconnect(_flush_search_index)


def _flush_search_index(**kwargs):
    index.flush()


def _after_indexing(assertion):
    """pytest-django's query assertion, after indexing the test's data, so that indexing
    is not counted, and after the page cache has looked up the next scheduled change of
    the data as it stands (one query per change of the data, not per page)."""

    def assert_queries(*args, **kwargs):
        index.flush()
        pagecache.prime()
        return assertion(*args, **kwargs)

    return assert_queries


@pytest.fixture
def django_assert_num_queries(django_assert_num_queries):
    return _after_indexing(django_assert_num_queries)


@pytest.fixture
def django_assert_max_num_queries(django_assert_max_num_queries):
    return _after_indexing(django_assert_max_num_queries)


@pytest.fixture
def make_portal(db):
    """Build a small portal whose every collection has ``size`` members.

    Three wards, each with ``size`` published initiatives (plus a draft and a
    future-dated one that must never show), two visions with focus areas and ``size``
    measures each, two case studies with ``size`` organisational changes and report
    opinions, and a reform plan with ``size`` pillars, items and sub-aims. Pages
    built from it should cost the same number of queries whatever the size.
    """

    def build(size=1):
        report = factories.ReportFactory()
        visions_section = factories.ReportSectionFactory(report=report)
        plan_section = factories.ReportSectionFactory(report=report)
        footnote = factories.FootnoteFactory(section=visions_section)
        visions = [factories.VisionFactory(), factories.VisionFactory()]
        focus_areas = [
            factories.FocusAreaFactory(vision=vision, footnote=footnote if i == 0 else None)
            for vision in visions
            for i in range(2)
        ]
        for area in focus_areas:
            factories.MeasureFactory.create_batch(size, focus_area=area)
            factories.MeasureFactory(focus_area=area, fiscal_year=2008, ongoing=True)
        cases = [
            factories.CaseStudyFactory(focus_area=focus_areas[0]),
            factories.CaseStudyFactory(focus_area=focus_areas[2]),
        ]
        for case in cases:
            factories.OrganisationalChangeFactory.create_batch(size, case_study=case)
            factories.OpinionFactory.create_batch(size, case_study=case)
            factories.OpinionFactory(case_study=case, topic="", body="論点のない意見")

        wards = factories.WardFactory.create_batch(3)
        city_department = factories.DepartmentFactory(ward=None, name="市民・こども局")
        initiatives = []
        for ward in wards:
            departments = [
                *factories.DepartmentFactory.create_batch(size, ward=ward),
                city_department,
            ]
            for i in range(size):
                initiative = factories.InitiativeFactory(
                    ward=ward,
                    case_study=cases[i % 2],
                    is_main=(ward == wards[0] and i == 0),
                    departments=departments,
                )
                for part in InitiativePart.values:
                    factories.InitiativePointFactory.create_batch(
                        size, initiative=initiative, part=part
                    )
                factories.InitiativePointFactory(initiative=initiative, part="future", depth=1)
                factories.PhotoFactory.create_batch(size, initiative=initiative)
                initiatives.append(initiative)
            factories.InitiativeFactory(ward=ward, case_study=cases[0], draft=True)
            factories.InitiativeFactory(ward=ward, case_study=cases[1], scheduled=True)

        plan = factories.ReformPlanFactory(section=plan_section)
        for part in SectionPart.values:
            factories.SectionPointFactory.create_batch(size, section=plan_section, part=part)
        first_aim = factories.AimFactory(plan=plan, number=1)
        factories.AimFactory(plan=plan, number=2)
        for number in range(1, size + 1):
            factories.AimFactory(plan=plan, parent=first_aim, number=number)
        for _ in range(size):
            pillar = factories.PillarFactory(plan=plan)
            factories.PillarItemFactory.create_batch(size, pillar=pillar)
        factories.PracticalInitiativeFactory.create_batch(size, plan=plan)
        factories.OpinionFactory.create_batch(size, case_study=None, section=plan_section, topic="")
        return SimpleNamespace(
            wards=wards,
            visions=visions,
            focus_areas=focus_areas,
            cases=cases,
            initiatives=initiatives,
            plan=plan,
            footnote=footnote,
            city_department=city_department,
        )

    return build


@pytest.fixture
def seed_text():
    """The source report section as text, which the data and the pages are checked against."""
    if not SEED_FILE.exists():
        pytest.skip(f"the source section is not beside the repository ({SEED_FILE} is absent)")
    return SEED_FILE.read_text(encoding="utf-8")


@pytest.fixture
def report_data(db):
    """The source report section, loaded from fixtures/ as ``make run`` loads it."""
    call_command("load_report", stdout=StringIO())


@pytest.fixture
def saiwai_staff(db):
    return user_with_role(Role.WARD_STAFF, "saiwai", username="saiwai-staff")


@pytest.fixture
def tama_staff(db):
    return user_with_role(Role.WARD_STAFF, "tama", username="tama-staff")


@pytest.fixture
def secretariat(db):
    return user_with_role(Role.SECRETARIAT, username="secretariat")


@pytest.fixture
def member(db):
    """A member of the autonomy-promotion committee (自治推進委員会), who comments on the cases."""
    return user_with_role(Role.COMMITTEE, username="iinchou", first_name="花子", last_name="川崎")


@pytest.fixture
def other_member(db):
    return user_with_role(Role.COMMITTEE, username="iin2")


@pytest.fixture
def staff_client(client, saiwai_staff):
    client.force_login(saiwai_staff)
    return client


@pytest.fixture
def secretariat_client(client, secretariat):
    client.force_login(secretariat)
    return client


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def wards(db):
    """The seven real wards, by slug (search tests need their real names)."""
    return {
        slug: factories.WardFactory(
            slug=slug, name=name, reading=reading, name_en=name_en, code=code, position=position
        )
        for position, (slug, name, reading, name_en, code) in enumerate(factories.WARDS, 1)
    }
