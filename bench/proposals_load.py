"""Load test: residents send proposals in parallel to the real server over HTTP.

    python bench/proposals_load.py [--residents 8] [--posts 12] [--address-rate 6/h]
                                   [--email-rate 5/h]

Like ``comments_load.py``: a throwaway database (SQLite, or a new database on the
PostgreSQL server of BENCH_DATABASE_URL, dropped afterwards), ``manage.py runserver
--noreload`` on a free port of 127.0.0.1, stopped by its pid. The server trusts one proxy
(``TRUSTED_PROXY_COUNT=1``) so that each resident comes from an address of its own
(X-Forwarded-For), and two residents share each e-mail address, so that the per-address and
the per-e-mail limits are both hit, the second from two addresses at once. Mails go to
files. With REDIS_URL set, the limits count in that Redis (addresses and e-mails are new for
each run, so earlier runs do not count).

Afterwards it checks: every accepted post (302 to the "check your e-mail" page) is stored
exactly once and got exactly one confirmation mail; every refused one got 429 and left
nothing; no other status; no address and no e-mail got more proposals through than its
rate allows. It prints the figures and exits non-zero if a check fails.
"""

import argparse
import http.cookiejar
import os
import random
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
from email import message_from_string
from email.header import decode_header, make_header
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from comments_load import (
    REQUEST_TIMEOUT,
    NoRedirect,
    free_port,
    parse_rate,
    start_server,
    stop_server,
    throwaway_database,
)
from load_summary import print_load_summary

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Post:
    address: str
    email: str
    token: str
    status: int
    location: str
    started: float
    seconds: float


class Resident:
    """One resident's browser: its own cookies (the CSRF token) and its own address."""

    def __init__(self, base_url: str, address: str, email: str, ward_pk: int):
        self.base_url = base_url
        self.address = address
        self.email = email
        self.ward_pk = ward_pk
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(
            self.base_url + path, body, headers={"X-Forwarded-For": self.address}
        )
        try:
            with self.opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                response.read()
                return response.status, ""
        except urllib.error.HTTPError as error:
            error.read()
            return error.code, error.headers.get("Location", "")

    def open_form(self) -> int:
        return self.request("/proposals/new/")[0]

    def send(self, number: int) -> Post:
        token = f"負荷試験{number}-{uuid.uuid4().hex[:12]}"
        csrf = next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")
        started, wall = time.monotonic(), time.time()
        status, location = self.request(
            "/proposals/new/",
            {
                "csrfmiddlewaretoken": csrf,
                "ward": self.ward_pk,
                "title": token,
                "text": f"並行送信の試験です。{token}",
                "email": self.email,
                "agree": "on",
                "website": "",
            },
        )
        return Post(
            self.address, self.email, token, status, location, wall, time.monotonic() - started
        )


def rate_window(value: str, period: int, timestamp: float) -> int:
    """The end of the rate window of ``value`` at ``timestamp``, as django-ratelimit counts."""
    ts = int(timestamp)
    window = ts - (ts % period) + (zlib.crc32(value.encode()) % period)
    return window + period if window < ts else window


def prepare() -> int:
    import django

    django.setup()
    from django.core.management import call_command

    from wards.models import Ward

    call_command("migrate", verbosity=0)
    return Ward.objects.create(
        slug="saiwai",
        name="幸区",
        reading="さいわいく",
        name_en="Saiwai",
        code="141321",
        position=2,
    ).pk


