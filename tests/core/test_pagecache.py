"""Whole pages cached for anonymous visitors: fresh on the next request after any change,
scheduled publications on time, never personal, conditional requests answered."""

import datetime

import pytest
import tablib
import time_machine
from django.contrib.messages import constants as message_levels
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from core import pagecache
from feedback import services as feedback_services
from initiatives.models import Initiative
from initiatives.resources import InitiativeResource
from tests.factories import (
    CaseStudyFactory,
    CommentFactory,
    DepartmentFactory,
    InitiativeFactory,
    OpinionFactory,
    WardFactory,
    user_with_role,
)
from tests.initiatives.imports import HEADER, confirm, csv_bytes, upload
from tests.initiatives.test_admin_access import initiative_form_data
from wards.roles import Role

pytestmark = pytest.mark.django_db


def pages_showing(initiative):
    """Every page that shows an initiative's title, in both languages."""
    paths = [
        "/",
        "/initiatives/",
        f"/initiatives/?ward={initiative.ward.slug}",
        f"/initiatives/{initiative.pk}/",
        f"/wards/{initiative.ward.slug}/",
        f"/cases/{initiative.case_study.number}/",
        f"/search/?q={initiative.title}",
    ]
    return [*paths, *(f"/en{path}" for path in paths)]


def cached(client, path):
    """The page, asked twice: the second answer must come from the page cache."""
    first = client.get(path)
    second = client.get(path)
    assert first.status_code == second.status_code == 200, path
    assert second.context is None, f"{path} was rendered again, not served from the cache"
    return second.content.decode()


@pytest.fixture
def initiative():
    return InitiativeFactory(
        ward=WardFactory(slug="miyamae", name="宮前区"),
        case_study=CaseStudyFactory(number=41),
        title="冒険遊び場",
    )


def test_a_page_asked_again_is_served_from_the_cache_without_a_query(
    client, initiative, django_assert_num_queries
):
    client.get("/")
    with django_assert_num_queries(0):
        response = client.get("/")
    assert response.status_code == 200
    assert response.context is None
    assert "冒険遊び場" in response.content.decode()


def test_each_language_and_each_query_string_is_its_own_page(client, initiative):
    japanese = cached(client, "/initiatives/")
    english = cached(client, "/en/initiatives/")
    assert 'lang="ja"' in japanese
    assert 'lang="en"' in english
    assert client.get("/initiatives/?ward=nowhere").context is not None


