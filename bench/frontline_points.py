"""Time the points rankings and a full recomputation of the points ledger on a built demo.

* ``frontline.selectors.points_ranking_members(user=…, community_id=…)`` — a community's members by points (the
  first 50) — for the community with the most ledger entries as the district admin (all time and this year), and
  for 东岳社区 as the 名山 street worker and as its community worker;
* ``frontline.selectors.points_ranking_units(user=…)`` — the units' vanguard index (points per reported member),
  as the district admin (all time and this year) and the street worker;

p50 and p95 milliseconds over ``--runs`` runs (after one warm-up), with rows and SQL queries. Then
``frontline.services.points.points_recompute()`` — delete the ledger and rebuild it for every member from the
source records — ``--recomputes`` times (default 3): seconds and entries of each run. **It writes**: the ledger
is rebuilt to what the rules give (the same ledger on a demo, unless someone changed the rules).

    .venv/bin/python bench/frontline_points.py --var-dir /tmp/bench-s10 [--build --scale 10] [--runs 30]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/grassroots_bench .venv/bin/python bench/frontline_points.py
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases_common import add_common_arguments, setup, staff, timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_common_arguments(parser)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--recomputes", type=int, default=3, help="full recomputations to time (0: none)")
    args = parser.parse_args()
    setup(args)

    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from grassroots.frontline.models import MemberReport, PointsEntry
    from grassroots.frontline.selectors.points import points_ranking_members, points_ranking_units
    from grassroots.frontline.services.points import points_recompute
    from grassroots.people.models import Person
    from grassroots.territory.models import Region

    entries = PointsEntry.objects.count()
    if not entries:
        sys.exit("The demo has no points ledger: it was built before the frontline data; rebuild it")
    print(
        f"database: {connection.vendor}, persons: {Person.objects.count():,}, "
        f"confirmed member reports: {MemberReport.objects.filter(status='confirmed').count():,}, "
        f"ledger entries: {entries:,}"
    )
    busiest = (
        PointsEntry.objects.filter(community__isnull=False)
        .values("community_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "community_id")
        .first()
    )
    assert busiest is not None
    community = Region.objects.get(pk=busiest["community_id"])
    dongyue = Region.objects.get(kind="community", name="东岳社区")
    year = timezone.localdate().year
    admin, street, worker = staff("district_admin"), staff("street_staff"), staff("community_dongyue")
    cases = [
        (admin, f"members of {community.name} ({busiest['n']:,} entries)", functools.partial(
            points_ranking_members, user=admin, community_id=community.pk)),
        (admin, f"members of {community.name}, {year}", functools.partial(
            points_ranking_members, user=admin, community_id=community.pk, year=year)),
        (street, f"members of {dongyue.name}", functools.partial(
            points_ranking_members, user=street, community_id=dongyue.pk)),
        (worker, f"members of {dongyue.name}", functools.partial(
            points_ranking_members, user=worker, community_id=dongyue.pk)),
        (admin, "units (vanguard index)", functools.partial(points_ranking_units, user=admin)),
        (admin, f"units (vanguard index), {year}", functools.partial(points_ranking_units, user=admin, year=year)),
        (street, "units (vanguard index)", functools.partial(points_ranking_units, user=street)),
    ]  # fmt: skip
    print(f"rankings; ms over {args.runs} runs")
    for user, label, compute in cases:
        p50, p95 = timed(compute, args.runs)
        with CaptureQueriesContext(connection) as captured:
            rows = compute()
        print(
            f"  {user.username:17s} {label:40s} {len(rows):>4} rows   p50 {p50:7.1f} ms   p95 {p95:7.1f} ms"
            f"   queries {len(captured.captured_queries)}"
        )
    if args.recomputes <= 0:
        return
    print(f"points_recompute() for all members, {args.recomputes} runs")
    seconds: list[float] = []
    for n in range(args.recomputes):
        started = time.perf_counter()
        result = points_recompute()
        took = time.perf_counter() - started
        seconds.append(took)
        print(f"  run {n + 1}: {result.entries:,} entries in {took:.2f} s ({result.entries / took:,.0f} entries/s)")
    print(f"  median {statistics.median(seconds):.2f} s")


if __name__ == "__main__":
    main()
