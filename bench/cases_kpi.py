"""Server time of the district KPI page (the three rates and the counts beside them), for a month and a year.

As the district admin (and, with ``--users``, others) it requests ``/kpis/`` — as opened (this month) and for the
last twelve months (``period=custom&start=…&end=…``), or with each ``--query`` — through Django's test client and prints p50 and p95 milliseconds over ``--runs`` runs (after one warm-up) and the SQL queries.

If this build has no KPI page yet, it times what the page computes instead: ``cases.kpis.kpi_rows`` over the
user's cases, grouped by street and by community (plus the total and the ranking), for the current month and for
the last twelve months — and says so in the output.

    .venv/bin/python bench/cases_kpi.py --var-dir /tmp/bench-s1 [--runs 30] [--query 'period=last_month' …]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/grassroots_bench .venv/bin/python bench/cases_kpi.py

The database must hold the demo (``--build`` builds it); a demo without cases is topped up to ``--min-cases``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases_common import add_common_arguments, describe, ensure_cases, setup, staff, timed

KPI_PATH = "/kpis/"


def page_available() -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(KPI_PATH)
    except Resolver404:
        return False
    return True


def default_queries() -> list[tuple[str, str]]:
    """(label, query): the page as opened (this month) and the last twelve months as a custom range."""
    from django.utils import timezone

    today = timezone.localdate()
    year_ago = today.replace(year=today.year - 1) + dt.timedelta(days=1)
    return [("this month", ""), ("last 12 months", f"period=custom&start={year_ago}&end={today}")]


def periods() -> list[tuple[str, dt.datetime, dt.datetime]]:
    from django.utils import timezone

    from grassroots.cases.kpis import month_bounds

    today = timezone.localdate()
    month_start, month_end = month_bounds(today.year, today.month)
    year_start, _end = month_bounds(today.year - 1, today.month)
    return [("this month", month_start, month_end), ("last 12 months", year_start, month_end)]


def get_page(client: Any, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


def kpis(cases: Any, start: dt.datetime, end: dt.datetime, group_by: str | None) -> list[Any]:
    """What the page computes: the rows of one grouping (ranked), or the total."""
    from grassroots.cases.kpis import kpi_rows, ranking

    rows = kpi_rows(cases=cases, start=start, end=end, group_by=group_by)
    return ranking(rows) if group_by else rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_common_arguments(parser)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--users", default="district_admin", help="comma-separated demo logins")
    parser.add_argument(
        "--query",
        action="append",
        default=None,
        help="query string of a page request (repeatable; default: this month, and the last 12 months)",
    )
    parser.add_argument("--selector", action="store_true", help="time kpi_rows even if the page exists")
    args = parser.parse_args()
    setup(args)
    ensure_cases(args.min_cases, args.seed)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from grassroots.accounts.enums import Capability
    from grassroots.cases.models import Case
    from grassroots.core.scope import scope_q

    use_page = page_available() and not args.selector
    print(describe())
    if use_page:
        print(f"GET {KPI_PATH} through the test client; ms over {args.runs} runs")
    else:
        why = "--selector" if args.selector else f"NOTE: no KPI page at {KPI_PATH} in this build"
        print(
            f"{why} — timing cases.kpis.kpi_rows grouped by street and by community (+ total and ranking) "
            f"instead; ms over {args.runs} runs"
        )
    for username in args.users.split(","):
        user = staff(username)
        if use_page:
            client = Client()
            client.force_login(user)
            queries = [(q, q) for q in args.query] if args.query is not None else default_queries()
            for label, query in queries:
                url = f"{KPI_PATH}?{query}" if query else KPI_PATH
                get = functools.partial(get_page, client, url)
                p50, p95 = timed(get, args.runs)
                with CaptureQueriesContext(connection) as captured:
                    get()
                print(
                    f"  {username:18s} {label:28s} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms"
                    f"   queries {len(captured.captured_queries)}"
                )
            continue
        cases = Case.objects.filter(scope_q(Case, user, Capability.VIEW_KPIS))
        for label, start, end in periods():
            for group_by in ("street", "community", None):
                compute = functools.partial(kpis, cases, start, end, group_by)
                p50, p95 = timed(compute, args.runs)
                with CaptureQueriesContext(connection) as captured:
                    rows = compute()
                shown = f"by {group_by}" if group_by else "total"
                print(
                    f"  {username:18s} {label:15s} {shown:13s} {len(rows):>4} rows   p50 {p50:7.1f} ms   "
                    f"p95 {p95:7.1f} ms   queries {len(captured.captured_queries)}"
                )


if __name__ == "__main__":
    main()
