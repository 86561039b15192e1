"""The pages' biggest reads are served by the indexes made for them, in their order.

The indexes are partial (published initiatives only): a change of the query that the
database can no longer match with the index's condition would silently read every row
again. A database's plan for an empty table says which indexes it can use; PostgreSQL is
told to avoid a sequential scan, which it prefers for a table this small, and a sort
where an index can give the order (the rows the test database holds at the time may
still sway it between two fitting indexes).
"""

import pytest
from django.db import connection

from initiatives.models import Initiative
from tests import factories

pytestmark = pytest.mark.django_db


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            # Nor an explicit sort where an index gives the order: the rows earlier tests
            # wrote and rolled back leave the table's pages behind, and with them the
            # planner may take sorting a few rows for cheaper than reading an index.
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def test_the_newest_initiatives_are_read_in_the_order_of_their_index():
    read = plan(Initiative.objects.for_home_page()[:6])

    assert "initiative_newest" in read
    assert "Sort" not in read
    assert "TEMP B-TREE" not in read


def test_a_wards_newest_initiatives_are_read_in_the_order_of_an_index():
    ward = factories.WardFactory()

    read = plan(Initiative.objects.for_cards().for_ward(ward)[:20])

    # initiative_ward_newest, or on PostgreSQL with few rows initiative_newest filtered.
    assert "newest" in read
    assert "Sort" not in read
    assert "TEMP B-TREE" not in read


def test_the_initiative_lists_default_order_is_read_in_the_order_of_its_index():
    # Imported here: the portal stands above initiatives, and only this test needs it.
    from portal.filters import InitiativeFilter

    listed = InitiativeFilter(None, queryset=Initiative.objects.for_list_page()).qs

    read = plan(listed.values_list("pk", flat=True)[:20])

    assert "initiative_newest" in read
    assert "Sort" not in read
    assert "TEMP B-TREE" not in read
