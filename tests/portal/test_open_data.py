"""/open-data/: one file per dataset as CSV, XLSX and JSON, the ZIP, the dictionary, the
licence; only what the public pages show; cached until the data changes."""

import csv
import io
import json
import zipfile
from datetime import datetime, timedelta

import openpyxl
import pytest
from django.urls import reverse

from feedback.models import Opinion
from initiatives.models import CaseStudy, Initiative, Pillar, ReformPlan
from portal.open_data.datasets import DATASETS
from portal.open_data.writers import csv_cell
from tests import factories

pytestmark = pytest.mark.django_db

SECRET_TITLE = "下書きで見せない取組"
SECRET_COMMENT = "まだ公開しないコメント"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    # The files are kept in the media storage until the data changes.
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def portal_data(report_data):
    """The report, with a draft, a future one, and comments in every state."""
    ward = factories.ward("miyamae")
    case = CaseStudy.objects.first()
    factories.InitiativeFactory(ward=ward, case_study=case, draft=True, title=SECRET_TITLE)
    factories.InitiativeFactory(ward=ward, case_study=case, scheduled=True, title=SECRET_TITLE)
    author = factories.UserFactory(
        username="member1", first_name="太郎", last_name="川崎", email="taro@example.jp"
    )
    shown = factories.CommentFactory(
        case_study=case, author=author, state="published", body="公開されたコメント"
    )
    factories.CommentFactory(case_study=case, author=author, body=SECRET_COMMENT)
    factories.CommentFactory(case_study=case, author=author, state="rejected", body=SECRET_COMMENT)
    hidden = factories.CommentFactory(
        case_study=case, author=author, state="withdrawn", body=SECRET_COMMENT
    )
    # A withdrawn comment leaves a stub on its case page, under which its published
    # replies stay: the reply is public, the withdrawn text is not.
    factories.CommentFactory(
        case_study=case,
        author=author,
        state="published",
        parent=hidden,
        body="取り下げ後も残る返信",
    )
    factories.CommentFactory(
        case_study=case, author=author, state="published", parent=shown, body="公開された返信"
    )
    published = factories.ProposalFactory(ward=ward, display_name="宮前の住民")
    factories.AnswerFactory(proposal=published)
    factories.ProposalFactory(ward=ward, title=SECRET_TITLE, confirmed=True)
    hidden = factories.ProposalFactory(ward=ward, title=SECRET_TITLE, unconfirmed=True)
    factories.AnswerFactory(proposal=hidden, text=SECRET_COMMENT)
    public_initiative = Initiative.objects.published().first()
    commitment = factories.CommitmentFactory(initiative=public_initiative, target_value=8)
    factories.ProgressReportFactory(commitment=commitment, published=True)
    factories.ProgressReportFactory(commitment=commitment, text=SECRET_COMMENT)
    draft = Initiative.objects.get(title=SECRET_TITLE, status="draft")
    factories.CommitmentFactory(initiative=draft, text=SECRET_COMMENT)
    return case


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def download(client, name, slug=None):
    url = reverse(f"open_data:{name}", args=[slug] if slug else [])
    response = client.get(url)
    assert response.status_code == 200, url
    return content(response)


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def every_file(client) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(download(client, "zip"))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_page_lists_a_csv_xlsx_and_json_of_every_dataset_and_the_zip(client, portal_data):
    response = client.get(reverse("open_data:page"))
    assert response.status_code == 200
    for slug in DATASETS:
        for name in ("csv", "xlsx", "json"):
            assert reverse(f"open_data:{name}", args=[slug]) in response.text
    assert reverse("open_data:zip") in response.text


def test_the_page_shows_the_licence_and_the_attribution_in_both_languages(client, portal_data):
    japanese = client.get(reverse("open_data:page")).text
    assert "出典：川崎市 区役所の取組ポータル（http://testserver/open-data/）" in japanese
    assert "公共データ利用規約" in japanese
    assert "CC BY 4.0" in japanese
    english = client.get("/en/open-data/").text
    assert "Public Data License version 1.0" in english
    assert "出典：川崎市 区役所の取組ポータル（http://testserver/en/open-data/）" in english


def test_each_csv_starts_with_a_bom_and_has_crlf_and_one_header_row(client, portal_data):
    for slug, dataset in DATASETS.items():
        data = download(client, "csv", slug)
        assert data.startswith(b"\xef\xbb\xbf"), slug
        assert b"\r\n" in data
        # Every line ends in CRLF (a line break inside a quoted cell is the cell's own).
        assert data.endswith(b"\r\n")
        rows = csv_rows(data)
        assert rows[0] == dataset.column_names, slug
        assert all(len(row) == len(rows[0]) for row in rows), slug
        assert all(any(cell for cell in row) for row in rows), f"a blank row in {slug}"


