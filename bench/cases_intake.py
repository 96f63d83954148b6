"""Case intake throughput through the REST API: gunicorn with 2 workers on loopback, N clients for T seconds.

Starts ``gunicorn grassroots.wsgi`` (sync workers) on a free loopback port against the demo database, takes an
API token for a staff user (``POST /api/v1/auth/token/``), then runs ``--clients`` threads that each ``POST
/api/v1/cases/`` (a difficulty or a micro-wish at a random entrance of the user's area, a random category or
service item, a mobile number) as fast as the server answers, for ``--seconds``. Prints requests per second,
p50/p95/p99 latency and errors, and checks that the number of new cases equals the 201 answers.

    .venv/bin/python bench/cases_intake.py --var-dir /tmp/bench-s1 [--clients 8] [--seconds 20] [--workers 2]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/grassroots_bench .venv/bin/python bench/cases_intake.py

The database must hold the demo (``--build`` builds it). Every run adds cases to it. The load generator is pure
Python (threads + ``http.client``, a new connection per request as gunicorn's sync workers close each one); on a
2-core machine it shares the CPU with the server, so the figure is a floor.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases_common import (
    DEMO_PASSWORD,
    add_common_arguments,
    describe,
    ensure_cases,
    percentile,
    setup,
    staff,
    submittable,
)

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)  # ms of the 201 answers
    errors: dict[str, int] = field(default_factory=dict)
    samples: list[str] = field(default_factory=list)  # the first few error bodies

    def error(self, key: str, body: str = "") -> None:
        self.errors[key] = self.errors.get(key, 0) + 1
        if body and len(self.samples) < 3:
            self.samples.append(f"{key}: {body[:300]}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def request(port: int, method: str, path: str, body: Any = None, token: str = "") -> tuple[int, str]:
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    headers = {"Content-Type": "application/json", "Accept": "application/json", "Connection": "close"}
    if token:
        headers["Authorization"] = f"Token {token}"
    try:
        connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def start_server(port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.setdefault("PYTHONPATH", str(REPO / "src"))
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [
        str(gunicorn),
        "grassroots.wsgi:application",
        "--workers",
        str(workers),
        "--bind",
        f"{HOST}:{port}",
        "--access-logfile",
        "-",
        "--timeout",
        "120",
    ]
    with log.open("wb") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def wait_ready(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited ({server.returncode}); its log:\n{log.read_text()[-3000:]}")
        try:
            status, _body = request(port, "GET", "/api/v1/catalogue/categories/")
        except OSError:
            time.sleep(0.3)
            continue
        if status in (200, 401, 403):
            return
        time.sleep(0.3)
    sys.exit("gunicorn did not answer within 60 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)  # the process group of the gunicorn we started, nothing else
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def payloads(username: str, count: int, seed: int) -> list[dict[str, Any]]:
    """Request bodies at places the user handles cases for (so none is refused for scope)."""
    from grassroots.accounts.enums import Capability
    from grassroots.cases.enums import NeedGroup
    from grassroots.territory.models import Region

    user = staff(username)
    places = list(
        Region.objects.visible_to(user, Capability.HANDLE_CASES)
        .filter(kind="entrance")
        .order_by("code")
        .values_list("pk", flat=True)
    )
    if not places:
        sys.exit(f"{username} handles no entrance: pass another --user")
    rng = random.Random(seed)
    pick = submittable(rng)
    groups = [g for g in NeedGroup.values if g != NeedGroup.OTHER]
    bodies = []
    for i in range(count):
        category, item = pick()
        wish = rng.random() < 0.4
        body: dict[str, Any] = {
            "kind": "micro_wish" if wish else "difficulty",
            "category": category.code,
            "description": f"接口压测诉求{i}：小区路灯不亮，晚上出行不便，请尽快处理",
            "place": rng.choice(places),
            "requester_name": "压测居民",
            "contact_mobile": f"139{rng.randint(0, 99_999_999):08d}",
        }
        if item is not None:
            body["item"] = item.code
        if wish:
            body["need_group"] = rng.choice(groups)
        bodies.append(body)
    return bodies


def drive(port: int, token: str, bodies: list[dict[str, Any]], clients: int, seconds: float) -> tuple[Tally, float]:
    tally = Tally()
    lock = threading.Lock()
    counter = iter(range(10**9))
    stop = time.perf_counter() + seconds

    def client() -> None:
        while time.perf_counter() < stop:
            with lock:
                body = bodies[next(counter) % len(bodies)]
            started = time.perf_counter()
            try:
                status, text = request(port, "POST", "/api/v1/cases/", body, token)
            except OSError as exc:
                with lock:
                    tally.error(type(exc).__name__, str(exc))
                continue
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if status == 201:
                    tally.latencies.append(elapsed)
                else:
                    tally.error(f"HTTP {status}", text)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally, time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_common_arguments(parser)
    parser.add_argument("--user", default="district_admin", help="a demo staff login with HANDLE_CASES")
    parser.add_argument("--password", default=DEMO_PASSWORD)
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (threads)")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=0, help="loopback port (default: a free one)")
    args = parser.parse_args()
    setup(args)
    ensure_cases(args.min_cases, args.seed)

    from grassroots.cases.models import Case

    print(describe())
    bodies = payloads(args.user, 2000, args.seed)
    port = args.port or free_port()
    log = Path(os.environ["GRASSROOTS_VAR_DIR"]) / "bench-gunicorn.log"
    server = start_server(port, args.workers, log)
    try:
        wait_ready(port, server, log)
        status, text = request(port, "POST", "/api/v1/auth/token/", {"username": args.user, "password": args.password})
        if status != 200:
            sys.exit(f"POST /api/v1/auth/token/ answered {status}: {text[:300]}")
        token = json.loads(text)["token"]
        status, text = request(port, "POST", "/api/v1/cases/", bodies[0], token)  # warm-up, and is it there?
        if status in (404, 405):
            sys.exit(f"POST /api/v1/cases/ answered {status}: the case API is not in this build")
        if status != 201:
            sys.exit(f"POST /api/v1/cases/ answered {status}: {text[:500]}")
        before = Case.objects.count()
        tally, elapsed = drive(port, token, bodies[1:], args.clients, args.seconds)
        created = Case.objects.count() - before
    finally:
        stop_server(server)

    done = len(tally.latencies)
    errors = sum(tally.errors.values())
    print(
        f"POST /api/v1/cases/ as {args.user}: gunicorn {args.workers} sync workers, "
        f"{args.clients} clients, {elapsed:.1f} s"
    )
    if done:
        lat = tally.latencies
        print(
            f"  {done:,} created   {done / elapsed:7.1f} requests/s   p50 {statistics.median(lat):7.1f} ms   "
            f"p95 {percentile(lat, 0.95):7.1f} ms   p99 {percentile(lat, 0.99):7.1f} ms   errors {errors}"
        )
    else:
        print(f"  nothing created; errors {errors}")
    for key, n in sorted(tally.errors.items()):
        print(f"  {key}: {n}")
    for sample in tally.samples:
        print(f"    e.g. {sample}")
    if created != done:
        print(f"  WARNING: {created} new cases in the database for {done} answers 201")


if __name__ == "__main__":
    main()
