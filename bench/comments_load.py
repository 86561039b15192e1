"""Load test: committee members post comments in parallel to the real server over HTTP.

    python bench/comments_load.py [--members 8] [--posts 25] [--rate 20/h]

It makes a throwaway database (a temporary SQLite file; or, with BENCH_DATABASE_URL set to
a PostgreSQL server, a new database there that it drops afterwards), creates the members,
starts ``manage.py runserver --noreload`` on a free port of 127.0.0.1, signs each member
in once (correct passwords: the sign-in lock-out is not touched), then each member posts
``--posts`` comments from its own thread, all members at once. The posting rate limit is
set so that part of the posts is refused. Afterwards it stops the server by its pid and
checks the database: every accepted post (302) is stored exactly once, every refused one
got 429 and is not stored, no other status came back, and no member got more posts through
than the rate allows. It prints the figures and exits non-zero if a check fails.
"""

import argparse
import http.cookiejar
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
import uuid
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from load_summary import print_load_summary

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-password-not-secret"
CASE_NUMBER = 1
REQUEST_TIMEOUT = 30
RATE_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass
class Post:
    member: str
    member_pk: int
    token: str
    status: int
    location: str
    started: float
    seconds: float


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Member:
    """One member's browser: its own cookies (session, CSRF token)."""

    def __init__(self, base_url: str, username: str, pk: int):
        self.base_url = base_url
        self.username = username
        self.pk = pk
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base_url + path, body, timeout=REQUEST_TIMEOUT) as response:
                response.read()
                return response.status, ""
        except urllib.error.HTTPError as error:
            error.read()
            return error.code, error.headers.get("Location", "")

    def csrf_token(self) -> str:
        return next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")

    def sign_in(self) -> int:
        self.request("/accounts/login/")
        status, _ = self.request(
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": self.csrf_token(),
                "username": self.username,
                "password": PASSWORD,
            },
        )
        return status

    def post_comment(self, number: int) -> Post:
        token = f"bench-{self.username}-{number}-{uuid.uuid4().hex}"
        started = time.monotonic()
        wall = time.time()
        status, location = self.request(
            f"/cases/{CASE_NUMBER}/comments/",
            {"csrfmiddlewaretoken": self.csrf_token(), "topic": "負荷試験", "body": token},
        )
        return Post(
            self.username, self.pk, token, status, location, wall, time.monotonic() - started
        )


def parse_rate(rate: str) -> tuple[int, int]:
    count, period = rate.split("/")
    unit = period[-1]
    return int(count), int(period[:-1] or 1) * RATE_PERIODS[unit]


def rate_window(member_pk: int, period: int, timestamp: float) -> int:
    """The end of the member's rate window at ``timestamp``, as django-ratelimit counts."""
    ts = int(timestamp)
    window = ts - (ts % period) + (zlib.crc32(str(member_pk).encode()) % period)
    return window + period if window < ts else window


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def throwaway_database(workdir: Path) -> tuple[str, callable]:
    """A database URL and a function that removes the database afterwards."""
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


