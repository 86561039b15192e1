"""/api/v1/: the open data's collections as JSON, the list pages' filters, JSON errors, a
bounded page size, throttling, CORS for reading, an OpenAPI schema that validates and that
schemathesis runs against."""

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate

from initiatives.models import Initiative
from portal.open_data.datasets import by_api_name
from tests import factories

pytestmark = pytest.mark.django_db


def api(client, name, **params):
    return client.get(reverse(f"api:{name}-list"), params)


def every_id(client, name, key="id", **params):
    """Every result of the collection, page by page."""
    ids, page = [], 1
    while True:
        body = api(client, name, page=page, page_size=200, **params).json()
        ids += [row[key] for row in body["results"]]
        if not body["next"]:
            return ids
        page += 1


def listed_ids(client, url_name, attribute, **params):
    """Every result of the list page, page by page, as its pages show them."""
    ids, page = [], 1
    while True:
        context = client.get(reverse(url_name), {**params, "page": page}).context
        ids += [getattr(obj, attribute) for obj in context["page_obj"]]
        if not context["page_obj"].has_next():
            return ids
        page += 1


FILTER_STATES = [
    {},
    {"ward": "miyamae"},
    {"ward": ["miyamae", "takatsu"]},
    {"vision": "1"},
    {"fy": "2010"},
    {"fy_from": "2008", "fy_to": "2011"},
    {"q": "冒険遊び場"},
    {"q": "宮前"},
    {"pillar": "1"},
    {"sort": "-fy"},
    {"sort": "title", "ward": "tama"},
]


@pytest.mark.parametrize("params", FILTER_STATES)
def test_the_initiatives_filters_give_what_the_list_page_gives(client, report_data, params):
    assert every_id(client, "initiatives", **params) == listed_ids(
        client, "initiatives:list", "pk", **params
    )


@pytest.mark.parametrize("params", FILTER_STATES)
def test_the_cases_filters_give_what_the_case_list_gives(client, report_data, params):
    params = {key: value for key, value in params.items() if key != "sort"}
    assert every_id(client, "cases", key="number", **params) == listed_ids(
        client, "initiatives:case-list", "number", **params
    )


@pytest.mark.parametrize(
    "params", [{}, {"ward": "miyamae"}, {"status": "difficult"}, {"ward": ["tama", "miyamae"]}]
)
def test_the_proposals_filters_give_what_the_proposal_list_gives(client, report_data, params):
    for slug in ("miyamae", "tama"):
        for _ in range(2):
            factories.AnswerFactory(proposal=factories.ProposalFactory(ward=factories.ward(slug)))
        factories.ProposalFactory(ward=factories.ward(slug))
        factories.ProposalFactory(ward=factories.ward(slug), confirmed=True)
    ids = every_id(client, "proposals", **params)
    assert ids
    assert ids == listed_ids(client, "proposals:list", "pk", **params)


def test_every_collection_of_the_downloads_is_served(client, report_data):
    root = client.get("/api/v1/").json()
    assert set(root) == set(by_api_name())
    for name in by_api_name():
        response = api(client, name)
        assert response.status_code == 200, name
        assert "results" in response.json()


def test_every_object_has_the_absolute_address_of_its_page_which_answers(client, report_data):
    for name in ("initiatives", "cases", "wards", "visions", "opinions"):
        for row in api(client, name).json()["results"][:3]:
            assert row["url"].startswith("http://testserver/")
            assert client.get(row["url"].removeprefix("http://testserver")).status_code == 200


def test_drafts_never_show(client, report_data):
    factories.InitiativeFactory(
        ward=factories.ward("tama"), case_study=None, draft=True, title="下書き"
    )
    titles = [row["title"] for row in api(client, "initiatives", page_size=200).json()["results"]]
    assert "下書き" not in titles
    assert api(client, "initiatives").json()["count"] == Initiative.objects.published().count()


def test_an_unknown_parameter_is_refused_with_a_json_400_that_names_it(client, report_data):
    response = api(client, "initiatives", colour="red")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == 400
    assert "colour" in error["message"]
    assert "ward" in error["message"]
    assert api(client, "wards", ward="miyamae").status_code == 400


@pytest.mark.parametrize(
    "params",
    [{"fy": "abc"}, {"ward": "atlantis"}, {"vision": "x"}, {"fy": "20100"}, {"q": "あ" * 201}],
)
def test_a_bad_value_is_refused_with_a_json_400_that_says_why(client, report_data, params):
    response = api(client, "initiatives", **params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert next(iter(params)) in error["message"]


def test_the_page_size_is_bounded_and_a_page_out_of_range_is_a_json_404(client, report_data):
    assert len(api(client, "measures", page_size=10_000).json()["results"]) <= 200
    response = api(client, "initiatives", page=999)
    assert response.status_code == 404
    assert response.json()["error"]["message"]
    assert client.get("/api/v1/nothing/").json()["error"]["status"] == 404


def test_anonymous_clients_are_throttled_with_retry_after(client, report_data, settings):
    settings.API_ANONYMOUS_RATE = "2/min"
    assert api(client, "wards").status_code == 200
    assert api(client, "wards").status_code == 200
    response = api(client, "wards")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["error"]["status"] == 429


def test_cors_is_open_for_reading_only(client, report_data):
    response = client.get("/api/v1/wards/", HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/v1/wards/",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert "POST" not in preflight.get("Access-Control-Allow-Methods", "")
    assert client.post("/api/v1/wards/").status_code == 405


def test_the_docs_are_served_from_our_own_static_files(client):
    page = client.get(reverse("api:docs")).text
    assert "/static/drf_spectacular_sidecar/" in page
    assert "cdn" not in page.lower()
    assert "<script>" not in page


def test_the_openapi_schema_validates(client):
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    validate(response.json())


@pytest.mark.parametrize("size", [1, 3])
@pytest.mark.parametrize("name", ["initiatives", "cases", "wards", "opinions", "measures"])
def test_a_list_costs_the_same_queries_whatever_the_data(
    client, make_portal, django_assert_num_queries, size, name, settings
):
    settings.API_THROTTLE_CACHE = "default"  # the throttle's counters are not the page's
    make_portal(size=size)
    with django_assert_num_queries(2):
        assert api(client, name).status_code == 200


@pytest.mark.parametrize("size", [1, 3])
def test_a_filtered_list_costs_the_same_queries_whatever_the_data(
    client, make_portal, django_assert_num_queries, settings, size
):
    settings.API_THROTTLE_CACHE = "default"
    portal = make_portal(size=size)
    with django_assert_num_queries(4):
        # The ward and the vision are looked up, then the count and the page.
        response = api(
            client, "initiatives", ward=portal.wards[0].slug, vision=portal.visions[0].number
        )
        assert response.status_code == 200


# --- schemathesis: generated requests from the schema, against the app -----------------

SCHEMA = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
SCHEMA.app = WSGIHandler()


@pytest.fixture
def _schemathesis_data(report_data, settings):
    settings.API_ANONYMOUS_RATE = "100000/min"
    settings.ALLOWED_HOSTS = ["*"]
    # The handler closes the database connection after each request, as a server does;
    # the test's transaction lives on that connection (PostgreSQL then answers "the
    # connection is closed"). Django's test client disconnects it the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("_schemathesis_data")
@SCHEMA.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_schemathesis_finds_no_server_error_and_no_response_off_the_schema(case):
    case.call_and_validate(
        checks=[
            schemathesis.checks.not_a_server_error,
            schemathesis.checks.response_schema_conformance,
        ]
    )
