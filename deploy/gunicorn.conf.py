"""gunicorn's configuration, read from the environment (`gunicorn -c deploy/gunicorn.conf.py`).

| variable | default | meaning |
| --- | --- | --- |
| GUNICORN_BIND | 127.0.0.1:8000 | address, or unix:/run/kawasaki-wards/gunicorn.sock |
| GUNICORN_WORKERS | 2 × cores + 1 | worker processes (sync workers: one request each at a time) |
| GUNICORN_THREADS | 1 | threads per worker |
| GUNICORN_TIMEOUT | 60 | seconds before a silent worker is killed and restarted |
| GUNICORN_ACCESS_LOG | - (stdout) | file, "-" for stdout, or empty for none |
| GUNICORN_ERROR_LOG | - (stderr) | file or "-" |
| GUNICORN_MAX_REQUESTS | 2000 | a worker is replaced after this many requests (0: never) |
| FORWARDED_ALLOW_IPS | 127.0.0.1 | the proxies whose X-Forwarded-* gunicorn believes |
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


wsgi_app = "kawasaki_wards.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GUNICORN_THREADS", 1)
# gunicorn's default of 30 s kills an admin import of a large spreadsheet half way; the
# timeout is set here on purpose, and the proxy's read timeout should be a little longer.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# The proxy keeps connections to us open between requests.
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Replacing workers now and then bounds any slow growth of memory.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The client's address as the proxy saw it, and the time each request took (µs).
access_log_format = '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(b)s %(D)sµs "%(a)s"'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Worker heartbeats in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
proc_name = "kawasaki-wards"
