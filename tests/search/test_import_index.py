"""An import through the admin keeps the search index current, whatever it changes."""

import csv
import io

import pytest
from django.urls import reverse

from initiatives.models import PointStyle
from initiatives.services import initiative_points_replace
from tests.factories import CaseStudyFactory, InitiativeFactory, InitiativePointFactory, ward
from tests.initiatives.imports import confirm, export_csv, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiative():
    initiative = InitiativeFactory(
        ward=ward("saiwai"), case_study=CaseStudyFactory(number=902), title="地域の見守り"
    )
    InitiativePointFactory(initiative=initiative, part="aim", text="見守りの輪を広げる")
    return initiative


def reimport_with(client, **columns):
    """Export the ward's initiatives, change ``columns`` (by their Japanese headers) of every
    row, and import them."""
    rows = list(csv.DictReader(io.StringIO(export_csv(client).content.decode("utf-8-sig"))))
    for row in rows:
        row.update(columns)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    confirm(client, upload(client, buffer.getvalue().encode("utf-8")))


def found(client, q):
    response = client.get(reverse("search:results"), {"q": q})
    return [result.document.title for result in response.context["results"]]


def test_an_import_that_only_adds_points_makes_them_searchable(staff_client, initiative):
    reimport_with(staff_client, **{"今後の方向性等": "防災訓練への参加を呼びかける"})

    assert initiative.points.filter(part="future").exists()
    assert found(staff_client, "防災訓練") == ["地域の見守り"]


def test_an_import_that_only_replaces_points_drops_the_old_text(staff_client, initiative):
    reimport_with(staff_client, **{"取組のねらい": "子育て世代の交流"})

    assert found(staff_client, "子育て世代") == ["地域の見守り"]
    assert found(staff_client, "見守りの輪") == []


def listed(client, q):
    response = client.get(reverse("initiatives:list"), {"q": q})
    titles = [initiative.title for initiative in response.context["initiative_list"]]
    return response.context["paginator"].count, titles


def test_the_lists_text_filter_follows_points_written_past_the_initiatives_signals(
    client, initiative
):
    # The list caches its count and facets (and on PostgreSQL the text's matches) per
    # filter state; points written in bulk re-index their initiative without saving it.
    assert listed(client, "防災訓練") == (0, [])

    initiative_points_replace(
        initiative=initiative,
        points={"future": [(0, PointStyle.BULLET, "防災訓練への参加を呼びかける")]},
    )

    assert listed(client, "防災訓練") == (1, ["地域の見守り"])
