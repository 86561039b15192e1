"""`make bench-http`: the production stack under load, cached and uncached, side by side.

    python -m bench.http_load [--seconds 10] [--connections 8]

1. A throwaway PostgreSQL database (``kw_serve_bench`` on the server of
   BENCH_DATABASE_URL, default ``postgres://postgres@127.0.0.1:5432/kw_serve_bench``),
   migrated, with the report loaded; the Redis database of BENCH_REDIS_URL (default
   ``redis://127.0.0.1:6379/5``), flushed.
2. Three gunicorns from deploy/gunicorn.conf.py with bench/http_settings.py (the
   project's production settings plus a bare view, ``/bench/bare/``, in the bench's own
   urls): ``cached`` (2 workers) and ``uncached`` (2 workers, PAGE_CACHE_ENABLED=0) on
   one database and one Redis, and ``second`` (1 worker, cached) standing for a second
   app server.
3. Two app servers, one database, one cache: a change saved through the admin of
   ``cached`` is on ``second``'s next page, which had been served from the shared cache.
4. wrk on loopback, ``--seconds`` per address: the bare view, then every public page
   type in ja and en, on ``cached`` and ``uncached`` in turn (the other server idle).
5. The table of requests a second and their share of the bare view, printed and
   added to bench/RESULTS.md with the date and the machine. Servers are stopped by pid
   and the database dropped.
"""

import argparse
import datetime
import html.parser
import http.cookiejar
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import dj_database_url

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
PORTS = {"cached": 8110, "uncached": 8111, "second": 8112}
WORKERS = {"cached": 2, "uncached": 2, "second": 1}
ADMIN_PASSWORD = "bench-http-admin-not-secret"
BARE_SECONDS = 3


def pages() -> list[tuple[str, str]]:
    """(page type, address) of every public page type, with the report's data."""
    return [
        ("home", "/"),
        ("wards", "/wards/"),
        ("ward", "/wards/miyamae/"),
        ("visions", "/visions/"),
        ("vision", "/visions/1/"),
        ("reform plan", "/reform-plan/"),
        ("cases", "/cases/"),
        ("case", "/cases/1/"),
        ("initiatives", "/initiatives/"),
        ("initiatives filtered", "/initiatives/?ward=miyamae&fy=2010"),
        ("initiative", "/initiatives/{initiative}/"),
        ("search", "/search/?q=" + urllib.parse.quote("冒険")),
        ("report", "/report/"),
        ("accessibility", "/accessibility/"),
    ]


def run(*args, env, check=True, **kwargs):
    return subprocess.run(args, cwd=ROOT, env=env, check=check, **kwargs)


def manage(*args, env, **kwargs):
    return run(
        sys.executable, "manage.py", *args, env=env, capture_output=True, text=True, **kwargs
    )


class FormParser(html.parser.HTMLParser):
    """The fields of the page's largest form with method=post (the admin's change form,
    not its sign-out button), as a browser would send them."""

    def __init__(self):
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self.fields: list[tuple[str, str]] = []
        self.in_form = False
        self.select = self.textarea = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "").lower() == "post":
            self.in_form = True
            self.fields = []
            self.forms.append(self.fields)
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "file", "button"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on")))
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields.append((self.select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self.textarea, self.text = name, ""

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.fields.append((self.textarea, self.text.lstrip("\n")))
            self.textarea = None
        elif tag == "form" and self.in_form:
            self.in_form = False


class Browser:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str):
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()

    def post_form(self, path: str, changes: dict[str, str]) -> int:
        _, _, page = self.get(path)
        parser = FormParser()
        parser.feed(page)
        form = max(parser.forms, key=len)
        fields = [(k, v) for k, v in form if k not in changes] + list(changes.items())
        request = urllib.request.Request(
            self.base + path,
            data=urllib.parse.urlencode(fields).encode(),
            headers={"Referer": self.base + path},
        )
        with self.opener.open(request, timeout=30) as response:
            self.last_url, self.last_page = response.url, response.read().decode()
            return response.status


def wait_ready(port: int, process: subprocess.Popen) -> None:
    for _ in range(200):
        if process.poll() is not None:
            raise SystemExit(f"the server on {port} stopped: {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server on {port} did not become ready")


def wrk(url: str, seconds: int, connections: int) -> float:
    # Warm: the first visitor after a change pays for the page; the table is about the rest.
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", url],
        capture_output=True,
        text=True,
        check=True,
    )
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} error responses\n{result.stdout}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1))


def two_servers_share_one_cache(env) -> str:
    """A change through the admin of ``cached`` is on ``second``'s next page."""
    cached = f"http://127.0.0.1:{PORTS['cached']}"
    second = Browser(f"http://127.0.0.1:{PORTS['second']}")
    path = "/en/wards/"
    second.get(path)
    _, headers, before = second.get(path)
    assert headers.get("X-Page-Cache") == "hit", headers
    admin = Browser(cached)
    status = admin.post_form(
        "/admin/login/?next=/admin/", {"username": "bench", "password": ADMIN_PASSWORD}
    )
    assert status == 200, status
    ward_pk = manage(
        "shell",
        "-c",
        "from wards.models import Ward; print(Ward.objects.get(slug='miyamae').pk)",
        env=env,
    ).stdout.split()[-1]
    new_name = f"Miyamae Ward {int(time.time())}"
    assert new_name not in before
    admin.post_form(f"/admin/wards/ward/{ward_pk}/change/", {"name_en": new_name})
    if admin.last_url.rstrip("/").endswith("/change"):
        errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', admin.last_page, re.S)
        raise SystemExit(f"the admin refused the change: {errors or admin.last_url}")
    _, headers, after = second.get(path)
    assert new_name in after, "the second server served a stale page"
    return (
        f"A ward's English name changed through the admin of one server (port "
        f"{PORTS['cached']}) was on the other's next `{path}` (port {PORTS['second']}), "
        f"which had been a cache hit just before (X-Page-Cache: {headers.get('X-Page-Cache')} "
        "after the change)."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--no-write", action="store_true", help="print, do not touch RESULTS.md")
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")

    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kw_serve_bench")
    db = dj_database_url.parse(url)
    server = url.rsplit("/", 1)[0]
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
    static_root = tempfile.mkdtemp(prefix="kw-bench-static-")
    base_env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "PAGE_CACHE_ENABLED")} | {
        "DJANGO_SETTINGS_MODULE": "bench.http_settings",
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        "BENCH_STATIC_ROOT": static_root,
        "GUNICORN_ACCESS_LOG": "",
        "GUNICORN_ERROR_LOG": "-",
        # No worker replaced in the middle of a measurement.
        "GUNICORN_MAX_REQUESTS": "0",
        "DJANGO_SUPERUSER_PASSWORD": ADMIN_PASSWORD,
    }
    admin_env = base_env | {"DATABASE_URL": f"{server}/postgres"}
    manage("dbshell", "--", "-c", f'DROP DATABASE IF EXISTS "{db["NAME"]}"', env=admin_env)
    manage("dbshell", "--", "-c", f'CREATE DATABASE "{db["NAME"]}"', env=admin_env)
    processes: dict[str, subprocess.Popen] = {}
    try:
        for step in (
            ("migrate", "--noinput"),
            ("load_report",),
            ("collectstatic", "--noinput"),
            ("createsuperuser", "--noinput", "--username", "bench", "--email", "b@example.jp"),
        ):
            manage(*step, env=base_env)
        run(
            sys.executable,
            "-c",
            f"import redis; redis.from_url({redis_url!r}).flushdb()",
            env=base_env,
        )
        initiative = manage(
            "shell",
            "-c",
            "from initiatives.models import Initiative; print(Initiative.objects.published()"
            ".order_by('pk').first().pk)",
            env=base_env,
        ).stdout.split()[-1]

        for name, port in PORTS.items():
            env = base_env | {
                "GUNICORN_BIND": f"127.0.0.1:{port}",
                "GUNICORN_WORKERS": str(WORKERS[name]),
                "PAGE_CACHE_ENABLED": "0" if name == "uncached" else "1",
            }
            processes[name] = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        for name, port in PORTS.items():
            wait_ready(port, processes[name])

        shared = two_servers_share_one_cache(base_env)
        print(shared)
        # The second server is not measured: stop it so that it takes no CPU.
        processes.pop("second").send_signal(signal.SIGTERM)

        rows = []
        bare_runs = {"cached": [], "uncached": []}

        def measure_bare(mode: str) -> float:
            # Just before each page, on the same server: others' load on a shared machine
            # drifts, and the share compares two figures taken a few seconds apart.
            address = f"http://127.0.0.1:{PORTS[mode]}/bench/bare/"
            bare_runs[mode].append(wrk(address, BARE_SECONDS, options.connections))
            return bare_runs[mode][-1]

        for kind, path in pages():
            path = path.format(initiative=initiative)
            for language, prefix in (("ja", ""), ("en", "/en")):
                figures = {}
                for mode in ("cached", "uncached"):
                    baseline = measure_bare(mode)
                    address = f"http://127.0.0.1:{PORTS[mode]}{prefix}{path}"
                    figures[mode] = wrk(address, options.seconds, options.connections)
                    figures[f"{mode} share"] = figures[mode] / baseline
                # The stricter figure: the bare view of a stack without the page cache (as
                # the issue measured it), which asks nothing of Redis.
                figures["cached share of plain"] = figures["cached"] / bare_runs["uncached"][-1]
                rows.append((kind, language, prefix + path, figures))
                print(
                    f"{kind:22} {language} cached {figures['cached']:7.0f} "
                    f"({figures['cached share']:4.0%}, "
                    f"{figures['cached share of plain']:4.0%} of plain)  uncached "
                    f"{figures['uncached']:6.0f} ({figures['uncached share']:4.0%})",
                    flush=True,
                )
        bare = {mode: sum(runs) / len(runs) for mode, runs in bare_runs.items()}
    finally:
        for process in processes.values():
            process.send_signal(signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        manage(
            "dbshell",
            "--",
            "-c",
            f'DROP DATABASE IF EXISTS "{db["NAME"]}"',
            env=admin_env,
            check=False,
        )
        shutil.rmtree(static_root, ignore_errors=True)

    table = report(rows, bare, shared, options)
    print(table)
    if not options.no_write:
        with RESULTS.open("a") as results:
            results.write("\n" + table)


def machine() -> str:
    cpu = "unknown processor"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}"


def report(rows, bare, shared, options) -> str:
    lowest = min(figures["cached share"] for *_, figures in rows)
    lowest_plain = min(figures["cached share of plain"] for *_, figures in rows)
    lines = [
        f"## make bench-http — {datetime.date.today().isoformat()}",
        "",
        f"Machine: {machine()}; Python {platform.python_version()}; PostgreSQL and Redis on "
        f"the same machine. gunicorn from deploy/gunicorn.conf.py, {WORKERS['cached']} sync "
        f"workers per server, DEBUG off; wrk on loopback, 2 threads, {options.connections} "
        f"connections, {options.seconds} s per address, one server loaded at a time. The "
        "report's own data (10 initiatives). *Cached*: the whole-page cache in Redis "
        "(anonymous visitor, warm); *uncached*: the same stack with PAGE_CACHE_ENABLED=0, "
        "measured in the same run. The bare view (`/bench/bare/`, bench/http_urls.py) "
        "passes through the same middleware and renders nothing; it is measured for "
        f"{BARE_SECONDS} s on the same server just before each page, and each share is of "
        f"that figure (mean bare: {bare['cached']:.0f} req/s on the cached server, "
        f"{bare['uncached']:.0f} on the uncached one). On the cached server the bare view "
        "also pays the page cache's lookup (a miss), so a cached page is compared with the "
        "uncached server's bare view too (*of plain bare*, measured seconds after), the "
        "stack as the issue measured it. Each address was asked once before its run (warm). "
        f"Load average at the end: {os.getloadavg()[0]:.1f}.",
        "",
        "| page | lang | cached req/s | share of bare | share of plain bare "
        "| uncached req/s | share of bare |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind, language, path, figures in rows:
        lines.append(
            f"| {kind} (`{path}`) | {language} | {figures['cached']:.0f} | "
            f"{figures['cached share']:.0%} | {figures['cached share of plain']:.0%} | "
            f"{figures['uncached']:.0f} | {figures['uncached share']:.0%} |"
        )
    lines += [
        "",
        f"Lowest cached share: {lowest:.0%} of the bare view on the same server, "
        f"{lowest_plain:.0%} of the bare view without the page cache (target: 85 % or more).",
        "",
        f"Two app servers, one database, one Redis: {shared}",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
