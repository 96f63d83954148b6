"""The cockpit on roll-ups (issue #6): dashboard server time, roll-ups against a raw GROUP BY, write cost, verify.

On a built demo (``--var-dir`` of the demo's ``GRASSROOTS_VAR_DIR``; ``DATABASE_URL`` for PostgreSQL), after
``ANALYZE`` (SQLite) or ``VACUUM ANALYZE`` (PostgreSQL), it prints p50 / p95 milliseconds over ``--runs`` runs
(after one warm-up) of:

1. **pages** — ``GET /cockpit/``, ``GET /cockpit/screen/data.json`` and ``GET /cockpit/rankings/`` (those that
   exist) as the district admin through Django's test client (routing, middleware, scope, templates), with the
   SQL queries per page;
2. **figures** — what a district dashboard needs, as one function: every registered metric's total for the
   period and the period before (``metric_totals``), twelve months of deeds done, micro-wishes fulfilled and cases
   submitted (``metric_values(group_by="month")``), and the district's streets for deeds done and the
   satisfaction rate (``group_by="region"``) — read from the roll-ups, and the same set computed from the source
   rows (``raw_values``, one GROUP BY each), with the ratio raw ÷ roll-ups and a check that both agree;
3. **writes** — what the roll-ups add to a case write: ``case_submit``, ``case_fulfil`` and ``case_rate`` as the
   district admin, each in a transaction rolled back at the end (nothing is changed), alternately with upkeep on
   and inside ``rollups.engine.suspended()`` (off), with the SQL statements of each (an upsert batch counts its
   rows);
4. **size** — roll-up cells against the source rows per metric; with ``--verify`` the time of
   ``rollups.rebuild.verify()`` (what ``grassroots cockpit verify`` runs), with ``--rebuild`` first the time of
   ``rebuild()`` (it rewrites the roll-ups: same figures, new rows).

Next to the wall time it prints this process's CPU milliseconds (``time.process_time``; on SQLite that includes
the database's own work): on a shared machine the wall time follows the load, the CPU time much less.

    .venv/bin/python bench/cockpit_rollups.py --var-dir /tmp/ck/sqlite10 [--runs 20] [--writes 20] [--verify]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/grassroots_ck10 \\
        .venv/bin/python bench/cockpit_rollups.py --var-dir /tmp/ck/pg10 --period this_year --json /tmp/pg10.json
    .venv/bin/python bench/cockpit_rollups.py --var-dir … --only figures --explain   # query plans to stderr

The demo must hold its year of cases (``grassroots demo``); a database migrated after it was built needs
``grassroots cockpit rebuild`` once (or ``--rebuild``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases_common import add_common_arguments, describe, percentile, setup, staff, submittable

TREND_KEYS = ("deeds_done", "micro_wishes_fulfilled", "cases_submitted")
PART_KEYS = ("deeds_done", "satisfaction_rate")
SECTIONS = ("pages", "figures", "writes", "size")


class Rollback(Exception):
    """Raised to roll a timed write back."""


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float, float]:
    """(p50, p95) wall milliseconds of ``fn`` over ``runs`` runs after one warm-up, and the p50 of this process's
    CPU milliseconds (``process_time``: on SQLite the database's work too; what the machine's load does not
    inflate)."""
    fn()
    wall, cpu = [], []
    for _ in range(runs):
        started, used = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    return statistics.median(wall), percentile(wall, 0.95), statistics.median(cpu)


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def months_back(today: dt.date, months: int) -> dt.date:
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return dt.date(year, month + 1, 1)


# 1. Pages -------------------------------------------------------------------------------------------------------


def pages(admin: Any, runs: int, period: str) -> list[dict[str, Any]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    client = Client()
    client.force_login(admin)
    found = []
    shown = (("cockpit:dashboard", f"?period={period}"), ("cockpit:screen_data", ""), ("cockpit:rankings", ""))
    for name, query in shown:
        try:
            url = reverse(name) + query
        except NoReverseMatch:
            print(f"  NOTE: no {name} in this build", file=sys.stderr)
            continue

        def get(url: str = url) -> Any:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        p50, p95, cpu = timed(get, runs)
        with CaptureQueriesContext(connection) as queries:
            size = len(get().content)
        found.append({"page": url, "p50": p50, "p95": p95, "cpu": cpu, "queries": len(queries), "bytes": size})
    return found


# 2. Figures: roll-ups and raw -----------------------------------------------------------------------------------


def figure_plan(district: Any, today: dt.date, period: str) -> dict[str, Any]:
    from grassroots.cockpit.registry import all_metrics
    from grassroots.cockpit.views.periods import period_bounds

    first, last, before_first, before_last = period_bounds(period, today)
    return {
        "keys": [m.key for m in all_metrics() if m.rule == "rate" or "district" in m.levels()],
        "periods": [(first, last), (before_first, before_last)],
        "trend": (months_back(today, 11), today),
        "region": district,
    }


def figures_rollups(admin: Any, plan: dict[str, Any]) -> dict[str, Any]:
    """The dashboard's figures from the roll-ups: two ``metric_totals``, three trends, two breakdowns."""
    from grassroots.cockpit.compute import may_see, metric_totals, metric_values

    district = plan["region"]
    assert may_see(admin, district)
    out: dict[str, Any] = {}
    for i, (first, last) in enumerate(plan["periods"]):
        totals = metric_totals(keys=plan["keys"], place=district, date_from=first, date_to=last)
        out.update({(i, key): point.value for key, point in totals.items()})
    first, last = plan["trend"]
    for key in TREND_KEYS:
        points = metric_values(user=admin, key=key, region=district, date_from=first, date_to=last, group_by="month")
        out[("month", key)] = {p.key: p.value for p in points}
    first, last = plan["periods"][0]
    for key in PART_KEYS:
        points = metric_values(user=admin, key=key, region=district, date_from=first, date_to=last, group_by="region")
        out[("region", key)] = {p.key: p.value for p in points}
    return out


