import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import OpinionState
from initiatives.models import InitiativeStatus
from portal.views.search import SearchView
from search import index
from search.models import DocumentKind, SearchDocument, SearchQuery
from search.pagination import RankedMatches
from tests.factories import (
    AnswerFactory,
    CaseStudyFactory,
    CommitmentFactory,
    DepartmentFactory,
    InitiativeFactory,
    InitiativePointFactory,
    MeasureFactory,
    OpinionFactory,
    ProgressReportFactory,
    ProposalFactory,
)

pytestmark = pytest.mark.django_db


def search(client, q, **params):
    return client.get(reverse("search:results"), {"q": q, **params})


def titles(response):
    return [result.document.title for result in response.context["results"]]


@pytest.fixture
def playground(wards):
    """The report's main initiative of case 4, written 冒険あそび場 as the report does."""
    initiative = InitiativeFactory(
        ward=wards["miyamae"],
        title="冒険あそび場活動支援事業",
        summary="地域が主体となって「冒険あそび場」を実施し、区が支援する。",
        departments=[DepartmentFactory(ward=wards["miyamae"], name="こども支援室")],
    )
    InitiativePointFactory(initiative=initiative, text="出張遊び場の開催、広報の実施")
    return initiative


@pytest.mark.parametrize(
    "q",
    [
        "冒険あそび場",
        "冒険遊び場",
        "ぼうけんあそびば",
        "ボウケンアソビバ",
        "ﾎﾞｳｹﾝｱｿﾋﾞﾊﾞ",
        "冒険 あそび場",
        "冒険　遊び場",
        "あそび",
    ],
)
def test_spelling_variants_find_the_playground(client, playground, q):
    assert titles(search(client, q)) == ["冒険あそび場活動支援事業"]


@pytest.mark.parametrize("q", ["宮前", "宮前区", "みやまえ", "こども支援室"])
def test_ward_and_department_names_find_the_wards_initiatives(client, playground, q):
    assert "冒険あそび場活動支援事業" in titles(search(client, q))


def test_two_character_ward_name_finds_only_that_wards_initiatives(client, wards):
    InitiativeFactory(ward=wards["takatsu"], title="市民館との連携")
    InitiativeFactory(ward=wards["asao"], title="地域の防災訓練")
    assert titles(search(client, "高津")) == ["市民館との連携"]


@pytest.mark.parametrize("q", ["NPO", "npo", "ＮＰＯ", "ｎｐｏ", "N P O"])
def test_latin_letters_match_across_width_and_case(client, wards, q):
    InitiativeFactory(ward=wards["tama"], title="ＮＰＯとの協働", summary="")
    assert titles(search(client, q)) == ["ＮＰＯとの協働"]


@pytest.mark.parametrize("q", ["2011", "２０１１"])
def test_digits_match_across_width(client, wards, q):
    InitiativeFactory(ward=wards["tama"], title="平成23年（2011年）の講座", summary="")
    assert titles(search(client, q)) == ["平成23年（2011年）の講座"]


def test_a_search_that_matches_nothing_says_so_and_offers_to_browse(client, playground):
    response = search(client, "存在しない語句")
    assert response.status_code == 200
    assert response.context["results"] == []
    content = response.content.decode()
    assert "「存在しない語句」に当てはまるものはありません。" in content
    assert reverse("initiatives:list") in content


@pytest.mark.parametrize("q", ["%", "_", "%%", "'", '"', "\\", "冒険%", "冒_険", "' OR 1=1 --"])
def test_wildcards_and_quotes_are_plain_characters(client, playground, q):
    response = search(client, q)
    assert response.status_code == 200
    assert titles(response) == []


def test_percent_sign_finds_text_that_holds_one(client, wards):
    InitiativeFactory(ward=wards["saiwai"], title="参加率100%をめざす", summary="")
    InitiativeFactory(ward=wards["saiwai"], title="参加率の向上", summary="")
    assert titles(search(client, "100%")) == ["参加率100%をめざす"]


def test_a_very_long_query_is_shortened_with_a_notice(client, playground):
    response = search(client, "冒険あそび場" * 200)
    assert response.status_code == 200
    assert response.context["query"].text == ("冒険あそび場" * 200)[:100]
    assert response.context["notices"]


