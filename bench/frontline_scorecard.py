"""Time the whistle department scorecards (吹哨报到 ranking) on a built demo.

As the district admin, the 名山 street worker and the demo department's staff (``--users``) it times

* ``whistle.selectors.department_scorecards(user=…, month=…)`` — every department called in a month, ranked —
  for this month and for the busiest month of the past year;
* ``whistle.selectors.department_scorecard(user=…, department_id=…, months=12)`` — one department month by
  month — for the department called most often;

and prints p50 and p95 milliseconds over ``--runs`` runs (after one warm-up), the rows and the SQL queries.

    .venv/bin/python bench/frontline_scorecard.py --var-dir /tmp/bench-s10 [--build --scale 10] [--runs 30]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/grassroots_bench .venv/bin/python bench/frontline_scorecard.py

The database must hold a demo built with its frontline data (``--build`` builds it when the database is empty).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases_common import add_common_arguments, setup, staff, timed

USERS = "district_admin,street_staff,department_staff"


def describe_frontline() -> str:
    from django.db import connection

    from grassroots.people.models import Person
    from grassroots.whistle.models import Whistle, WhistleCall

    whistles = Whistle.objects.count()
    if not whistles:
        sys.exit(
            "The demo has no whistles: it was built before the frontline data; rebuild it (grassroots demo --rebuild)"
        )
    return (
        f"database: {connection.vendor}, persons: {Person.objects.count():,}, whistles: {whistles:,}, "
        f"calls: {WhistleCall.objects.count():,}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_common_arguments(parser)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--users", default=USERS, help=f"comma-separated demo logins (default {USERS})")
    args = parser.parse_args()
    setup(args)

    from django.db import connection
    from django.db.models import Count
    from django.db.models.functions import TruncMonth
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from grassroots.whistle.models import WhistleCall
    from grassroots.whistle.selectors import department_scorecard, department_scorecards

    print(describe_frontline())
    today = timezone.localdate()
    busiest = (
        WhistleCall.objects.annotate(month=TruncMonth("called_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("-n", "month")
        .first()
    )
    busy_month: dt.date = timezone.localtime(busiest["month"]).date() if busiest else today
    top = WhistleCall.objects.values("department_id", "department__name").annotate(n=Count("pk")).order_by("-n").first()
    assert top is not None
    months = [("this month", today.replace(day=1)), ("busiest month", busy_month.replace(day=1))]
    print(
        f"ms over {args.runs} runs; busiest month {busy_month:%Y-%m}; most called: {top['department__name']} ({top['n']})"
    )
    for username in args.users.split(","):
        user = staff(username)
        cases = [
            (f"scorecards {label} ({month:%Y-%m})", functools.partial(department_scorecards, user=user, month=month))
            for label, month in months
        ]
        cases.append(
            (
                "one department, 12 months",
                functools.partial(department_scorecard, user=user, department_id=top["department_id"], months=12),
            )
        )
        for label, compute in cases:
            p50, p95 = timed(compute, args.runs)
            with CaptureQueriesContext(connection) as captured:
                rows = compute()
            print(
                f"  {username:17s} {label:36s} {len(rows):>4} rows   p50 {p50:7.1f} ms   p95 {p95:7.1f} ms"
                f"   queries {len(captured.captured_queries)}"
            )


if __name__ == "__main__":
    main()