def figures_raw(admin: Any, plan: dict[str, Any]) -> dict[str, Any]:
    """The same set from the source rows: ``raw_values`` (one GROUP BY, or two for a rate, each)."""
    from grassroots.cockpit.raw import raw_values

    district = plan["region"]
    out: dict[str, Any] = {}
    for i, (first, last) in enumerate(plan["periods"]):
        for key in plan["keys"]:
            points = raw_values(user=admin, key=key, region=district, date_from=first, date_to=last)
            out[(i, key)] = points[0].value if points else 0
    first, last = plan["trend"]
    for key in TREND_KEYS:
        points = raw_values(user=admin, key=key, region=district, date_from=first, date_to=last, group_by="month")
        out[("month", key)] = {p.key: p.value for p in points}
    first, last = plan["periods"][0]
    for key in PART_KEYS:
        points = raw_values(user=admin, key=key, region=district, date_from=first, date_to=last, group_by="region")
        out[("region", key)] = {p.key: p.value for p in points}
    return out


def _nonzero(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if v}
    return value


def figures(admin: Any, runs: int, raw_runs: int, plan: dict[str, Any], explain: bool) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rolled = figures_rollups(admin, plan)
    raw = figures_raw(admin, plan)
    differ = [str(k) for k in rolled if _nonzero(rolled[k]) != _nonzero(raw.get(k))]
    result: dict[str, Any] = {"figures": len(rolled), "differ": differ}
    for name, fn in (("rollups", figures_rollups), ("raw", figures_raw)):
        run = functools.partial(fn, admin, plan)
        p50, p95, cpu = timed(run, runs if name == "rollups" else raw_runs)
        with CaptureQueriesContext(connection) as queries:
            run()
        result[name] = {"p50": p50, "p95": p95, "cpu": cpu, "queries": len(queries)}
        if explain and name == "rollups":
            slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]
            for query in slowest:
                print(f"-- {query['time']} s: {query['sql'][:400]}", file=sys.stderr)
                with connection.cursor() as cursor:
                    prefix = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
                    cursor.execute(prefix + query["sql"])
                    for row in cursor.fetchall():
                        print("   ", *row, file=sys.stderr)
    result["ratio"] = result["raw"]["p50"] / result["rollups"]["p50"]
    return result