def test_an_empty_query_shows_the_form_only(client, playground):
    response = search(client, "   ")
    assert response.status_code == 200
    assert response.context["results"] == []


def test_drafts_future_publications_and_unpublished_opinions_are_not_found(client, wards):
    InitiativeFactory(
        ward=wards["tama"], title="秘密の下書き", status=InitiativeStatus.DRAFT, published_at=None
    )
    InitiativeFactory(
        ward=wards["tama"],
        title="秘密の予告",
        published_at=timezone.now() + datetime.timedelta(days=30),
    )
    OpinionFactory(topic="秘密の意見", state=OpinionState.PENDING)
    assert titles(search(client, "秘密")) == []


def test_title_matches_rank_before_body_matches(client, wards):
    InitiativeFactory(ward=wards["tama"], title="区民会議の運営", summary="市民館で講座を開く。")
    InitiativeFactory(ward=wards["tama"], title="市民館の講座", summary="区民会議の提案から。")
    assert titles(search(client, "区民会議")) == ["区民会議の運営", "市民館の講座"]


def test_every_kind_of_document_is_found(client, wards):
    case = CaseStudyFactory(title="市民館を拠点とした協働の推進")
    MeasureFactory(title="市民館の機能強化")
    OpinionFactory(case_study=case, topic="市民館の役割について")
    initiative = InitiativeFactory(ward=wards["tama"], case_study=case, title="市民館の講座")
    commitment = CommitmentFactory(initiative=initiative, text="市民館の講座を増やす")
    ProgressReportFactory(commitment=commitment, published=True, text="市民館で講座を開いた")
    ProposalFactory(ward=wards["tama"], title="市民館で夜の講座を")
    kinds = {result.document.kind for result in search(client, "市民館").context["results"]}
    assert kinds == set(DocumentKind.values)


def test_a_proposal_is_found_only_while_published_and_never_by_its_email(client, wards):
    published = ProposalFactory(
        ward=wards["tama"], title="商店街にベンチを", email="secret@example.jp"
    )
    ProposalFactory(ward=wards["tama"], title="商店街に花を", confirmed=True)
    ProposalFactory(ward=wards["tama"], title="商店街に灯りを", unconfirmed=True)

    found = [r.document.object_id for r in search(client, "商店街").context["results"]]

    assert found == [published.pk]
    assert not search(client, "secret@example").context["results"]


def test_a_proposal_is_found_by_its_answers_way_forward(client, wards):
    answer = AnswerFactory(
        proposal=ProposalFactory(ward=wards["tama"]), way_forward="町内会と協議します"
    )

    found = [r.document.object_id for r in search(client, "町内会と協議").context["results"]]

    assert found == [answer.proposal.pk]


def test_the_match_is_highlighted_in_title_and_passage(client, playground):
    (result,) = search(client, "あそび場").context["results"]
    assert str(result.title) == "冒険<mark>あそび場</mark>活動支援事業"
    assert "「冒険<mark>あそび場</mark>」" in str(result.passage)


def test_a_match_by_reading_highlights_the_original_spelling(client, playground):
    (result,) = search(client, "遊び場").context["results"]
    assert "<mark>あそび場</mark>" in str(result.title)


def test_data_text_is_escaped_before_the_match_is_marked(client, wards):
    InitiativeFactory(ward=wards["tama"], title="<b>講座</b> & <script>x</script>", summary="")
    content = search(client, "講座").content.decode()
    assert "&lt;b&gt;<mark>講座</mark>&lt;/b&gt; &amp; &lt;script&gt;" in content
    assert "<script>x" not in content


def test_results_link_to_the_english_pages_in_english(client, playground):
    response = client.get("/en/search/", {"q": "冒険"})
    (result,) = response.context["results"]
    assert result.url == f"/en/initiatives/{playground.pk}/"


def test_an_out_of_range_page_shows_the_last_page_with_a_notice(client, playground):
    response = search(client, "冒険", page="999")
    assert response.status_code == 200
    assert response.context["page_obj"].number == 1
    assert response.context["notices"]


