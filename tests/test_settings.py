"""The settings module refuses unsafe production configurations."""

import pytest

from tests import processes

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-secret-key-for-the-deploy-check-0123456789abcdefghij",
    "ALLOWED_HOSTS": "portal.example.jp",
    "CACHE_BACKEND": "database",
}


def manage(*args, **environ):
    return processes.manage(
        *args, environ=environ, without=(*PRODUCTION, "DATABASE_URL", "REDIS_URL")
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_its_secret_key_or_hosts(missing):
    environ = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = manage("check", **environ)
    assert result.returncode != 0
    assert f"{missing} must be set when DEBUG is off" in result.stderr


def test_the_deployment_check_reports_nothing_to_fix():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_on_a_per_process_cache():
    environ = {k: v for k, v in PRODUCTION.items() if k != "CACHE_BACKEND"}
    result = manage("check", **environ)
    assert result.returncode != 0
    assert "With DEBUG off a shared cache is needed" in result.stderr


def test_production_refuses_an_explicit_per_process_cache():
    result = manage("check", **{**PRODUCTION, "CACHE_BACKEND": "locmem"})
    assert result.returncode != 0
    assert "CACHE_BACKEND=locmem is a per-process cache" in result.stderr


@pytest.mark.parametrize(
    "cache",
    [{"REDIS_URL": "redis://127.0.0.1:6379/5"}, {"CACHE_BACKEND": "database"}],
    ids=["redis", "database"],
)
def test_production_starts_on_redis_or_on_the_database_cache_chosen_explicitly(cache):
    environ = {k: v for k, v in PRODUCTION.items() if k != "CACHE_BACKEND"}
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CACHES['default'])",
        **environ,
        **cache,
    )
    assert result.returncode == 0, result.stderr
    expected = "RedisCache" if "REDIS_URL" in cache else "DatabaseCache"
    assert expected in result.stdout


def test_the_deployment_check_reports_nothing_on_redis_either():
    environ = {k: v for k, v in PRODUCTION.items() if k != "CACHE_BACKEND"}
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **environ,
        REDIS_URL="redis://127.0.0.1:6379/5",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_redis_is_refused_without_its_address():
    environ = {k: v for k, v in PRODUCTION.items() if k != "CACHE_BACKEND"}
    result = manage("check", **environ, CACHE_BACKEND="redis")
    assert result.returncode != 0
    assert "CACHE_BACKEND=redis needs REDIS_URL" in result.stderr