def parts_timed(admin: Any, runs: int, raw_runs: int, plan: dict[str, Any]) -> list[dict[str, Any]]:
    """Each part of the figure set on its own, roll-ups against raw (where the time goes)."""
    from grassroots.cockpit.compute import metric_totals, metric_values
    from grassroots.cockpit.raw import raw_values

    district = plan["region"]
    first, last = plan["periods"][0]
    tf, tl = plan["trend"]
    shapes: list[tuple[str, Callable[[], object], Callable[[], object]]] = [
        (
            "totals, one period",
            lambda: metric_totals(keys=plan["keys"], place=district, date_from=first, date_to=last),
            lambda: [
                raw_values(user=admin, key=k, region=district, date_from=first, date_to=last) for k in plan["keys"]
            ],
        )
    ]
    for key in TREND_KEYS:
        span = {"user": admin, "key": key, "region": district, "date_from": tf, "date_to": tl, "group_by": "month"}
        shapes.append(
            (f"{key} by month", functools.partial(metric_values, **span), functools.partial(raw_values, **span))
        )
    for key in PART_KEYS:
        span = {
            "user": admin,
            "key": key,
            "region": district,
            "date_from": first,
            "date_to": last,
            "group_by": "region",
        }
        shapes.append(
            (f"{key} by street", functools.partial(metric_values, **span), functools.partial(raw_values, **span))
        )
    found = []
    for label, rolled, raw in shapes:
        r50, r95, _ = timed(rolled, runs)
        s50, s95, _ = timed(raw, raw_runs)
        found.append({"shape": label, "rollups_p50": r50, "rollups_p95": r95, "raw_p50": s50, "raw_p95": s95})
    return found


# 3. Writes ------------------------------------------------------------------------------------------------------