def test_a_change_saved_through_the_admin_is_on_the_next_request_of_every_page(
    client, initiative, secretariat
):
    pages = pages_showing(initiative)
    for path in pages:
        assert "冒険遊び場" in cached(client, path), path
    staff = Client()
    staff.force_login(secretariat)
    data = initiative_form_data(
        title="冒険あそび場の日",
        version=initiative.version,
        ward=initiative.ward.pk,
        case_study=initiative.case_study.pk,
        fiscal_year_start=2010,
        status="published",
        published_at_0="2020-04-01",
        published_at_1="10:00:00",
    )

    response = staff.post(f"/admin/initiatives/initiative/{initiative.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].errors
    for path in pages:
        path = path.replace("q=冒険遊び場", "q=冒険あそび場の日")
        assert "冒険あそび場の日" in client.get(path).content.decode(), path


def test_a_change_made_by_an_import_is_on_the_next_request(client, initiative, saiwai_staff):
    saiwai = WardFactory(slug="saiwai", name="幸区")
    mine = InitiativeFactory(ward=saiwai, case_study=initiative.case_study, title="見守り")
    pages = [f"/wards/{saiwai.slug}/", f"/initiatives/{mine.pk}/", "/en/initiatives/"]
    for path in pages:
        assert "見守り" in cached(client, path)
    staff = Client()
    staff.force_login(saiwai_staff)
    row = [mine.pk, "saiwai", 41, "見守りの輪", "", "2010", "published", mine.version]

    confirm(staff, upload(staff, csv_bytes([row], header=[*HEADER, "version"])))

    assert Initiative.objects.get(pk=mine.pk).title == "見守りの輪"
    for path in pages:
        assert "見守りの輪" in client.get(path).content.decode(), path


def test_a_change_made_by_the_import_resource_outside_the_admin_is_on_the_next_request(
    client, initiative
):
    assert "冒険遊び場" in cached(client, f"/initiatives/{initiative.pk}/")
    dataset = InitiativeResource().export(queryset=Initiative.objects.filter(pk=initiative.pk))
    rows = [list(row) for row in dataset]
    rows[0][dataset.headers.index("タイトル")] = "冒険遊び場の一日"

    result = InitiativeResource().import_data(tablib.Dataset(*rows, headers=dataset.headers))

    assert not result.has_errors()
    assert "冒険遊び場の一日" in client.get(f"/initiatives/{initiative.pk}/").content.decode()


def test_a_comment_published_by_the_moderation_service_is_on_the_next_request(client, initiative):
    comment = CommentFactory(case_study=initiative.case_study, body="子どもの声が響く")
    path = f"/cases/{initiative.case_study.number}/"
    assert "子どもの声が響く" not in cached(client, path)

    # An UPDATE of the row, past the model's signals.
    assert feedback_services.comment_publish(comment_id=comment.pk, version=comment.version)

    assert "子どもの声が響く" in client.get(path).content.decode()
    assert "が響く" in client.get("/search/?q=子どもの声").content.decode()


def test_a_deletion_is_on_the_next_request(client, initiative):
    opinion = OpinionFactory(case_study=initiative.case_study, body="消える意見")
    path = f"/cases/{initiative.case_study.number}/"
    assert "消える意見" in cached(client, path)

    opinion.delete()

    assert "消える意見" not in client.get(path).content.decode()


def test_a_change_of_linked_rows_alone_is_on_the_next_request(client, initiative):
    department = DepartmentFactory(ward=initiative.ward, name="道路公園センター")
    path = f"/initiatives/{initiative.pk}/"
    assert "道路公園センター" not in cached(client, path)

    initiative.departments.add(department)

    assert "道路公園センター" in client.get(path).content.decode()


def test_a_scheduled_publication_appears_at_its_time(client, initiative):
    publication = timezone.now() + datetime.timedelta(hours=2)
    InitiativeFactory(
        ward=initiative.ward,
        case_study=initiative.case_study,
        title="夜明けの公開",
        published_at=publication,
    )
    pages = ["/", "/initiatives/", f"/wards/{initiative.ward.slug}/", "/en/initiatives/"]

    with time_machine.travel(publication - datetime.timedelta(seconds=1), tick=False):
        for path in pages:
            assert "夜明けの公開" not in cached(client, path), path
    with time_machine.travel(publication, tick=False):
        for path in pages:
            assert "夜明けの公開" in client.get(path).content.decode(), path
        # …and the new pages are cached again until the next change.
        assert client.get("/").context is None


def test_a_scheduled_publication_after_another_appears_at_its_own_time(client, initiative):
    first = timezone.now() + datetime.timedelta(hours=1)
    second = first + datetime.timedelta(minutes=30)
    InitiativeFactory(ward=initiative.ward, title="一番目", published_at=first)
    InitiativeFactory(ward=initiative.ward, title="二番目", published_at=second)

    with time_machine.travel(first, tick=False):
        page = cached(client, "/initiatives/")
        assert "一番目" in page
        assert "二番目" not in page
    with time_machine.travel(second + datetime.timedelta(milliseconds=500), tick=False):
        assert "二番目" in client.get("/initiatives/").content.decode()


def test_a_signed_in_members_page_is_never_served_from_the_anonymous_cache(client, initiative):
    # No name on record: the page shows the member by the username.
    committee_member = user_with_role(Role.COMMITTEE, username="committee")
    path = f"/cases/{initiative.case_study.number}/"
    anonymous = cached(client, path)
    member = Client()
    member.force_login(committee_member)

    response = member.get(path)

    assert response.context is not None  # rendered for the member
    assert response["Cache-Control"] == "private, no-store"
    assert committee_member.username not in anonymous
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_a_page_rendered_for_a_signed_in_member_is_never_stored_for_anonymous_visitors(
    client, initiative, member
):
    path = f"/cases/{initiative.case_study.number}/"
    members_client = Client()
    members_client.force_login(member)
    members_client.get(path)
    members_client.get(path)

    response = client.get(path)

    assert response.context is not None  # rendered afresh, nothing was stored by the member
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_a_visitor_with_a_message_waiting_is_not_served_nor_stored(client, initiative, rf):
    path = f"/initiatives/{initiative.pk}/"
    cached(client, path)
    request = rf.get("/")
    storage = CookieStorage(request)
    storage.add(message_levels.INFO, "保存しました")
    response = client.get("/")  # any response to carry the cookie
    storage.update(response)
    client.cookies["messages"] = response.cookies["messages"].value

    answer = client.get(path)

    assert answer.context is not None
    assert answer["Cache-Control"] == "private, no-store"


def test_a_page_with_a_csrf_token_is_never_stored(client):
    first = client.get("/accounts/login/")
    second = client.get("/accounts/login/")
    assert 'name="csrfmiddlewaretoken"' in first.content.decode()
    assert second.context is not None


def test_a_response_that_sets_a_cookie_is_never_stored(client, initiative):
    request = client.get("/").wsgi_request
    response = HttpResponse("<p>x</p>")
    response.set_cookie("tracking", "1")
    assert not pagecache._storable(request, response)


def test_only_successful_gets_are_stored(client, initiative):
    assert client.get("/initiatives/999999/").status_code == 404
    assert client.get("/initiatives/999999/").context is not None
    head = client.head("/")
    assert head.status_code == 200
    assert client.get("/").context is not None  # the HEAD stored nothing


def test_a_cached_page_carries_no_csrf_token_and_no_message(client, initiative):
    for path in pages_showing(initiative):
        page = cached(client, path)
        assert "csrfmiddlewaretoken" not in page, path
        assert 'class="messages"' not in page, path


def test_an_unchanged_page_answers_304_to_its_etag_and_to_its_date(client, initiative):
    first = client.get("/wards/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert first["Cache-Control"].startswith("public, max-age=")

    by_etag = client.get("/wards/", HTTP_IF_NONE_MATCH=etag)
    by_date = client.get("/wards/", HTTP_IF_MODIFIED_SINCE=modified)

    assert by_etag.status_code == by_date.status_code == 304
    assert by_etag.content == b""
    assert by_etag["ETag"] == etag


def test_a_changed_page_answers_200_to_the_old_etag(client, initiative):
    etag = client.get("/").get("ETag")
    initiative.title = "冒険遊び場の秋"
    initiative.save()

    response = client.get("/", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert "冒険遊び場の秋" in response.content.decode()
    assert response["ETag"] != etag


def test_health_checks_and_the_admin_are_never_cached(client):
    assert "no-cache" in client.get("/healthz")["Cache-Control"]
    assert client.get("/admin/login/").context is not None
    assert client.get("/admin/login/").context is not None


def test_a_sign_in_alone_does_not_make_the_pages_stale(client, initiative, member):
    version = pagecache.current_version()
    response = Client().post(
        "/accounts/login/", {"username": member.username, "password": "password"}
    )
    assert response.status_code == 302
    assert pagecache.current_version() == version


def test_the_cache_can_be_switched_off(client, initiative, settings):
    settings.PAGE_CACHE_ENABLED = False
    client.get("/")
    response = client.get("/")
    assert response.context is not None
    assert response["Cache-Control"].startswith("public")


def test_a_change_of_a_model_that_no_search_document_holds_is_on_the_next_request(
    client, report_data
):
    from initiatives.models import PillarItem
    from wards.models import Ward

    item = PillarItem.objects.order_by("pk").first()
    ward = Ward.objects.get(slug="miyamae")
    assert item.text in cached(client, "/reform-plan/")
    assert ward.name_en in cached(client, "/en/wards/")

    item.text = "窓口サービスの改善（改訂）"
    item.save()
    ward.name_en = "Miyamae Ward (renamed)"
    ward.save()

    assert "窓口サービスの改善（改訂）" in client.get("/reform-plan/").content.decode()
    assert "Miyamae Ward (renamed)" in client.get("/en/wards/").content.decode()


@pytest.mark.parametrize("path", ["/", "/en/initiatives/"])
def test_a_page_from_the_cache_carries_the_same_policies_as_a_rendered_one(client, path):
    rendered = client.get(path)
    served = client.get(path)

    assert served["X-Page-Cache"] == "hit"
    for header in ("Content-Security-Policy", "Permissions-Policy", "X-Frame-Options"):
        assert served[header] == rendered[header], header
    assert "default-src 'self'" in served["Content-Security-Policy"]
