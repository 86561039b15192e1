import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from feedback.models import OpinionState
from initiatives.models import Initiative
from search import index, postgres
from search.models import DocumentKind, SearchDocument
from tests.factories import InitiativeFactory, MeasureFactory, OpinionFactory

pytestmark = pytest.mark.django_db


def test_rebuild_indexes_every_public_object_and_nothing_else(wards, capsys):
    InitiativeFactory(ward=wards["tama"], title="公開の取組")
    InitiativeFactory(ward=wards["tama"], title="下書きの取組", draft=True)
    MeasureFactory(title="条例の制定")
    OpinionFactory(topic="審査中", state=OpinionState.PENDING)
    SearchDocument.objects.all().delete()

    call_command("rebuild_search_index")

    titles = set(SearchDocument.objects.values_list("kind", "title"))
    assert (DocumentKind.INITIATIVE, "公開の取組") in titles
    assert (DocumentKind.MEASURE, "条例の制定") in titles
    assert not {title for _kind, title in titles} & {"下書きの取組", "審査中"}
    assert f"Indexed {len(titles)} documents." in capsys.readouterr().out


def test_documents_hold_both_comparison_forms_and_grams(wards):
    InitiativeFactory(ward=wards["miyamae"], title="冒険遊び場", summary="")
    call_command("rebuild_search_index")
    document = SearchDocument.objects.get(kind=DocumentKind.INITIATIVE)
    assert document.title_norm == "冒険遊び場"
    assert document.title_reading == "ぼうけんあそびば"
    assert "宮前区" in document.body
    assert {"冒険", "あそび", "宮前", "N冒険", "Rあそび"} <= set(document.grams.split())
    assert document.url == document.get_absolute_url()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="The gram index is PostgreSQL's.")
def test_on_postgresql_the_rebuilt_index_keeps_its_settings_and_finds(wards, client):
    InitiativeFactory(ward=wards["asao"], title="里山の保全", summary="")

    call_command("rebuild_search_index")

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.reloptions, a.attstattarget FROM pg_class c "
            "JOIN pg_attribute a ON a.attrelid = c.oid WHERE c.relname = %s",
            [postgres.INDEX],
        )
        # No statistics: a common gram would lead the planner to a sequential scan.
        assert cursor.fetchall() == [(["fastupdate=off"], 0)]
        cursor.execute(
            "SELECT attname, attstorage FROM pg_attribute "
            "WHERE attrelid = %s::regclass AND attname IN ('body_norm', 'grams')",
            [postgres.TABLE],
        )
        assert dict(cursor.fetchall()) == {"body_norm": "m", "grams": "x"}
    response = client.get(reverse("search:results"), {"q": "里山"})
    assert [result.document.title for result in response.context["results"]] == ["里山の保全"]


def test_the_index_can_be_rebuilt_twice_in_one_transaction(wards):
    # As load_report --force does after load_report, in a test's single transaction.
    InitiativeFactory(ward=wards["asao"], title="里山の保全", summary="")

    call_command("rebuild_search_index")
    call_command("rebuild_search_index")

    assert SearchDocument.objects.filter(kind=DocumentKind.INITIATIVE).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="The gram index is PostgreSQL's.")
@pytest.mark.django_db(transaction=True)
def test_many_documents_at_once_go_through_the_pending_list_and_leave_the_index_as_it_was(
    wards, client
):
    initiatives = InitiativeFactory.create_batch(
        index.INDEX_BATCH + 5, ward=wards["asao"], title="里山の保全", summary=""
    )
    Initiative.objects.filter(pk=initiatives[-1].pk).update(title="棚田の再生")
    SearchDocument.objects.all().delete()

    index.index_objects(Initiative, [initiative.pk for initiative in initiatives])

    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [postgres.INDEX])
        assert cursor.fetchone() == (["fastupdate=off"],)
        # Nothing left in the pending list: every document is in the index itself.
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [postgres.INDEX])
        assert cursor.fetchone() == (0,)
    assert SearchDocument.objects.count() == len(initiatives)
    response = client.get(reverse("search:results"), {"q": "棚田"})
    assert [result.document.title for result in response.context["results"]] == ["棚田の再生"]
