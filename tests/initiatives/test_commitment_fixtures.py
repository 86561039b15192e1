"""The report's future directions (今後の方向性等) are its commitments: one per promise,
each as the report left it, with nothing invented.

Counted against shared/seed/000_22b1c930a3ba538f.txt: the section has six rows of
今後の方向性等. Two are the report sections' own (section 1: two bullets; section 2: one
paragraph), four are the cases' main initiatives (case 1, Miyamae: one bullet, then the label
（主な支援内容） and three sub-items saying how that one promise is supported; case 2,
Kawasaki: six bullets; case 3, Miyamae: two; case 4, Takatsu: three). The promises are the
top-level items: 3 + 1 + 6 + 2 + 3 = 15. The label and its three sub-items are not promises of
their own, and stay on the initiative and report pages as the report printed them.
"""

import re

import pytest
from django.urls import reverse

from initiatives.models import (
    Commitment,
    CommitmentStatus,
    InitiativePart,
    InitiativePoint,
    PointStyle,
    ProgressReport,
    SectionPart,
    SectionPoint,
)

pytestmark = pytest.mark.django_db

EXPECTED_COMMITMENTS = 15


def promise_points():
    initiative_points = InitiativePoint.objects.filter(part=InitiativePart.FUTURE, depth=0).exclude(
        style=PointStyle.LABEL
    )
    section_points = SectionPoint.objects.filter(part=SectionPart.FUTURE, depth=0).exclude(
        style=PointStyle.LABEL
    )
    return list(initiative_points), list(section_points)


def test_the_source_has_fifteen_top_level_future_direction_items(seed_text):
    rows = [
        line.split("\t", 1)[1]
        for line in seed_text.splitlines()
        if line.startswith("今後の方向性等\t")
    ]
    assert len(rows) == 6
    count = 0
    for row in rows:
        # The label and the sub-list after it (how the promise is supported, to the end of
        # its row) are not promises of their own; an item starts with ・ after a space.
        top_level = row.split("（主な支援内容）")[0]
        count += len(re.findall(r"(?:^|\s)・", top_level)) + top_level.count("<p>")
    assert count == EXPECTED_COMMITMENTS


def test_every_future_direction_promise_of_the_report_is_one_commitment(report_data):
    initiative_points, section_points = promise_points()
    assert len(initiative_points) + len(section_points) == EXPECTED_COMMITMENTS
    assert Commitment.objects.count() == EXPECTED_COMMITMENTS
    for point in initiative_points:
        commitment = Commitment.objects.get(point=point)
        assert commitment.initiative_id == point.initiative_id
        assert commitment.text == point.text
    for point in section_points:
        commitment = Commitment.objects.get(section_point=point)
        assert commitment.initiative is None
        assert commitment.text == point.text


def test_the_labels_and_sub_items_of_a_future_direction_are_not_commitments(report_data):
    others = InitiativePoint.objects.filter(part=InitiativePart.FUTURE).exclude(
        pk__in=Commitment.objects.filter(point__isnull=False).values("point")
    )
    assert sorted(others.values_list("depth", "style")) == [
        (0, PointStyle.LABEL),
        (1, PointStyle.BULLET),
        (1, PointStyle.BULLET),
        (1, PointStyle.BULLET),
    ]


def test_no_commitment_of_the_report_carries_invented_progress(report_data):
    commitments = Commitment.objects.all()
    assert {c.status for c in commitments} == {CommitmentStatus.AS_REPORTED}
    assert all(c.from_report for c in commitments)
    assert all(c.current_value is None for c in commitments)
    assert all(c.last_reported_at is None and c.entered_at is None for c in commitments)
    assert all(c.progress_share is None for c in commitments)
    assert not ProgressReport.objects.exists()
    assert not Commitment.objects.stale().exists()


def test_only_the_target_the_source_states_is_recorded(report_data):
    with_target = Commitment.objects.filter(target_value__isnull=False)
    assert [(c.target_value, c.target_unit, c.period) for c in with_target] == [
        (8, "か所", "3か年")
    ]
    assert "3か年で8か所" in with_target.get().text
    without = Commitment.objects.filter(target_value__isnull=True)
    assert {(c.target_unit, c.period) for c in without} == {("", "")}


def test_the_report_page_still_prints_the_future_directions_as_the_report_did(client, report_data):
    response = client.get(reverse("initiatives:report"))
    page = response.content.decode()
    for point in InitiativePoint.objects.filter(part=InitiativePart.FUTURE):
        assert point.text in page
    assert "報告書の時点（進捗の報告なし）" not in page
    assert 'role="progressbar"' not in page
