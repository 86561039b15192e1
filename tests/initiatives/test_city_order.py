"""The public list's city order: by ward position, then case number (no case last), main
initiative first, then position. Each initiative keeps a copy of its ward's position and
its case's number so that one index serves that order; the copies follow every change."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from initiatives.models import Initiative
from tests.factories import CaseStudyFactory, InitiativeFactory, WardFactory

pytestmark = pytest.mark.django_db


def listed_titles(client):
    response = client.get(reverse("initiatives:list"))
    return [initiative.title for initiative in response.context["initiative_list"]]


def keys(initiative):
    initiative.refresh_from_db()
    return initiative.ward_position, initiative.case_number


def test_a_new_initiative_copies_its_ward_position_and_case_number():
    initiative = InitiativeFactory(
        ward=WardFactory(position=5), case_study=CaseStudyFactory(number=3)
    )

    assert keys(initiative) == (5, 3)


def test_an_initiative_of_no_case_has_no_case_number():
    assert keys(InitiativeFactory(ward=WardFactory(position=2), case_study=None)) == (2, None)


def test_moving_an_initiative_to_another_ward_and_case_moves_its_keys():
    initiative = InitiativeFactory(ward=WardFactory(position=1), case_study=CaseStudyFactory())
    initiative.ward = WardFactory(position=7)
    initiative.case_study = CaseStudyFactory(number=42)
    initiative.save()

    assert keys(initiative) == (7, 42)


def test_the_list_follows_the_city_order(client):
    first, second = WardFactory(position=1), WardFactory(position=2)
    case_1, case_2 = CaseStudyFactory(number=1), CaseStudyFactory(number=2)
    InitiativeFactory(title="B-なし", ward=second, case_study=None)
    InitiativeFactory(title="B-2", ward=second, case_study=case_2)
    InitiativeFactory(title="A-2", ward=first, case_study=case_2)
    InitiativeFactory(title="A-1-その他", ward=first, case_study=case_1, position=1)
    InitiativeFactory(title="A-1-主", ward=first, case_study=case_1, is_main=True, position=9)

    assert listed_titles(client) == ["A-1-主", "A-1-その他", "A-2", "B-2", "B-なし"]


def test_reordering_the_wards_reorders_the_list(client):
    first, second = WardFactory(position=1), WardFactory(position=2)
    InitiativeFactory(title="一", ward=first)
    InitiativeFactory(title="二", ward=second)

    first.position = 3
    first.save()

    assert listed_titles(client) == ["二", "一"]


@pytest.fixture
def initiative_in_case_1():
    """一, listed before 二 in their ward: 一 is in case 1, 二 in case 2."""
    ward = WardFactory()
    first = InitiativeFactory(title="一", ward=ward, case_study=CaseStudyFactory(number=1))
    InitiativeFactory(title="二", ward=ward, case_study=CaseStudyFactory(number=2))
    return first


def test_renumbering_a_case_reorders_the_list(client, initiative_in_case_1):
    case = initiative_in_case_1.case_study
    case.number = 3
    case.save()

    assert listed_titles(client) == ["二", "一"]


def test_deleting_a_case_puts_its_initiatives_last_in_their_ward(client, initiative_in_case_1):
    initiative_in_case_1.case_study.delete()

    assert keys(initiative_in_case_1) == (initiative_in_case_1.ward.position, None)
    assert listed_titles(client) == ["二", "一"]


def test_the_reports_initiatives_loaded_from_the_fixtures_have_their_keys():
    call_command("load_report", verbosity=0)

    initiatives = Initiative.objects.select_related("ward", "case_study").order_by("pk")
    assert len(initiatives) == 10
    for initiative in initiatives:
        case_number = initiative.case_study.number if initiative.case_study else None
        assert (initiative.ward_position, initiative.case_number) == (
            initiative.ward.position,
            case_number,
        ), initiative.title