def prepare(members: int) -> list[tuple[str, int]]:
    """Migrate the throwaway database; create the case, the secretariat and the members."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from initiatives.models import CaseStudy, FocusArea, Vision
    from wards.roles import Role

    call_command("migrate", verbosity=0)
    vision = Vision.objects.create(number=1, title="区役所像", title_en="Vision")
    focus_area = FocusArea.objects.create(vision=vision, position=1, title="重点分野")
    CaseStudy.objects.create(
        number=CASE_NUMBER, title="負荷試験の事例", vision=vision, focus_area=focus_area
    )
    committee = Group.objects.get_or_create(name=Role.COMMITTEE)[0]
    secretariat = Group.objects.get_or_create(name=Role.SECRETARIAT)[0]
    User = get_user_model()
    User.objects.create(username="bench-secretariat", email="jimu@example.jp").groups.add(
        secretariat
    )
    # One hash for all: each costs about a quarter of a second of CPU.
    password = make_password(PASSWORD)
    created = []
    for n in range(members):
        user = User.objects.create(username=f"bench-member-{n}", password=password)
        user.groups.add(committee)
        created.append((user.username, user.pk))
    return created


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


def check(posts: list[Post], limit: int, period: int) -> list[str]:
    """What went wrong, compared with the database; empty when all is well."""
    from feedback.models import Opinion

    stored = {}
    for pk, body in Opinion.objects.values_list("pk", "body"):
        stored.setdefault(body, []).append(pk)
    problems = []
    for post in posts:
        rows = stored.get(post.token, [])
        if post.status == 302:
            if len(rows) != 1:
                problems.append(f"accepted {post.token} stored {len(rows)} times")
            elif not post.location.endswith(f"#comment-{rows[0]}"):
                problems.append(f"accepted {post.token} redirected to {post.location}")
        elif post.status == 429:
            if rows:
                problems.append(f"refused {post.token} stored anyway")
        else:
            problems.append(f"{post.token} got status {post.status}")
    accepted_tokens = {post.token for post in posts if post.status == 302}
    extra = set(stored) - accepted_tokens
    if extra:
        problems.append(f"{len(extra)} stored comments that no accepted post explains")
    by_member = {}
    for post in posts:
        by_member.setdefault((post.member, post.member_pk), []).append(post)
    for (member, pk), own in by_member.items():
        first = rate_window(pk, period, min(post.started for post in own))
        last = rate_window(pk, period, max(post.started + post.seconds for post in own) + 1)
        allowed = limit * (1 + (last - first) // period)
        accepted = sum(post.status == 302 for post in own)
        if accepted > allowed:
            problems.append(f"{member} got {accepted} posts through; the rate allows {allowed}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=8)
    parser.add_argument("--posts", type=int, default=25, help="posts per member")
    parser.add_argument("--rate", default="20/h", help="the posting rate limit per member")
    parser.add_argument("--time-limit", type=float, default=120, help="seconds for the posts")
    args = parser.parse_args()
    limit, period = parse_rate(args.rate)

    with tempfile.TemporaryDirectory(prefix="kw-bench-") as workdir_name:
        workdir = Path(workdir_name)
        database_url, drop_database = throwaway_database(workdir)
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "kawasaki_wards.settings",
            "DEBUG": "true",
            "FEEDBACK_COMMENT_RATE": args.rate,
            "LOG_LEVEL": "WARNING",
        }
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        try:
            members = prepare(args.members)
            port = free_port()
            with open(workdir / "server.log", "w") as log:
                server = start_server(port, env, log)
                try:
                    posts, sign_in_statuses, elapsed = run(port, members, args)
                finally:
                    stop_server(server)
            problems = check(posts, limit, period)
            if sign_in_statuses.count(302) != len(sign_in_statuses):
                problems.append(f"sign-in statuses {sign_in_statuses}")
            report(database_url, args, posts, sign_in_statuses, elapsed, problems)
            if problems:
                print((workdir / "server.log").read_text()[-3000:], file=sys.stderr)
        finally:
            from django.db import connections

            connections.close_all()
            drop_database()
    return 1 if problems else 0


def run(port: int, members: list[tuple[str, int]], args) -> tuple[list[Post], list[int], float]:
    browsers = [Member(f"http://127.0.0.1:{port}", name, pk) for name, pk in members]
    with ThreadPoolExecutor(max_workers=len(browsers)) as pool:
        sign_in_statuses = list(pool.map(Member.sign_in, browsers))
    deadline = time.monotonic() + args.time_limit
    posts: list[Post] = []
    lock = threading.Lock()

    def post_all(browser: Member) -> None:
        for number in range(args.posts):
            if time.monotonic() > deadline:
                return
            post = browser.post_comment(number)
            with lock:
                posts.append(post)

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=len(browsers)) as pool:
        list(pool.map(post_all, browsers))
    return posts, sign_in_statuses, time.monotonic() - started


def report(database_url, args, posts, sign_in_statuses, elapsed, problems) -> None:
    latencies = [post.seconds * 1000 for post in posts]
    accepted = sum(post.status == 302 for post in posts)
    refused = sum(post.status == 429 for post in posts)
    engine = database_url.split(":", 1)[0]
    print(f"database            {engine}")
    print(f"members × posts     {args.members} × {args.posts}, rate limit {args.rate}")
    print(f"sign-ins            {sign_in_statuses.count(302)}/{len(sign_in_statuses)} succeeded")
    print(f"post requests       {len(posts)} in {elapsed:.2f} s")
    print(f"accepted (302)      {accepted}")
    print(f"refused (429)       {refused}")
    print(f"other statuses      {len(posts) - accepted - refused}")
    print_load_summary(
        posts=len(posts),
        elapsed=elapsed,
        latencies=latencies,
        problems=problems,
        checks="every accepted post stored once, every refused one 429",
    )


if __name__ == "__main__":
    sys.exit(main())
