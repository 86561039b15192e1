"""Liveness and readiness for a load balancer.

``/healthz``: the process answers (no database, no cache). ``/readyz``: the database and
the shared cache each answer within ``READYZ_TIMEOUT`` seconds (default 2), else 503, so
that a balancer stops sending requests to a server that cannot serve them. Neither is
cached, redirected to HTTPS (``SECURE_REDIRECT_EXEMPT``) or localised.
"""

import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

# The checks run in these threads so that a hung database or cache costs the probe its
# timeout, not a worker. Each check opens its own database connection and closes it: a
# probe must see whether a new connection can be had, and leaves none open behind it.
_checks = ThreadPoolExecutor(max_workers=2, thread_name_prefix="readyz")


def _database() -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.close()


def _cache() -> None:
    nonce = secrets.token_hex(8)
    cache.set("readyz:probe", nonce, 10)
    if cache.get("readyz:probe") != nonce:
        raise RuntimeError("the cache did not keep a value")


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@require_safe
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    timeout = float(getattr(settings, "READYZ_TIMEOUT", 2))
    futures = {"database": _checks.submit(_database), "cache": _checks.submit(_cache)}
    deadline = time.monotonic() + timeout
    checks = {}
    for name, future in futures.items():
        try:
            future.result(timeout=max(0.0, deadline - time.monotonic()))
            checks[name] = "ok"
        except FutureTimeout:
            checks[name] = "timeout"
        except Exception as error:  # any failure of the backend: not ready
            checks[name] = f"error: {type(error).__name__}"
    ready = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )
