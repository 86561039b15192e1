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
import sys
import time
import uuid
from dataclasses import dataclass

import load_driver

PASSWORD = "bench-password-not-secret"
CASE_NUMBER = 1


@dataclass
class Post:
    member: int  # the member's pk, which the rate limit counts by
    token: str
    status: int
    location: str
    started: float
    seconds: float


class Member(load_driver.Browser):
    """A committee member's browser, signed in once."""

    def __init__(self, base_url: str, username: str, pk: int):
        super().__init__(base_url)
        self.username = username
        self.pk = pk

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
        return Post(self.pk, token, status, location, wall, time.monotonic() - started)


def prepare(members: int) -> list[tuple[str, int]]:
    """Create the case, the secretariat and the members."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from initiatives.models import CaseStudy, FocusArea, Vision
    from wards.roles import Role

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
    problems += load_driver.over_limit(posts, "member", limit, period)
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=8)
    parser.add_argument("--posts", type=int, default=25, help="posts per member")
    parser.add_argument("--rate", default="20/h", help="the posting rate limit per member")
    parser.add_argument("--time-limit", type=float, default=120, help="seconds for the posts")
    args = parser.parse_args()
    limit, period = load_driver.parse_rate(args.rate)

    with load_driver.throwaway_site() as site:
        members = prepare(args.members)
        with site.server(FEEDBACK_COMMENT_RATE=args.rate) as base_url:
            posts, sign_in_statuses, elapsed = run(base_url, members, args)
        problems = check(posts, limit, period)
        if sign_in_statuses.count(302) != len(sign_in_statuses):
            problems.append(f"sign-in statuses {sign_in_statuses}")
        report(site.database_url, args, posts, sign_in_statuses, elapsed, problems)
        if problems:
            print(site.server_log(), file=sys.stderr)
    return 1 if problems else 0


def run(base_url: str, members: list[tuple[str, int]], args) -> tuple[list[Post], list[int], float]:
    browsers = [Member(base_url, name, pk) for name, pk in members]
    sign_in_statuses = load_driver.at_once(Member.sign_in, browsers)
    posts, elapsed = load_driver.post_in_parallel(
        browsers, Member.post_comment, args.posts, args.time_limit
    )
    return posts, sign_in_statuses, elapsed


def report(database_url, args, posts, sign_in_statuses, elapsed, problems) -> None:
    engine = database_url.split(":", 1)[0]
    print(f"database            {engine}")
    print(f"members × posts     {args.members} × {args.posts}, rate limit {args.rate}")
    print(f"sign-ins            {sign_in_statuses.count(302)}/{len(sign_in_statuses)} succeeded")
    load_driver.print_outcome(
        posts, elapsed, problems, "every accepted post stored once, every refused one 429"
    )


if __name__ == "__main__":
    sys.exit(main())
