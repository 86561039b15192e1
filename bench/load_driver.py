"""What the parallel-posting benches (bench-comments, bench-proposals) share: a throwaway
site (a temporary folder and database, ``manage.py runserver`` on a free port of
127.0.0.1, stopped by its pid), browsers with their own cookies, posting from every
browser at once, and django-ratelimit's windows to check the limits against.
"""

import http.cookiejar
import math
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from load_summary import print_load_summary

ROOT = Path(__file__).resolve().parent.parent
REQUEST_TIMEOUT = 30
RATE_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One visitor's browser: its own cookies (session, CSRF token), sending ``headers``
    with every request; redirects are returned, not followed."""

    def __init__(self, base_url: str, headers: dict | None = None):
        self.base_url = base_url
        self.headers = headers or {}
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        """The status and, for a redirect, its Location."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, body, headers=self.headers)
        try:
            with self.opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                response.read()
                return response.status, ""
        except urllib.error.HTTPError as error:
            error.read()
            return error.code, error.headers.get("Location", "")

    def csrf_token(self) -> str:
        return next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")


def at_once(function: Callable, browsers: list) -> list:
    """``function(browser)`` for every browser, each in its own thread, all at once."""
    with ThreadPoolExecutor(max_workers=len(browsers)) as pool:
        return list(pool.map(function, browsers))


def post_in_parallel(
    browsers: list, send: Callable, count: int, time_limit: float = math.inf
) -> tuple[list, float]:
    """``send(browser, number)`` ``count`` times from every browser at once, until
    ``time_limit`` seconds have passed: the posts as they came back, and the seconds."""
    deadline = time.monotonic() + time_limit
    posts = []
    lock = threading.Lock()

    def send_all(browser) -> None:
        for number in range(count):
            if time.monotonic() > deadline:
                return
            post = send(browser, number)
            with lock:
                posts.append(post)

    started = time.monotonic()
    at_once(send_all, browsers)
    return posts, time.monotonic() - started


def parse_rate(rate: str) -> tuple[int, int]:
    """``"20/h"`` → (20, 3600), as django-ratelimit reads a rate."""
    count, period = rate.split("/")
    unit = period[-1]
    return int(count), int(period[:-1] or 1) * RATE_PERIODS[unit]


def rate_window(key: str, period: int, timestamp: float) -> int:
    """The end of the rate window of ``key`` at ``timestamp``, as django-ratelimit counts."""
    ts = int(timestamp)
    window = ts - (ts % period) + (zlib.crc32(key.encode()) % period)
    return window + period if window < ts else window


def over_limit(posts: list, key: str, limit: int, period: int) -> list[str]:
    """The posts' ``key`` values (a member, an address) that got more posts accepted (302)
    than the rate ``limit`` per ``period`` allows over the windows they were sent in."""
    groups: dict = {}
    for post in posts:
        groups.setdefault(getattr(post, key), []).append(post)
    problems = []
    for value, own in groups.items():
        first = rate_window(str(value), period, min(post.started for post in own))
        last = rate_window(str(value), period, max(post.started + post.seconds for post in own) + 1)
        allowed = limit * (1 + (last - first) // period)
        accepted = sum(post.status == 302 for post in own)
        if accepted > allowed:
            problems.append(f"{key} {value} got {accepted} through; the rate allows {allowed}")
    return problems


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def throwaway_database(workdir: Path) -> tuple[str, Callable]:
    """A database URL and a function that removes the database afterwards: a SQLite file
    in ``workdir``, or a new database on the PostgreSQL server of BENCH_DATABASE_URL."""
    server_url = os.environ.get("BENCH_DATABASE_URL", "")
    if not server_url.startswith("postgres"):
        return f"sqlite:///{workdir / 'bench.sqlite3'}", lambda: None
    import psycopg

    name = f"kw_bench_{os.getpid()}"
    parts = urllib.parse.urlsplit(server_url)
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}")), drop


def start_server(port: int, env: dict, log) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped at start (exit {server.returncode})")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2):
                return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    raise SystemExit("the server did not answer within 30 s")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@dataclass(frozen=True)
class Site:
    workdir: Path
    database_url: str

    @contextmanager
    def server(self, **settings: str) -> Iterator[str]:
        """The server, with these settings besides the site's, from start to stop; its
        base URL. Its output goes to ``server.log``."""
        port = free_port()
        with open(self.workdir / "server.log", "w") as log:
            server = start_server(port, {**os.environ, **settings}, log)
            try:
                yield f"http://127.0.0.1:{port}"
            finally:
                stop_server(server)

    def server_log(self) -> str:
        """Where the server's log tells what went wrong: its first traceback, or its end."""
        text = (self.workdir / "server.log").read_text()
        at = text.find("Traceback")
        return text[at : at + 4000] if at >= 0 else text[-3000:]


@contextmanager
def throwaway_site() -> Iterator[Site]:
    """A temporary folder and a migrated throwaway database, which Django in this process
    (set up here) and the server use; the database is dropped on leaving."""
    with tempfile.TemporaryDirectory(prefix="kw-bench-") as workdir_name:
        workdir = Path(workdir_name)
        database_url, drop_database = throwaway_database(workdir)
        os.environ.update(
            {
                "DATABASE_URL": database_url,
                "DJANGO_SETTINGS_MODULE": "kawasaki_wards.settings",
                "DEBUG": "true",
                "LOG_LEVEL": "WARNING",
            }
        )
        sys.path.insert(0, str(ROOT))
        try:
            import django
            from django.core.management import call_command

            django.setup()
            call_command("migrate", verbosity=0)
            yield Site(workdir, database_url)
        finally:
            from django.db import connections

            connections.close_all()
            drop_database()


def print_outcome(posts: list, elapsed: float, problems, checks: str, accepted_note="") -> None:
    """How many posts were sent, accepted (302), refused (429) or neither; throughput,
    latency and the problems found or what was checked."""
    accepted = sum(post.status == 302 for post in posts)
    refused = sum(post.status == 429 for post in posts)
    print(f"post requests       {len(posts)} in {elapsed:.2f} s")
    print(f"accepted (302)      {accepted}{accepted_note}")
    print(f"refused (429)       {refused}")
    print(f"other statuses      {len(posts) - accepted - refused}")
    print_load_summary(
        posts=len(posts),
        elapsed=elapsed,
        latencies=[post.seconds * 1000 for post in posts],
        problems=problems,
        checks=checks,
    )