def write_cost(admin: Any, writes: int, seed: int) -> list[dict[str, Any]]:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from grassroots.cases.enums import CaseKind, CaseStatus, Channel, NeedGroup, Satisfaction
    from grassroots.cases.models import Case
    from grassroots.cases.services import CaseInput, case_fulfil, case_rate, case_submit
    from grassroots.cockpit.rollups.engine import suspended
    from grassroots.territory.models import Region

    rng = random.Random(seed)
    pick = submittable(rng)
    entrances = list(Region.objects.filter(kind="entrance").values_list("pk", flat=True))

    picks = [(*pick(), rng.choice(entrances), rng.randint(0, 99_999_999)) for _ in range(writes + 2)]

    def submit(i: int) -> Any:  # the i-th submission is the same with upkeep on and off
        category, item, entrance, mobile = picks[i % len(picks)]
        return case_submit(
            actor=admin,
            data=CaseInput(
                kind=CaseKind.MICRO_WISH,
                place=Region.objects.get(pk=entrance),
                description=f"基准测试微心愿{i}：想请人帮忙换一个灯泡",
                channel=Channel.WALK_IN,
                category=category,
                item=item,
                need_group=NeedGroup.ELDERLY_ALONE,
                requester_name="基准居民",
                contact_mobile=f"139{mobile:08d}",
            ),
        )

    def sample(status: str) -> list[int]:
        pks = list(Case.objects.filter(status=status).values_list("pk", flat=True)[:5000])
        return rng.sample(pks, min(len(pks), writes + 2))

    in_progress, fulfilled = sample(CaseStatus.IN_PROGRESS), sample(CaseStatus.FULFILLED)
    services: list[tuple[str, Callable[[int], Any]]] = [("case_submit (micro-wish)", submit)]
    if in_progress:

        def fulfil(i: int) -> Any:
            case = Case.objects.get(pk=in_progress[i % len(in_progress)])
            return case_fulfil(case=case, actor=admin, note="已上门更换灯泡", residents_served=2)

        services.append(("case_fulfil", fulfil))
    if fulfilled:

        def rate(i: int) -> Any:
            case = Case.objects.get(pk=fulfilled[i % len(fulfilled)])
            return case_rate(case=case, actor=admin, stars=5, satisfaction=Satisfaction.SATISFIED)

        services.append(("case_rate (satisfied, closes)", rate))

    def statements(queries: CaptureQueriesContext) -> int:
        """SQL statements sent (an ``executemany`` of n rows counts n: Django logs it as "n times: …")."""
        sent = 0
        for query in queries.captured_queries:
            head = query["sql"].split(" times: ", 1)[0]
            sent += int(head) if head.isdigit() else 1
        return sent

    def once(fn: Callable[[int], Any], i: int, upkeep: bool) -> tuple[float, float, int]:
        with CaptureQueriesContext(connection) as queries:
            try:
                with transaction.atomic():
                    started, used = time.perf_counter(), time.process_time()
                    if upkeep:
                        fn(i)
                    else:
                        with suspended():
                            fn(i)
                    ms, cpu = (time.perf_counter() - started) * 1000, (time.process_time() - used) * 1000
                    raise Rollback
            except Rollback:
                pass
        return ms, cpu, statements(queries)

    found = []
    for label, fn in services:
        on: list[float] = []
        off: list[float] = []
        cpu: dict[bool, list[float]] = {True: [], False: []}
        queries = {True: 0, False: 0}
        once(fn, 0, True)  # warm-up
        once(fn, 1, False)
        for i in range(2, writes + 2):  # the same case with upkeep on and off (rolled back in between)
            for upkeep in (True, False) if i % 2 else (False, True):
                ms, used, n = once(fn, i, upkeep)
                (on if upkeep else off).append(ms)
                cpu[upkeep].append(used)
                queries[upkeep] = n
        found.append(
            {
                "service": label,
                "on_p50": statistics.median(on),
                "on_p95": percentile(on, 0.95),
                "off_p50": statistics.median(off),
                "off_p95": percentile(off, 0.95),
                "added_p50": statistics.median(on) - statistics.median(off),
                "on_cpu": statistics.median(cpu[True]),
                "off_cpu": statistics.median(cpu[False]),
                "queries_on": queries[True],
                "queries_off": queries[False],
            }
        )
    return found


# 4. Size, verify, rebuild ---------------------------------------------------------------------------------------


def size() -> dict[str, Any]:
    from django.db.models import Count

    from grassroots.cockpit.models import Rollup
    from grassroots.cockpit.registry import all_metrics

    cells = dict(Rollup.objects.values_list("metric").annotate(n=Count("pk")).order_by())
    rows = []
    for metric in all_metrics():
        if metric.rule == "rate":
            continue
        source = metric.source_model()._default_manager.filter(metric.where).count()
        rows.append({"metric": metric.key, "cells": cells.get(metric.key, 0), "source_rows": source})
    return {"cells": sum(cells.values()), "source_rows": sum(r["source_rows"] for r in rows), "metrics": rows}


