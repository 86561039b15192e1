"""The project's settings as production runs them (DEBUG off), for measuring.

Only what a test client in one process needs differs: no HTTPS redirect, plain static
files (no collectstatic manifest). The cache is Redis, as in production (BENCH_REDIS_URL,
default database 4 of the local Redis), under a key prefix of this process's own, so that
no entry of an earlier run (another database's pages) is ever read.
"""

import os
import time

os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ["DEBUG"] = "0"
os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/4")
os.environ["CACHE_BACKEND"] = "redis"

from kawasaki_wards.settings import *  # noqa: F403

CACHES["default"]["KEY_PREFIX"] = f"bench-{os.getpid()}-{time.time_ns()}"  # noqa: F405

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
