import pytest

from tests.factories import CaseStudyFactory, user_with_role
from wards.roles import Role


@pytest.fixture
def case_study(db):
    return CaseStudyFactory(title="区役所と地域の協働")


@pytest.fixture
def member(db):
    return user_with_role(Role.COMMITTEE, username="iinchou", first_name="花子", last_name="川崎")


@pytest.fixture
def other_member(db):
    return user_with_role(Role.COMMITTEE, username="iin2")


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client