def test_the_header_of_every_page_has_the_search_box(client, playground):
    content = search(client, "").content.decode()
    assert 'role="search"' in content
    assert f'action="{reverse("search:results")}"' in content


@pytest.mark.parametrize("size", [3, 30])
def test_search_page_queries_do_not_grow_with_results(
    client, wards, django_assert_num_queries, size
):
    for _ in range(size):
        InitiativeFactory(ward=wards["miyamae"], title="冒険あそび場")
    # The count of the paginator, then the page.
    with django_assert_num_queries(2):
        search(client, "冒険遊び場")


def test_the_query_keeps_its_typed_text_for_display():
    query = SearchQuery("  冒険   遊び場 ")
    assert query.text == "冒険 遊び場"
    assert query.normalised == "冒険遊び場"
    assert query.reading == "ぼうけんあそびば"


def test_saving_and_unpublishing_keep_the_index_current(wards):
    initiative = InitiativeFactory(ward=wards["tama"], title="防災訓練")
    index.flush()
    assert (
        SearchDocument.objects.get(kind="initiative", object_id=initiative.pk).title == "防災訓練"
    )
    initiative.status, initiative.published_at = InitiativeStatus.DRAFT, None
    initiative.save()
    index.flush()
    assert not SearchDocument.objects.filter(kind="initiative").exists()


def test_adding_a_department_reindexes_the_initiative(wards):
    initiative = InitiativeFactory(ward=wards["tama"], title="防災訓練")
    initiative.departments.add(DepartmentFactory(ward=wards["tama"], name="危機管理担当"))
    index.flush()
    assert (
        "危機管理担当"
        in SearchDocument.objects.get(kind="initiative", object_id=initiative.pk).body
    )


def test_deleting_a_case_study_removes_its_document(wards):
    case = CaseStudyFactory(title="協働の推進")
    index.flush()
    assert SearchDocument.objects.filter(kind="case").exists()
    case.delete()
    assert not SearchDocument.objects.filter(kind="case").exists()


def test_rows_saved_in_one_transaction_index_their_initiative_once(
    wards, django_capture_on_commit_callbacks, monkeypatch
):
    indexed = []
    real_index_objects = index.index_objects

    def recording_index_objects(model, pks):
        indexed.append((model.__name__, set(pks)))
        real_index_objects(model, pks)

    monkeypatch.setattr(index, "index_objects", recording_index_objects)
    with django_capture_on_commit_callbacks(execute=True):
        initiative = InitiativeFactory(ward=wards["tama"], title="防災訓練")
        for text in ("避難所の運営", "備蓄品の点検", "地域防災マップ"):
            InitiativePointFactory(initiative=initiative, text=text)
    assert [pks for name, pks in indexed if name == "Initiative"] == [{initiative.pk}]
    body = SearchDocument.objects.get(kind="initiative", object_id=initiative.pk).body
    assert "地域防災マップ" in body


def test_the_report_writes_one_word_two_ways_and_both_spellings_find_both(client, report_data):
    # The report writes 冒険あそび場 for the Miyamae initiative and 冒険遊び場 in an opinion.
    for q in ("冒険あそび場", "冒険遊び場"):
        results = search(client, q).context["results"]
        kinds = {result.document.kind for result in results}
        assert {DocumentKind.INITIATIVE, DocumentKind.OPINION} <= kinds, q


@pytest.mark.parametrize("q", ["宮前", "高津"])
def test_two_character_ward_names_find_the_reports_initiatives(client, report_data, q):
    results = search(client, q).context["results"]
    assert any(result.document.kind == DocumentKind.INITIATIVE for result in results)


# --- how many are counted, and pages read rank by rank -----------------------


