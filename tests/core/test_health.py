"""/healthz and /readyz: cheap, never cached, never redirected, honest about the backends."""

import pytest

pytestmark = pytest.mark.django_db

NO_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:8199/0",
    }
}  # nothing listens there


def test_the_process_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_ready_when_the_database_and_the_cache_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_not_ready_when_the_cache_does_not_answer(client, settings):
    settings.CACHES = NO_REDIS
    settings.PAGE_CACHE_ENABLED = False
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"].startswith("error")
    assert response.json()["checks"]["database"] == "ok"


def test_health_checks_are_not_redirected_to_https_nor_localised(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/wards/").status_code == 301  # everything else is redirected


def test_health_checks_answer_get_and_head_only(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
