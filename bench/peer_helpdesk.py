"""Peer comparison with django-helpdesk 2.6.1: its staff ticket list and dashboard against our case inbox and cockpit.

Same run, same machine, same load: each system in turn behind gunicorn (sync workers, ``--workers`` 2) on a
loopback port, driven by ``wrk`` with identical parameters (``-t2 -c8 -d20s`` by default) and a staff session
cookie; HTML only (no static files). Printed per page: requests/s, p50/p95/p99 ms (a small Lua ``done`` hook in
``peer_helpdesk/wrk_report.lua`` reads wrk's latency histogram) and the ratios
grassroots ÷ helpdesk requests/s and helpdesk p95 ÷ grassroots p95 (above 1: Grassroots is faster).

    .venv/bin/python bench/peer_helpdesk.py --postgres postgresql://postgres@127.0.0.1:5432/grassroots_ck10 \\
        --var-dir /tmp/ck/pg10 [--duration 20] [--connections 8] [--threads 2] [--json]
    .venv/bin/python bench/peer_helpdesk.py --var-dir /tmp/ck/sqlite10          # SQLite on both sides

With ``--rounds R`` both systems are measured R times, alternating, and the table shows the medians.

What it does:

1. **helpdesk's venv** — ``--helpdesk-venv`` (default ``/tmp/peer-helpdesk-venv``) is created when missing and
   given the pinned ``HELPDESK_PINS`` with pip (from PyPI; nothing of helpdesk is in this repository). Its site
   is the small files of ``bench/peer_helpdesk/`` (settings, urls, wsgi, loader): DEBUG off, the knowledge
   base on (2.6.1's URLs need it), teams mode off (no pinax-teams), same SQLite pragmas / ``CONN_MAX_AGE`` as
   Grassroots.
2. **the same engine on both sides** — with ``--postgres`` (or ``DATABASE_URL``) helpdesk gets the PostgreSQL
   database ``peer_helpdesk`` on the same server (created with psql when missing); otherwise a SQLite file in
   ``--helpdesk-dir``. ``--helpdesk-db`` overrides (``postgresql://…`` or ``sqlite:////path``).
3. **as many tickets as cases** — N = ``cases.Case`` rows of the Grassroots database (read through
   ``grassroots shell``; ``--tickets`` overrides); ``peer_helpdesk/peer_load.py`` bulk-inserts N tickets over
   five queues, all statuses and priorities, assigned to five staff users (skipped when helpdesk already holds N).
   Both databases then get ``VACUUM ANALYZE`` (PostgreSQL) or ``ANALYZE`` (SQLite) unless ``--no-analyze``.
4. **the pages**, as a staff user with a session created server-side (``Client.force_login``, the database
   session backend of each): Grassroots ``/cases/`` (the case inbox, first page, no filter) and ``/cockpit/``
   (the dashboard) as ``district_admin``; helpdesk ``/tickets/`` (the list page: an HTML shell whose table is
   filled by a DataTables AJAX call), that call's JSON endpoint for the first page
   (``/datatables_ticket_list/<default query>?draw=1&start=0&length=<page length>``, the request the browser
   makes) and ``/dashboard/`` as ``peer_admin`` (a superuser). Each URL must answer 200 with a real body (no
   login redirect, no login form) before it is measured, or the script stops. Then ``--warmup`` rounds of one
   request per worker (not counted), the measured ``--duration`` of wrk, and a wait for the requests wrk leaves
   queued in gunicorn when it stops (so they do not slow the next page down). Only completed requests count: a
   page slower than ``--duration`` shows few requests (the ``n`` column); lengthen the run for it.

The Grassroots database is only read (apart from sessions and planner statistics); it must hold a built demo with its migrations applied. The
grassroots figure includes what every Grassroots request pays (session saved on every request, axes, scope
checks). On a shared 2-core machine the load generator, both gunicorn workers and the database share the CPU:
compare the ratios, not the absolute figures; the load average is printed with each result.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import datetime as dt
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
PEER_DIR = Path(__file__).resolve().parent / "peer_helpdesk"
LUA = PEER_DIR / "wrk_report.lua"
HOST = "127.0.0.1"
# What helpdesk's venv gets (the Django and psycopg of Grassroots' own lock, the gunicorn of pyproject.toml).
HELPDESK_PINS = ["django-helpdesk==2.6.1", "Django==5.2.19", "gunicorn==27.0.1", "psycopg[binary]==3.3.9"]
HELPDESK_DB_NAME = "peer_helpdesk"
GRASSROOTS_PROBE = """
import json
import os
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from grassroots.accounts.models import User
from grassroots.cases.models import Case
executor = MigrationExecutor(connection)
pending = [f"{m.app_label}.{m.name}" for m, _ in executor.migration_plan(executor.loader.graph.leaf_nodes())]
if os.environ["PEER_ANALYZE"] == "1":
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
client = Client()
client.force_login(User.objects.get(username=os.environ["PEER_USER"]), backend="django.contrib.auth.backends.ModelBackend")
print("PEER_JSON " + json.dumps({
    "cases": Case.objects.count(), "vendor": connection.vendor, "pending_migrations": pending,
    "sessionid": client.cookies["sessionid"].value,
}))
"""


@dataclass
class Result:
    page: str
    system: str
    url: str
    bytes_per_response: int
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    errors: dict[str, int]
    load_average: str


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def run(command: list[str], env: dict[str, str], what: str, cwd: Path | None = None) -> str:
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{what} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def tagged_json(output: str, tag: str) -> dict[str, Any]:
    for line in output.splitlines():
        if line.startswith(tag + " "):
            return dict(json.loads(line[len(tag) + 1 :]))
    sys.exit(f"no {tag} line in:\n{output[-3000:]}")


# --- helpdesk's side ---------------------------------------------------------------------------------------------


def ensure_helpdesk_venv(venv: Path) -> None:
    python = venv / "bin" / "python"
    if not python.exists():
        print(f"creating {venv} …", file=sys.stderr)
        run([sys.executable, "-m", "venv", str(venv)], dict(os.environ), "python -m venv")
    check = "import importlib.metadata as m; print(m.version('django-helpdesk'), m.version('Django'))"
    probe = subprocess.run([str(python), "-c", check], capture_output=True, text=True)
    if probe.returncode != 0 or probe.stdout.split() != ["2.6.1", "5.2.19"]:
        print(f"pip install {' '.join(HELPDESK_PINS)} into {venv} …", file=sys.stderr)
        run([str(python), "-m", "pip", "install", "-q", *HELPDESK_PINS], dict(os.environ), "pip install")


def helpdesk_env(db_url: str, peer_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRASSROOTS_", "DATABASE_URL", "DJANGO_"))}
    env.update(PYTHONPATH=str(PEER_DIR), DJANGO_SETTINGS_MODULE="peer_settings", PEER_DIR=str(peer_dir))
    url = urlsplit(db_url)
    if url.scheme.startswith("postgres"):
        env.update(
            PEER_DB_ENGINE="postgresql",
            PEER_DB_NAME=url.path.lstrip("/"),
            PEER_DB_HOST=url.hostname or HOST,
            PEER_DB_PORT=str(url.port or 5432),
            PEER_DB_USER=url.username or "postgres",
            PEER_DB_PASSWORD=url.password or "",
        )
    elif url.scheme == "sqlite":
        env.update(PEER_DB_ENGINE="sqlite", PEER_DB_NAME=url.path)
    else:
        sys.exit(f"--helpdesk-db: postgresql://… or sqlite:////path, not {db_url!r}")
    return env


def ensure_pg_database(db_url: str) -> None:
    url = urlsplit(db_url)
    name = url.path.lstrip("/")
    base = ["psql", "-h", url.hostname or HOST, "-p", str(url.port or 5432), "-U", url.username or "postgres"]
    env = dict(os.environ, PGPASSWORD=url.password or "")
    exists = run([*base, "-d", "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"], env, "psql")
    if exists.strip() != "1":
        run([*base, "-d", "postgres", "-c", f'CREATE DATABASE "{name}"'], env, "CREATE DATABASE")


# --- servers and measurements ------------------------------------------------------------------------------------


def start_gunicorn(
    gunicorn: Path, app: str, env: dict[str, str], port: int, workers: int, log: Path
) -> subprocess.Popen[bytes]:
    command = [
        str(gunicorn),
        app,
        "--workers",
        str(workers),
        "--bind",
        f"{HOST}:{port}",
        "--timeout",
        "300",
        "--no-control-socket",  # gunicorn 27's control socket has one default path for every instance
    ]
    with log.open("wb") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def stop_gunicorn(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)  # the process group of the gunicorn we started, nothing else
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def get(port: int, path: str, cookie: str, timeout: float = 120) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def wait_ready(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited ({server.returncode}); its log:\n{log.read_text()[-3000:]}")
        try:
            get(port, "/", "", timeout=10)
            return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"gunicorn did not answer within 90 s; its log:\n{log.read_text()[-3000:]}")


def verify(port: int, path: str, cookie: str, system: str, *, want_json: bool = False) -> bytes:
    """The page as the staff user: 200 with a real body (not a redirect to the login page, not the login form)."""
    status, headers, body = get(port, path, cookie)
    problem = ""
    if status != 200:
        problem = f"status {status}" + (f" → {headers['location']}" if "location" in headers else "")
    elif want_json:
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        if not isinstance(data, dict) or not data.get("data"):
            problem = "no JSON rows"
    elif len(body) < 2000 or b'name="password"' in body:
        problem = f"not a staff page ({len(body)} bytes)"
    if problem:
        sys.exit(f"{system} {path}: {problem} — refusing to measure it.\n{body[:1500].decode(errors='replace')}")
    return body


def wrk(port: int, path: str, cookie: str, args: argparse.Namespace, seconds: float) -> dict[str, Any]:
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{seconds:g}s",
        "--latency",
        "--timeout",
        f"{args.timeout}s",
        "-s",
        str(LUA),
        "-H",
        f"Cookie: sessionid={cookie}",
        f"http://{HOST}:{port}{path}",
    ]
    return tagged_json(run(command, dict(os.environ), "wrk"), "PEER_WRK")


def in_parallel(port: int, path: str, cookie: str, count: int) -> None:
    """``count`` requests at once, waiting for every answer."""
    with concurrent.futures.ThreadPoolExecutor(count) as pool:
        for status, _headers, _body in pool.map(lambda _: get(port, path, cookie, timeout=600), range(count)):
            if status >= 500:
                sys.exit(f"{path}: status {status}")


def measure(port: int, page: str, system: str, path: str, cookie: str, args: argparse.Namespace, body: bytes) -> Result:
    for _ in range(args.warmup):  # each worker compiles its templates, opens its connection, fills its caches
        in_parallel(port, path, cookie, args.workers)
    figures = wrk(port, path, cookie, args, args.duration)
    # wrk leaves up to --connections requests queued when it stops, and gunicorn still serves them: wait for
    # them (requests queued behind them) so that they do not eat into the next measurement
    in_parallel(port, "/peer-bench-drain/", "", args.workers)  # a 404 without a session: cheap on both
    seconds = figures["duration_us"] / 1e6
    errors = {k[7:]: v for k, v in figures.items() if k.startswith("errors_") and v}
    result = Result(
        page=page,
        system=system,
        url=path,
        bytes_per_response=len(body),
        requests=figures["requests"],
        seconds=round(seconds, 2),
        rps=round(figures["requests"] / seconds, 2),
        p50_ms=round(figures["p50_us"] / 1000, 1),
        p95_ms=round(figures["p95_us"] / 1000, 1),
        p99_ms=round(figures["p99_us"] / 1000, 1),
        max_ms=round(figures["max_us"] / 1000, 1),
        errors=errors,
        load_average=load_average(),
    )
    print(
        f"  {system:10s} {path[:60]:60s} {result.rps:8.1f} req/s  p95 {result.p95_ms:8.1f} ms  load {result.load_average}",
        file=sys.stderr,
    )
    return result


@contextlib.contextmanager
def serving(gunicorn: Path, app: str, env: dict[str, str], workers: int, log: Path) -> Iterator[int]:
    """A gunicorn of ``app`` on a free loopback port, answering; stopped on the way out."""
    port = free_port()
    server = start_gunicorn(gunicorn, app, env, port, workers, log)
    try:
        wait_ready(port, server, log)
        yield port
    finally:
        stop_gunicorn(server)


# --- main --------------------------------------------------------------------------------------------------------


def combine(runs: list[Result]) -> list[Result]:
    """One result per URL: the medians over the rounds (requests and seconds summed, errors added up)."""
    combined = []
    for key in dict.fromkeys((r.system, r.url) for r in runs):
        same = [r for r in runs if (r.system, r.url) == key]
        errors: dict[str, int] = {}
        for r in same:
            for name, count in r.errors.items():
                errors[name] = errors.get(name, 0) + count
        combined.append(
            Result(
                page=same[0].page,
                system=same[0].system,
                url=same[0].url,
                bytes_per_response=same[0].bytes_per_response,
                requests=sum(r.requests for r in same),
                seconds=round(sum(r.seconds for r in same), 2),
                rps=round(statistics.median(r.rps for r in same), 2),
                p50_ms=round(statistics.median(r.p50_ms for r in same), 1),
                p95_ms=round(statistics.median(r.p95_ms for r in same), 1),
                p99_ms=round(statistics.median(r.p99_ms for r in same), 1),
                max_ms=max(r.max_ms for r in same),
                errors=errors,
                load_average=" | ".join(r.load_average for r in same),
            )
        )
    return combined


def ratio(a: float, b: float) -> float | None:
    return round(a / b, 2) if b else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--var-dir", required=True, help="GRASSROOTS_VAR_DIR the demo was built with (its keys)")
    parser.add_argument("--postgres", default="", help="Grassroots PostgreSQL URL (default: DATABASE_URL, else SQLite)")
    parser.add_argument("--user", default="district_admin", help="Grassroots staff login (default district_admin)")
    parser.add_argument("--helpdesk-venv", type=Path, default=Path("/tmp/peer-helpdesk-venv"))
    parser.add_argument("--helpdesk-dir", type=Path, default=Path("/tmp/peer-helpdesk"), help="its key, logs, SQLite")
    parser.add_argument(
        "--helpdesk-db",
        default="",
        help=f"helpdesk's database URL (default: {HELPDESK_DB_NAME} on the same PostgreSQL, or SQLite in --helpdesk-dir)",
    )
    parser.add_argument("--tickets", type=int, default=0, help="tickets to load (default: the Grassroots case count)")
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers per system (default 2)")
    parser.add_argument("--threads", type=int, default=2, help="wrk -t (default 2)")
    parser.add_argument("--connections", type=int, default=8, help="wrk -c (default 8)")
    parser.add_argument("--duration", type=float, default=20, help="wrk -d seconds per URL (default 20)")
    parser.add_argument(
        "--warmup", type=int, default=2, help="rounds of one request per worker before each measurement (default 2)"
    )
    parser.add_argument("--timeout", type=int, default=120, help="wrk --timeout seconds (default 120)")
    parser.add_argument(
        "--rounds", type=int, default=1, help="measure both systems this many times, alternating; medians (default 1)"
    )
    parser.add_argument("--no-analyze", dest="analyze", action="store_false", help="skip (VACUUM) ANALYZE")
    parser.add_argument("--json", action="store_true", help="print the results as JSON instead of a table")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (Debian: apt-get install -y wrk)")
    started = dt.datetime.now().astimezone()

    # Grassroots: its database, the case count, a staff session
    postgres = args.postgres or os.environ.get("DATABASE_URL", "")
    genv = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    genv.update(
        GRASSROOTS_VAR_DIR=str(Path(args.var_dir).resolve()),
        DJANGO_SETTINGS_MODULE="grassroots.settings",
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        PYTHONPATH=str(REPO / "src"),
    )
    if postgres:
        genv["DATABASE_URL"] = postgres
    bindir = Path(sys.executable).parent
    penv = dict(genv, PEER_ANALYZE="1" if args.analyze else "0", PEER_USER=args.user)
    shell = [str(bindir / "grassroots"), "shell", "-c", GRASSROOTS_PROBE]
    probe = tagged_json(run(shell, penv, "grassroots shell"), "PEER_JSON")
    if probe["pending_migrations"]:
        sys.exit(f"The Grassroots database lacks migrations {probe['pending_migrations']}: run `grassroots migrate`")
    cases = int(probe["cases"])
    if not cases:
        sys.exit("The Grassroots database holds no cases: build the demo first")
    if not (bindir / "gunicorn").exists():
        run(
            [str(bindir / "python"), "-m", "pip", "install", "-q", "gunicorn"], dict(os.environ), "pip install gunicorn"
        )

    # helpdesk: venv, database, tickets, a staff session
    args.helpdesk_dir.mkdir(parents=True, exist_ok=True)
    ensure_helpdesk_venv(args.helpdesk_venv)
    db_url = args.helpdesk_db
    if not db_url:
        if postgres:
            db_url = urlsplit(postgres)._replace(path=f"/{HELPDESK_DB_NAME}", query="").geturl()
        else:
            db_url = f"sqlite:///{args.helpdesk_dir.resolve() / 'helpdesk.sqlite3'}"
    if db_url.startswith("postgres"):
        ensure_pg_database(db_url)
    henv = helpdesk_env(db_url, args.helpdesk_dir.resolve())
    tickets = args.tickets or cases
    load_cmd = [str(args.helpdesk_venv / "bin" / "python"), str(PEER_DIR / "peer_load.py"), "--tickets", str(tickets)]
    load_cmd += ["--seed", str(args.seed)] + (["--analyze"] if args.analyze else [])
    loaded = tagged_json(run(load_cmd, henv, "peer_load.py"), "PEER_JSON")
    if loaded["tickets"] != tickets:
        sys.exit(f"helpdesk holds {loaded['tickets']} tickets, not {tickets}")

    describe = {
        "date": started.isoformat(timespec="seconds"),
        "machine": f"{platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "grassroots_db": f"{probe['vendor']} ({urlsplit(postgres).path.lstrip('/') if postgres else args.var_dir})",
        "helpdesk_db": f"{loaded['vendor']} ({db_url})",
        "cases": cases,
        "tickets": loaded["tickets"],
        "helpdesk_followups": loaded["followups"],
        "gunicorn_workers": args.workers,
        "wrk": f"-t{args.threads} -c{args.connections} -d{args.duration:g}s --latency --timeout {args.timeout}s "
        f"(after {args.warmup} warm-up requests per worker and URL), {args.rounds} round(s)",
        "load_average_start": load_average(),
    }
    print(f"measuring: {describe}", file=sys.stderr)
    runs: list[Result] = []
    for round_ in range(1, args.rounds + 1):
        print(f"round {round_} of {args.rounds}", file=sys.stderr)
        sessionid = probe["sessionid"]
        glog = args.helpdesk_dir / "gunicorn-grassroots.log"
        with serving(bindir / "gunicorn", "grassroots.wsgi:application", genv, args.workers, glog) as port:
            pages = [("inbox / ticket list", "/cases/"), ("dashboard", "/cockpit/")]
            bodies = [verify(port, path, sessionid, "grassroots") for _, path in pages]
            for (page, path), body in zip(pages, bodies, strict=True):
                runs.append(measure(port, page, "grassroots", path, sessionid, args, body))

        sessionid = loaded["sessionid"]
        hlog = args.helpdesk_dir / "gunicorn-helpdesk.log"
        with serving(
            args.helpdesk_venv / "bin" / "gunicorn", "peer_wsgi:application", henv, args.workers, hlog
        ) as port:
            listing = verify(port, "/tickets/", sessionid, "helpdesk")
            # the list page names its DataTables endpoint (the default query, base64) and its page length
            endpoint = re.search(rb'"url": "(/datatables_ticket_list/[^"]+)"', listing)
            length = re.search(rb"data-page-length='(\d+)'", listing)
            if not endpoint or not length:
                sys.exit("helpdesk's /tickets/ names no DataTables endpoint / page length (not 2.6.1?)")
            data_url = f"{endpoint.group(1).decode()}?draw=1&start=0&length={length.group(1).decode()}"
            describe["helpdesk_page_length"] = int(length.group(1))
            pages = [
                ("inbox / ticket list", "/tickets/"),
                ("ticket list data (JSON)", data_url),
                ("dashboard", "/dashboard/"),
            ]
            bodies = [listing, verify(port, data_url, sessionid, "helpdesk", want_json=True)]
            bodies.append(verify(port, "/dashboard/", sessionid, "helpdesk"))
            for (page, path), body in zip(pages, bodies, strict=True):
                runs.append(measure(port, page, "helpdesk", path, sessionid, args, body))

    results = combine(runs)
    by = {(r.system, r.url): r for r in results}
    comparisons = []
    for label, ours, theirs in [
        ("inbox /cases/ vs ticket list /tickets/ (HTML)", "/cases/", "/tickets/"),
        ("inbox /cases/ vs ticket list data (JSON, first page)", "/cases/", data_url),
        ("cockpit /cockpit/ vs dashboard /dashboard/", "/cockpit/", "/dashboard/"),
    ]:
        g, h = by[("grassroots", ours)], by[("helpdesk", theirs)]
        comparisons.append(
            {
                "comparison": label,
                "rps_grassroots_over_helpdesk": ratio(g.rps, h.rps) if g.requests and h.requests else None,
                "p95_helpdesk_over_grassroots": ratio(h.p95_ms, g.p95_ms) if g.requests and h.requests else None,
            }
        )
    describe["load_average_end"] = load_average()

    if args.json:
        document = {**describe, "results": [asdict(r) for r in results], "ratios": comparisons}
        if args.rounds > 1:
            document["rounds"] = [asdict(r) for r in runs]
        print(json.dumps(document, indent=2))
        return
    print(
        f"Peer comparison, {describe['date']} — {describe['machine']} (shared with other work: compare ratios)\n"
        f"Grassroots {describe['grassroots_db']}: {cases:,} cases, as {args.user}\n"
        f"django-helpdesk 2.6.1 {describe['helpdesk_db']}: {loaded['tickets']:,} tickets, "
        f"{loaded['followups']:,} follow-ups, as peer_admin\n"
        f"gunicorn {args.workers} sync workers each, loopback; wrk {describe['wrk']}; load average "
        f"{describe['load_average_start']} → {describe['load_average_end']}"
    )
    print(
        f"\n{'page':24s} {'system':10s} {'URL':34s} {'KB':>5s} {'n':>5s} {'req/s':>7s} {'p50 ms':>8s} {'p95 ms':>8s} "
        f"{'p99 ms':>8s}  errors"
    )
    for r in results:
        url = r.url if len(r.url) <= 34 else r.url[:22] + "…" + r.url[-11:]
        few = "  (few requests: lengthen --duration)" if r.requests < 30 else ""
        print(
            f"{r.page:24s} {r.system:10s} {url:34s} {r.bytes_per_response / 1024:5.0f} {r.requests:5d} {r.rps:7.2f} "
            f"{r.p50_ms:8.1f} {r.p95_ms:8.1f} {r.p99_ms:8.1f}  {r.errors or '-'}{few}"
        )
    print()
    for c in comparisons:
        rps, p95 = c["rps_grassroots_over_helpdesk"], c["p95_helpdesk_over_grassroots"]
        print(
            f"{c['comparison']:54s} req/s grassroots ÷ helpdesk {rps if rps is not None else 'n/a':>6}   "
            f"p95 helpdesk ÷ grassroots {p95 if p95 is not None else 'n/a':>6}"
        )


if __name__ == "__main__":
    main()
