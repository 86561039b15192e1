"""Settings of `make bench-http` (bench/http.py): the project's production settings, with
a bare view added beside the project's pages (bench/http_urls.py) and the page cache
switched by PAGE_CACHE_ENABLED (the uncached server sets it to 0)."""

import os
import tempfile

os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "bench-http-only-not-secret-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from kawasaki_wards.settings import *  # noqa: F403

ROOT_URLCONF = "bench.http_urls"
STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT", os.path.join(tempfile.gettempdir(), "kw-bench"))
# The load generator's requests in an access log would cost the servers a write each.
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Plain HTTP on loopback: the admin's sign-in in the two-server check needs its cookies
# sent back without TLS.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