def test_each_xlsx_holds_the_same_rows_as_its_csv_and_its_dictionary_and_licence(
    client, portal_data
):
    for slug in DATASETS:
        rows = csv_rows(download(client, "csv", slug))
        workbook = openpyxl.load_workbook(io.BytesIO(download(client, "xlsx", slug)))
        assert workbook.sheetnames == [slug[:31], "dictionary", "licence"]
        sheet = [
            [csv_cell(value) for value in row]
            for row in workbook[slug[:31]].iter_rows(values_only=True)
        ]
        assert sheet == rows, slug
        licence = " ".join(str(row[0]) for row in workbook["licence"].iter_rows(values_only=True))
        assert "出典：川崎市 区役所の取組ポータル" in licence


def test_each_json_holds_the_licence_the_columns_and_the_rows_of_its_csv(client, portal_data):
    for slug in DATASETS:
        rows = csv_rows(download(client, "csv", slug))
        document = json.loads(download(client, "json", slug))
        assert document["licence"]["id"] == "PDL-1.0"
        assert "出典：川崎市 区役所の取組ポータル" in document["licence"]["attribution"]
        assert [column["name"] for column in document["columns"]] == rows[0]
        as_csv = [[csv_cell(row[name]) for name in rows[0]] for row in document["rows"]]
        assert as_csv == rows[1:], slug


def test_the_zip_holds_every_csv_the_dictionary_a_readme_and_the_licence(client, portal_data):
    files = every_file(client)
    assert set(files) == {
        *(f"{slug}.csv" for slug in DATASETS),
        "dictionary.csv",
        "README.txt",
        "LICENSE.txt",
    }
    for slug in DATASETS:
        assert files[f"{slug}.csv"] == download(client, "csv", slug)
    assert "CC BY 4.0" in files["LICENSE.txt"].decode()
    assert "出典：川崎市 区役所の取組ポータル" in files["README.txt"].decode()


def test_the_dictionary_names_every_column_of_every_file_with_type_meaning_and_example(
    client, portal_data
):
    files = every_file(client)
    dictionary = csv_rows(files["dictionary.csv"])
    header, entries = dictionary[0], dictionary[1:]
    assert header[:6] == ["file", "column", "type", "meaning_ja", "meaning_en", "example"]
    described = {(row[0], row[1]) for row in entries}
    columns = {
        (name, column)
        for name, data in files.items()
        if name.endswith(".csv") and name != "dictionary.csv"
        for column in csv_rows(data)[0]
    }
    assert columns == described
    assert all(row[2] and row[3] and row[4] for row in entries)
    page = client.get(reverse("open_data:page")).text
    for _file, column in columns:
        assert f"<code>{column}</code>" in page


def test_each_download_counts_what_the_public_pages_count(client, portal_data):
    def count(slug):
        return len(csv_rows(download(client, "csv", slug))) - 1

    listed = client.get(reverse("initiatives:list")).context["paginator"].count
    assert count("initiatives") == listed == Initiative.objects.published().count()
    assert (
        count("case_studies")
        == client.get(reverse("initiatives:case-list")).context["paginator"].count
    )
    assert count("wards") == len(client.get(reverse("wards:list")).context["ward_list"])
    visions = client.get(reverse("initiatives:vision-list")).context["vision_list"]
    assert count("visions") == len(visions)
    plan = client.get(reverse("initiatives:reform-plan")).context["reformplan"]
    assert count("pillars") == len(plan.pillars.all())
    assert count("pillar_items") == sum(len(p.items.all()) for p in plan.pillars.all())
    measures = 0
    for vision in visions:
        page = client.get(vision.get_absolute_url()).context["vision"]
        measures += sum(len(area.measures.all()) for area in page.focus_areas.all())
    assert count("measures") == measures
    comments = 0
    cases = CaseStudy.objects.all()
    for number in cases:
        page = client.get(number.get_absolute_url()).context
        shown = page["member_comments"]
        # A withdrawn comment's stub shows no text of its own: only its replies count.
        comments += len([c for c in shown if not c.is_withdrawn])
        comments += sum(len(c.visible_replies) for c in shown)
    assert count("comments") == comments == 3
    report_opinions = Opinion.objects.from_report().published().count()
    assert count("opinions") == report_opinions
    assert count("initiative_points") == sum(
        initiative.points.count() for initiative in Initiative.objects.published()
    )
    proposals = client.get(reverse("proposals:list")).context["paginator"].count
    assert count("proposals") == proposals == 1
    assert count("answers") == 1
    from initiatives.models import Commitment, ProgressReport

    assert count("commitments") == Commitment.objects.public().count()
    assert count("progress_reports") == ProgressReport.objects.published().count() >= 1
    assert ReformPlan.objects.count() == 1
    assert Pillar.objects.count() == count("pillars")


