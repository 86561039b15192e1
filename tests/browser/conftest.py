import os
from types import SimpleNamespace

import pytest
from django.core.management import call_command, get_commands
from playwright.sync_api import sync_playwright

from feedback.models import OpinionState
from initiatives.models import CaseStudy, Commitment, Initiative, ProgressReport, Vision
from initiatives.services import progress_report_publish
from tests.browser.checks import (
    CHROMIUM,
    CHROMIUM_ARGS,
    require_chromium,
    watch_csp_violations,
)
from tests.factories import (
    AnswerFactory,
    CommentFactory,
    DepartmentFactory,
    ProposalFactory,
    user_with_role,
)
from wards.models import Ward
from wards.roles import Role

# The live server listens on the loopback address only.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for the browser tests.

    Playwright's sync API keeps an event loop running in this thread, which Django's ORM
    takes for async code: the tests' ORM calls are in fact synchronous, and are allowed while
    the browser runs. Both end with this package's tests, so that neither the loop nor the
    permission reaches other tests or the processes they start.
    """
    require_chromium()
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    # Pages here answer within a second or two: a missing element should fail fast.
    context.set_default_timeout(10_000)
    page = context.new_page()
    csp_violations = watch_csp_violations(page)
    yield page
    context.close()
    # Every browser test fails on any Content-Security-Policy violation it met.
    assert not csp_violations, "\n".join(csp_violations)


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
    # Sample proposals (not the report's: it holds none), one answered with its way forward.
    ward = Ward.objects.first()
    answered = ProposalFactory(
        ward=ward, title="公園の花壇を地域で手入れしたい", vision=Vision.objects.first()
    )
    AnswerFactory(proposal=answered, department=DepartmentFactory(ward=ward, name="提案回答課"))
    ProposalFactory(ward=ward, title="回答を待つ提案", display_name="川崎花子")
    reported_commitment()


def reported_commitment():
    """A test's progress report on a commitment with a target (the report has none: its
    commitments are as it left them), so that the progress bar and timeline are checked."""
    commitment = Commitment.objects.filter(target_value__isnull=False).first()
    if commitment is None:
        commitment = Commitment.objects.create(
            initiative=Initiative.objects.published().first(),
            text="3か年で8か所の冒険あそび場の設立をめざす。",
            target_value=8,
            target_unit="か所",
            period="3か年",
        )
    progress_report_publish(
        report=ProgressReport.objects.create(
            commitment=commitment,
            fiscal_year=2024,
            text="（試験用の報告）2か所で設立した。",
            new_status="in_progress",
            new_value=2,
        )
    )


@pytest.fixture
def comments(site_data):
    """A member's comments in every state, a reply, and the secretariat that moderates them."""
    case = CaseStudy.objects.first()
    member = user_with_role(Role.COMMITTEE, username="iin", first_name="花子", last_name="川崎")
    published = CommentFactory(
        case_study=case, author=member, topic="区民会議について", published=True
    )
    CommentFactory(case_study=case, author=member, parent=published, published=True)
    CommentFactory(
        case_study=case,
        author=member,
        state=OpinionState.REJECTED,
        rejection_reason="個人名が含まれているため",
    )
    # A withdrawn comment with a published reply (the case page's stub) and a reply that
    # awaits moderation (the queue names the parent's state).
    withdrawn = CommentFactory(case_study=case, author=member, state=OpinionState.WITHDRAWN)
    CommentFactory(case_study=case, author=member, parent=withdrawn, published=True)
    CommentFactory(case_study=case, author=member, parent=withdrawn, body="取り下げ後の返信")
    return SimpleNamespace(
        case=case,
        member=member,
        published=published,
        secretariat=user_with_role(Role.SECRETARIAT, username="jimukyoku"),
        pending=CommentFactory(case_study=case, author=member, body="改行を含む\nコメント"),
    )