@pytest.fixture
def community_centre(wards):
    """Matches of 市民館 of each rank, created out of order, and two non-matches."""
    made = {}
    for name, title, summary in [
        ("body 1", "講座の開催", "市民館で開く。"),
        ("title 1", "市民館の講座", ""),
        ("reading 1", "しみんかんまつり", ""),
        ("body 2", "区民祭", "会場は市民館。"),
        ("other 1", "公園の清掃", "公園で行う。"),
        ("title 2", "市民館の改修", ""),
        ("body 3", "子育て相談", "市民館で受け付ける。"),
        ("reading 2", "シミンカンの案内", ""),
        ("other 2", "防災訓練", "区役所で行う。"),
        ("body 4", "読書会", "市民館の図書室で。"),
        ("title 3", "中原市民館の講座", ""),
        ("body 5", "料理教室", "市民館の調理室で。"),
    ]:
        made[name] = InitiativeFactory(ward=wards["nakahara"], title=title, summary=summary)
    return made


def ranked_titles(made):
    """Title matches, then title reading matches, then body matches; each by id."""
    return [
        made[name].title
        for prefix in ("title", "reading", "body")
        for name in sorted((n for n in made if n.startswith(prefix)), key=lambda n: made[n].pk)
    ]


def all_pages(client, q):
    titles, page = [], 1
    while True:
        response = search(client, q, page=page)
        titles += [result.document.title for result in response.context["results"]]
        if not response.context["page_obj"].has_next():
            return titles
        page += 1


@pytest.mark.parametrize(
    ("cap", "ordered_scan_factor"),
    [(1000, 10), (9, 0)],
    ids=["few matches: all found by the index", "more than the cap: read in index order"],
)
def test_pages_list_title_then_title_reading_then_body_matches(
    client, community_centre, monkeypatch, cap, ordered_scan_factor
):
    monkeypatch.setattr(SearchView, "paginate_by", 2)
    monkeypatch.setattr(RankedMatches, "cap", cap)
    monkeypatch.setattr(RankedMatches, "ordered_scan_factor", ordered_scan_factor)

    assert all_pages(client, "市民館") == ranked_titles(community_centre)[:cap]


def test_past_the_cap_the_count_says_more_and_the_pages_hold_the_first(
    client, community_centre, monkeypatch
):
    monkeypatch.setattr(SearchView, "paginate_by", 2)
    monkeypatch.setattr(RankedMatches, "cap", 3)

    response = search(client, "市民館")
    paginator = response.context["page_obj"].paginator
    assert (paginator.count, paginator.num_pages, paginator.capped) == (3, 2, True)
    content = response.content.decode()
    assert "「市民館」の検索結果：3件以上" in content
    assert "上位3件を表示しています。" in content

    last = search(client, "市民館", page=3)
    assert last.context["page_obj"].number == 2
    assert [r.document.title for r in last.context["results"]] == ["中原市民館の講座"]


def test_in_english_the_capped_count_says_more_than(client, community_centre, monkeypatch):
    monkeypatch.setattr(RankedMatches, "cap", 3)
    response = client.get("/en/search/", {"q": "市民館"})
    assert "More than 3 results for “市民館”" in response.content.decode()


def test_up_to_the_cap_the_count_is_exact(client, community_centre):
    paginator = search(client, "市民館").context["page_obj"].paginator
    assert (paginator.count, paginator.capped) == (10, False)


@pytest.mark.parametrize("matches", [1, 12])
@pytest.mark.parametrize("cap", [1000, 5])
def test_a_search_costs_two_queries_however_many_match(
    client, wards, monkeypatch, django_assert_num_queries, matches, cap
):
    monkeypatch.setattr(RankedMatches, "cap", cap)
    for number in range(matches):
        InitiativeFactory(ward=wards["asao"], title=f"里山の保全{number}", summary="里山で。")
    index.flush()

    with django_assert_num_queries(2):
        response = search(client, "里山")

    assert len(response.context["results"]) == min(matches, cap, 20)


# --- what a short or long query finds ----------------------------------------


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("議", ["区民会議の運営"]),
        ("みやま", ["みやまの里"]),
        ("みやまえ", []),
        ("やまの里", ["みやまの里"]),
    ],
)
def test_a_query_finds_exactly_the_documents_holding_it(client, wards, q, expected):
    InitiativeFactory(ward=wards["tama"], title="区民会議の運営", summary="")
    InitiativeFactory(ward=wards["tama"], title="みやまの里", summary="みやげとやまえの話")
    InitiativeFactory(ward=wards["tama"], title="みやげ", summary="やまびこ")
    assert titles(search(client, q)) == expected