def mails_by_title(folder: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for path in folder.glob("*.log"):
        # The file backend writes each message followed by a line of dashes.
        for chunk in path.read_text().split("-" * 79):
            if not chunk.strip():
                continue
            subject = str(make_header(decode_header(message_from_string(chunk.strip())["Subject"])))
            title = subject.split("：", 1)[-1].split(": ", 1)[-1]
            counts[title] = counts.get(title, 0) + 1
    return counts


def over_limit(posts, key, limit, period) -> list[str]:
    problems = []
    groups: dict[str, list[Post]] = {}
    for post in posts:
        groups.setdefault(getattr(post, key), []).append(post)
    for value, own in groups.items():
        first = rate_window(value, period, min(p.started for p in own))
        last = rate_window(value, period, max(p.started + p.seconds for p in own) + 1)
        allowed = limit * (1 + (last - first) // period)
        accepted = sum(p.status == 302 for p in own)
        if accepted > allowed:
            problems.append(f"{key} {value} got {accepted} through; the rate allows {allowed}")
    return problems


def check(posts, mails, address_rate, email_rate) -> list[str]:
    from proposals.models import Proposal

    stored: dict[str, int] = {}
    for title in Proposal.objects.values_list("title", flat=True):
        stored[title] = stored.get(title, 0) + 1
    problems = []
    for post in posts:
        rows = stored.get(post.token, 0)
        if post.status == 302:
            if rows != 1:
                problems.append(f"accepted {post.token} stored {rows} times")
            if mails.get(post.token, 0) != 1:
                problems.append(f"accepted {post.token} mailed {mails.get(post.token, 0)} times")
            if not post.location.endswith("/proposals/sent/"):
                problems.append(f"accepted {post.token} redirected to {post.location}")
        elif post.status == 429:
            if rows or mails.get(post.token):
                problems.append(f"refused {post.token} stored or mailed anyway")
        else:
            problems.append(f"{post.token} got status {post.status}")
    extra = set(stored) - {p.token for p in posts if p.status == 302}
    if extra:
        problems.append(f"{len(extra)} stored proposals that no accepted post explains")
    problems += over_limit(posts, "address", *address_rate)
    problems += over_limit(posts, "email", *email_rate)
    return problems


def run(port, ward_pk, args, run_id):
    base = f"http://127.0.0.1:{port}"
    prefix = f"10.{random.randint(0, 255)}.{random.randint(0, 255)}"
    residents = [
        Resident(base, f"{prefix}.{n + 1}", f"bench-{run_id}-{n // 2}@example.jp", ward_pk)
        for n in range(args.residents)
    ]
    with ThreadPoolExecutor(max_workers=len(residents)) as pool:
        form_statuses = list(pool.map(Resident.open_form, residents))
    posts: list[Post] = []
    lock = threading.Lock()

    def send_all(resident):
        for number in range(args.posts):
            post = resident.send(number)
            with lock:
                posts.append(post)

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=len(residents)) as pool:
        list(pool.map(send_all, residents))
    return posts, form_statuses, time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--residents", type=int, default=8)
    parser.add_argument("--posts", type=int, default=12, help="proposals per resident")
    parser.add_argument("--address-rate", default="6/h")
    parser.add_argument("--email-rate", default="5/h")
    args = parser.parse_args()
    run_id = uuid.uuid4().hex[:8]

    with tempfile.TemporaryDirectory(prefix="kw-bench-") as workdir_name:
        workdir = Path(workdir_name)
        (workdir / "mails").mkdir()
        database_url, drop_database = throwaway_database(workdir)
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "kawasaki_wards.settings",
            "DEBUG": "true",
            "TRUSTED_PROXY_COUNT": "1",
            "PROPOSAL_RATE_PER_ADDRESS": args.address_rate,
            "PROPOSAL_RATE_PER_EMAIL": args.email_rate,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(workdir / "mails"),
            "LOG_LEVEL": "WARNING",
        }
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        problems = ["not run"]
        try:
            ward_pk = prepare()
            port = free_port()
            with open(workdir / "server.log", "w") as log:
                server = start_server(port, env, log)
                try:
                    posts, form_statuses, elapsed = run(port, ward_pk, args, run_id)
                finally:
                    stop_server(server)
            mails = mails_by_title(workdir / "mails")
            problems = check(
                posts, mails, parse_rate(args.address_rate), parse_rate(args.email_rate)
            )
            if form_statuses.count(200) != len(form_statuses):
                problems.append(f"form statuses {form_statuses}")
            report(database_url, args, posts, elapsed, sum(mails.values()), problems)
            if problems:
                log_text = (workdir / "server.log").read_text()
                at = log_text.find("Traceback")
                print(log_text[at : at + 4000] if at >= 0 else log_text[-3000:], file=sys.stderr)
        finally:
            from django.db import connections

            connections.close_all()
            drop_database()
    return 1 if problems else 0


def report(database_url, args, posts, elapsed, mail_count, problems) -> None:
    latencies = [post.seconds * 1000 for post in posts]
    accepted = sum(post.status == 302 for post in posts)
    refused = sum(post.status == 429 for post in posts)
    cache = "Redis" if os.environ.get("REDIS_URL") else "database cache"
    print(f"database            {database_url.split(':', 1)[0]}, rate limits on the {cache}")
    print(
        f"residents × posts   {args.residents} × {args.posts} "
        f"({args.residents} addresses, {(args.residents + 1) // 2} e-mails), "
        f"limits {args.address_rate} per address, {args.email_rate} per e-mail"
    )
    print(f"post requests       {len(posts)} in {elapsed:.2f} s")
    print(f"accepted (302)      {accepted}, confirmation mails {mail_count}")
    print(f"refused (429)       {refused}")
    print(f"other statuses      {len(posts) - accepted - refused}")
    print_load_summary(
        posts=len(posts),
        elapsed=elapsed,
        latencies=latencies,
        problems=problems,
        checks="every accepted post stored and mailed once, every refused one 429",
    )


if __name__ == "__main__":
    sys.exit(main())
