import pytest

from tests import factories


@pytest.fixture
def saiwai(db):
    return factories.ward("saiwai")


@pytest.fixture
def tama(db):
    return factories.ward("tama")


@pytest.fixture
def saiwai_department(saiwai):
    return factories.DepartmentFactory(ward=saiwai, name="地域振興課")