def seconds(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


# Output ---------------------------------------------------------------------------------------------------------


def show(results: dict[str, Any]) -> None:
    print(results["database"])
    if "rebuild_s" in results:
        print(f"rebuild: {results['rebuild_cells']:,} cells in {results['rebuild_s']:.1f} s")
    runs = results["runs"]
    if "pages" in results:
        print(f"pages as district_admin through the test client; wall ms over {runs} runs, cpu: this process's")
        for p in results["pages"]:
            print(
                f"  GET {p['page']:34s} p50 {p['p50']:8.1f}   p95 {p['p95']:8.1f}   cpu {p['cpu']:7.1f}"
                f"   queries {p['queries']:3d}"
                f"   {p['bytes']:,} bytes"
            )
    if "figures" in results:
        f = results["figures"]
        print(f"district figures ({results['period']} and the period before, 12 months of 3 trends, 2 breakdowns)")
        for name in ("rollups", "raw"):
            n = runs if name == "rollups" else results["raw_runs"]
            print(
                f"  {name:8s} ({n} runs) p50 {f[name]['p50']:9.1f}   p95 {f[name]['p95']:9.1f}   cpu {f[name]['cpu']:8.1f}"
                f"   queries {f[name]['queries']}"
            )
        print(f"  raw ÷ roll-ups: {f['ratio']:.0f}×   ({f['figures']} figures; differ: {f['differ'] or 'none'})")
        for s in results.get("shapes", []):
            print(
                f"    {s['shape']:32s} roll-ups {s['rollups_p50']:7.1f} / {s['rollups_p95']:7.1f}"
                f"   raw {s['raw_p50']:8.1f} / {s['raw_p95']:8.1f}"
            )
    if "writes" in results:
        print(f"case writes, rolled back; ms over {results['writes_n']} runs each, upkeep on / off (suspended)")
        for w in results["writes"]:
            print(
                f"  {w['service']:30s} on {w['on_p50']:6.1f} / {w['on_p95']:6.1f}   off {w['off_p50']:6.1f} /"
                f" {w['off_p95']:6.1f}   +{w['added_p50']:5.1f} ms   cpu {w['on_cpu']:5.1f} vs {w['off_cpu']:5.1f}"
                f"   statements {w['queries_on']} vs {w['queries_off']}"
            )
    if "size" in results:
        s = results["size"]
        print(f"roll-ups: {s['cells']:,} cells for {s['source_rows']:,} counted source rows")
        for m in s["metrics"]:
            print(f"    {m['metric']:34s} {m['cells']:>10,} cells {m['source_rows']:>10,} rows")
    if "verify_s" in results:
        print(f"verify: {results['verify_differences']} differences in {results['verify_s']:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_common_arguments(parser)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--raw-runs", type=int, default=5, help="runs of the raw GROUP BYs (slow; default 5)")
    parser.add_argument("--no-shapes", action="store_true", help="skip timing each part of the figures alone")
    parser.add_argument("--writes", type=int, default=20, help="runs of each write, upkeep on and off (default 20)")
    parser.add_argument("--period", default="this_month", help="this_month, last_month, this_quarter, this_year")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated of {', '.join(SECTIONS)}")
    parser.add_argument("--verify", action="store_true", help="time rollups.rebuild.verify() (read only)")
    parser.add_argument("--rebuild", action="store_true", help="time rebuild() first (rewrites the roll-ups)")
    parser.add_argument("--no-analyze", action="store_true", help="skip ANALYZE / VACUUM ANALYZE")
    parser.add_argument("--explain", action="store_true", help="print the plans of the slowest roll-up queries")
    parser.add_argument("--json", default="", help="also write the results to this file")
    args = parser.parse_args()
    setup(args)

    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from grassroots.cockpit.rollups.rebuild import rebuild, verify
    from grassroots.territory.models import Region

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    only = set(args.only.split(","))
    results: dict[str, Any] = {
        "database": describe(),
        "vendor": connection.vendor,
        "runs": args.runs,
        "period": args.period,
        "when": timezone.now().isoformat(timespec="seconds"),
    }
    if args.rebuild:
        results["rebuild_s"], results["rebuild_cells"] = seconds(rebuild)
    if not args.no_analyze:
        analyze()
    admin = staff("district_admin")
    district = Region.objects.get(depth=1)
    plan = figure_plan(district, timezone.localdate(), args.period)
    if "pages" in only:
        results["pages"] = pages(admin, args.runs, args.period)
    if "figures" in only:
        results["figures"] = figures(admin, args.runs, args.raw_runs, plan, args.explain)
        results["raw_runs"] = args.raw_runs
        if not args.no_shapes:
            results["shapes"] = parts_timed(admin, args.runs, args.raw_runs, plan)
    if "writes" in only:
        results["writes_n"] = args.writes
        results["writes"] = write_cost(admin, args.writes, args.seed)
    if "size" in only:
        results["size"] = size()
    if args.verify:
        results["verify_s"], differences = seconds(verify)
        results["verify_differences"] = len(differences)
    show(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str, ensure_ascii=False))


if __name__ == "__main__":
    main()
