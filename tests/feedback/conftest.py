import pytest

from tests.factories import CaseStudyFactory, UserFactory
from wards.roles import Role


@pytest.fixture
def case_study(db):
    return CaseStudyFactory(title="区役所と地域の協働")


@pytest.fixture
def member(db):
    return UserFactory(
        username="iinchou", first_name="花子", last_name="川崎", roles=[Role.COMMITTEE]
    )


@pytest.fixture
def other_member(db):
    return UserFactory(username="iin2", roles=[Role.COMMITTEE])


@pytest.fixture
def secretariat(db):
    return UserFactory(username="jimukyoku", roles=[Role.SECRETARIAT])


@pytest.fixture
def ward_staff(db):
    return UserFactory(username="kushokuin", roles=[Role.WARD_STAFF])


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def secretariat_client(client, secretariat):
    client.force_login(secretariat)
    return client
