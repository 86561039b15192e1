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
import os
import random
import sys
import time
import uuid
from dataclasses import dataclass
from email import message_from_string
from email.header import decode_header, make_header
from pathlib import Path

import load_driver


@dataclass
class Post:
    address: str
    email: str
    token: str
    status: int
    location: str
    started: float
    seconds: float


class Resident(load_driver.Browser):
    """One resident's browser, from its own address (X-Forwarded-For)."""

    def __init__(self, base_url: str, address: str, email: str, ward_pk: int):
        super().__init__(base_url, headers={"X-Forwarded-For": address})
        self.address = address
        self.email = email
        self.ward_pk = ward_pk

    def open_form(self) -> int:
        return self.request("/proposals/new/")[0]

    def send(self, number: int) -> Post:
        token = f"負荷試験{number}-{uuid.uuid4().hex[:12]}"
        started, wall = time.monotonic(), time.time()
        status, location = self.request(
            "/proposals/new/",
            {
                "csrfmiddlewaretoken": self.csrf_token(),
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


def prepare() -> int:
    from wards.models import Ward

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
    problems += load_driver.over_limit(posts, "address", *address_rate)
    problems += load_driver.over_limit(posts, "email", *email_rate)
    return problems


def run(base_url, ward_pk, args, run_id):
    prefix = f"10.{random.randint(0, 255)}.{random.randint(0, 255)}"
    residents = [
        Resident(base_url, f"{prefix}.{n + 1}", f"bench-{run_id}-{n // 2}@example.jp", ward_pk)
        for n in range(args.residents)
    ]
    form_statuses = load_driver.at_once(Resident.open_form, residents)
    posts, elapsed = load_driver.post_in_parallel(residents, Resident.send, args.posts)
    return posts, form_statuses, elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--residents", type=int, default=8)
    parser.add_argument("--posts", type=int, default=12, help="proposals per resident")
    parser.add_argument("--address-rate", default="6/h")
    parser.add_argument("--email-rate", default="5/h")
    args = parser.parse_args()
    run_id = uuid.uuid4().hex[:8]

    with load_driver.throwaway_site() as site:
        ward_pk = prepare()
        mail_folder = site.workdir / "mails"
        mail_folder.mkdir()
        settings = {
            "TRUSTED_PROXY_COUNT": "1",
            "PROPOSAL_RATE_PER_ADDRESS": args.address_rate,
            "PROPOSAL_RATE_PER_EMAIL": args.email_rate,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_folder),
        }
        with site.server(**settings) as base_url:
            posts, form_statuses, elapsed = run(base_url, ward_pk, args, run_id)
        mails = mails_by_title(mail_folder)
        problems = check(
            posts,
            mails,
            load_driver.parse_rate(args.address_rate),
            load_driver.parse_rate(args.email_rate),
        )
        if form_statuses.count(200) != len(form_statuses):
            problems.append(f"form statuses {form_statuses}")
        report(site.database_url, args, posts, elapsed, sum(mails.values()), problems)
        if problems:
            print(site.server_log(), file=sys.stderr)
    return 1 if problems else 0


def report(database_url, args, posts, elapsed, mail_count, problems) -> None:
    cache = "Redis" if os.environ.get("REDIS_URL") else "database cache"
    print(f"database            {database_url.split(':', 1)[0]}, rate limits on the {cache}")
    print(
        f"residents × posts   {args.residents} × {args.posts} "
        f"({args.residents} addresses, {(args.residents + 1) // 2} e-mails), "
        f"limits {args.address_rate} per address, {args.email_rate} per e-mail"
    )
    load_driver.print_outcome(
        posts,
        elapsed,
        problems,
        "every accepted post stored and mailed once, every refused one 429",
        accepted_note=f", confirmation mails {mail_count}",
    )


if __name__ == "__main__":
    sys.exit(main())