def test_no_file_holds_a_draft_an_unpublished_comment_an_e_mail_or_a_user_name(client, portal_data):
    files = every_file(client)
    for slug in DATASETS:
        files[f"{slug}.json"] = download(client, "json", slug)
    for name, data in files.items():
        text = data.decode("utf-8-sig")
        assert SECRET_TITLE not in text, name
        assert SECRET_COMMENT not in text, name
        assert "@example.jp" not in text, name
        assert "member1" not in text, name
    comments = csv_rows(files["comments.csv"])
    assert {row[comments[0].index("author_name")] for row in comments[1:]} == {
        "川崎 太郎"
    }  # as the case page shows it


def test_codes_fiscal_years_and_names_follow_the_machine_readable_rules(client, portal_data):
    wards = csv_rows(download(client, "csv", "wards"))
    header = wards[0]
    miyamae = next(row for row in wards if row[header.index("slug")] == "miyamae")
    assert miyamae[header.index("local_government_code")] == "141364"
    assert miyamae[header.index("city_code")] == "141305"
    assert miyamae[header.index("name")] == "宮前区"
    assert miyamae[header.index("name_en")] == "Miyamae Ward"
    assert miyamae[header.index("reading")] == "みやまえく"
    measures = csv_rows(download(client, "csv", "measures"))
    header = measures[0]
    dated = [row for row in measures[1:] if row[header.index("fiscal_year")]]
    assert dated
    for row in dated:
        year = int(row[header.index("fiscal_year")])
        assert row[header.index("fiscal_year_wareki")].endswith("年度")
        if 1989 < year < 2019:
            assert row[header.index("fiscal_year_wareki")] == f"平成{year - 1988}年度"
    initiatives = csv_rows(download(client, "csv", "initiatives"))
    published_at = initiatives[1][initiatives[0].index("published_at")]
    assert datetime.fromisoformat(published_at).utcoffset() == timedelta(hours=9)
    assert published_at[10] == "T"


def test_a_file_answers_304_until_the_data_changes(client, portal_data):
    url = reverse("open_data:csv", args=["initiatives"])
    first = client.get(url)
    content(first)
    assert first["ETag"]
    assert first["Last-Modified"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    kept = client.get(url)
    assert content(kept) == content(client.get(url))
    initiative = Initiative.objects.published().first()
    initiative.title = "変わった題名"
    initiative.save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert "変わった題名" in content(changed).decode("utf-8-sig")


def test_a_scheduled_initiative_shows_once_its_time_comes_without_being_saved(client, portal_data):
    from django.utils import timezone

    url = reverse("open_data:csv", args=["initiatives"])
    before = client.get(url)
    assert SECRET_TITLE not in content(before).decode("utf-8-sig")
    scheduled = Initiative.objects.filter(title=SECRET_TITLE, status="published").get()
    # Past the signals, as the coming of a publication time is.
    Initiative.objects.filter(pk=scheduled.pk).update(published_at=timezone.now())
    after = client.get(url)
    assert after["ETag"] != before["ETag"]
    assert SECRET_TITLE in content(after).decode("utf-8-sig")


@pytest.mark.parametrize("size", [1, 3])
def test_the_page_costs_the_same_queries_whatever_the_data(
    client, make_portal, django_assert_num_queries, size
):
    make_portal(size=size)
    with django_assert_num_queries(1 + len(DATASETS)):
        assert client.get(reverse("open_data:page")).status_code == 200
    with django_assert_num_queries(1):
        assert client.get(reverse("open_data:page")).status_code == 200


@pytest.mark.parametrize("size", [1, 3])
def test_a_download_costs_the_same_queries_whatever_the_data(
    client, make_portal, django_assert_num_queries, size
):
    make_portal(size=size)
    with django_assert_num_queries(2):
        content(client.get(reverse("open_data:csv", args=["initiatives"])))
