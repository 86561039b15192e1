import pytest

from tests.factories import CaseStudyFactory


@pytest.fixture
def case_study(db):
    return CaseStudyFactory(title="区役所と地域の協働")
