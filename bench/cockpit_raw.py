"""Time every registered metric computed from its source rows (``cockpit.raw.raw_values``; the roll-ups are in cockpit_rollups.py) on a built demo.

This is the raw ``GROUP BY`` baseline that the cockpit's incremental roll-ups (issue #6) must beat by 10×: for the
district as the district admin, the whole year's total and the year by month, and the district by street.

    .venv/bin/python bench/cockpit_raw.py --var-dir /tmp/bench-s10 [--runs 10] [--metrics deeds_done,satisfaction_rate]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/grassroots_bench .venv/bin/python bench/cockpit_raw.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases_common import add_common_arguments, describe, setup, staff, timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_common_arguments(parser)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--metrics", default="", help="comma-separated keys (default: every metric)")
    args = parser.parse_args()
    setup(args)

    from django.utils import timezone

    from grassroots.cockpit.raw import raw_values
    from grassroots.cockpit.registry import all_metrics
    from grassroots.territory.models import Region

    print(describe())
    admin = staff("district_admin")
    district = Region.objects.get(depth=1)
    today = timezone.localdate()
    year_ago = today - dt.timedelta(days=365)
    wanted = {k for k in args.metrics.split(",") if k}
    print(f"district totals from source rows; p50 / p95 ms over {args.runs} runs")
    overall: list[float] = []
    for metric in all_metrics():
        if wanted and metric.key not in wanted:
            continue
        stock = metric.rule != "rate" and not metric.date_field
        shapes = [("total", {})] if stock else [("year", {"date_from": year_ago, "date_to": today})]
        if not stock:
            shapes.append(("year by month", {"date_from": year_ago, "date_to": today, "group_by": "month"}))
        shapes.append(("by street", {"group_by": "region"}))
        for name, kwargs in shapes:
            run = functools.partial(raw_values, user=admin, key=metric.key, region=district, **kwargs)
            value = run()
            p50, p95 = timed(run, args.runs)
            overall.append(p50)
            shown = value[0].value if len(value) == 1 else f"{len(value)} values"
            print(f"  {metric.key:34} {name:14} {shown!s:>14}   p50 {p50:8.1f} ms   p95 {p95:8.1f} ms")
    print(f"a dashboard of all of them: {sum(overall):.0f} ms (sum of p50s)")


if __name__ == "__main__":
    main()
