"""Server time of the person list at demo scale (default ×10): page 1 and page 500, with a filter.

Prints median and p95 milliseconds per request (through Django's test client, so: URL routing, middleware,
scope filter, the list view, template rendering — no network) and the SQL queries per page.

    .venv/bin/python bench/person_list.py --var-dir /tmp/bench-s10 [--scale 10] [--runs 30]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/grassroots_bench .venv/bin/python bench/person_list.py

The database must hold the demo at that scale; with --build it is built first (``grassroots demo --no-serve``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--var-dir", default="", help="GRASSROOTS_VAR_DIR holding the SQLite demo database")
    parser.add_argument("--scale", type=float, default=10)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--build", action="store_true", help="build the demo first if the database is empty")
    args = parser.parse_args()
    os.environ["GRASSROOTS_VAR_DIR"] = args.var_dir or tempfile.mkdtemp(prefix="grassroots-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grassroots.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from grassroots.accounts.models import User
    from grassroots.people.models import Person

    call_command("migrate", verbosity=0)
    if not Person.objects.exists():
        if not args.build:
            sys.exit("The database holds no demo: pass --build")
        call_command("demo", "--no-serve", "--scale", str(args.scale))

    total = Person.objects.count()
    print(f"database: {connection.vendor}, persons: {total:,}")
    for username in ("district_admin", "community_dongyue"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        for label, query in (
            ("page 1", "?gender=female"),
            ("page 500", "?gender=female&page=500"),
            ("search 'zh'", "?q=zh"),
        ):
            url = f"/persons/{query}"
            response = client.get(url)
            if response.status_code == 404:
                print(f"  {username:18s} {label:12s} (no such page at this scope)")
                continue
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, response.status_code
            with CaptureQueriesContext(connection) as ctx:
                client.get(url)
            times.sort()
            p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
            print(
                f"  {username:18s} {label:12s} median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms"
                f"   queries {len(ctx.captured_queries)}"
            )


if __name__ == "__main__":
    main()
