""" "All persons in a street": the scope column against the region tree, on SQLite and PostgreSQL.

For each of the five streets of the demo district at ``--scale`` (default 10, about 500,000 persons) it times

* scope column — ``Person.objects.filter(street_id=…)``: one equality on an indexed column;
* region tree  — persons whose household's entrance path starts with the street's path (a join to the
  materialised-path tree and a prefix match);

each as a count and as the first page of 50 ordered by ``name_pinyin``, and prints the median milliseconds over
``--runs`` runs (after one warm-up). The demo is built first when the database does not hold it at that scale:
into ``--sqlite-dir`` (kept, so later runs reuse it) or a temporary folder, and into ``--postgres URL`` (created
with psql when missing; emptied and rebuilt when it holds another scale). Usage:

    .venv/bin/python bench/subtree_query.py [--scale 10] [--runs 20] [--sqlite-dir var/bench]
        [--postgres postgresql://postgres@127.0.0.1:5432/grassroots_bench]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from demo_build import child_env, ensure_postgres_database, run_child, setup_django

PAGE = 50


def timed(fn: Callable[[], object], runs: int) -> float:
    """Median milliseconds of ``fn`` over ``runs`` runs, after one warm-up."""
    fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def child(scale: float, seed: int, runs: int, explain: bool) -> dict[str, Any]:
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from grassroots.demo.builder import MIN_PERSONS, PERSONS_AT_SCALE_1, demo_build, district_exists
    from grassroots.people.models import Person
    from grassroots.territory.models import Region

    call_command("migrate", interactive=False, verbosity=0)
    wanted = max(MIN_PERSONS, round(PERSONS_AT_SCALE_1 * scale))
    build_seconds = None
    if not district_exists() or Person.objects.count() != wanted:
        print(f"building the demo at scale {scale:g} on {connection.vendor} …", file=sys.stderr)
        result = demo_build(
            seed=seed, scale=scale, rebuild=district_exists(), progress=lambda m: print(f"  {m}", file=sys.stderr)
        )
        build_seconds = result.seconds
    with connection.cursor() as cursor:
        # Steady state: PostgreSQL's index-only scans need the visibility map that VACUUM sets (autovacuum would,
        # later); on SQLite VACUUM would only rewrite the file, so ANALYZE alone.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    def by_scope(street: Region) -> Any:
        return Person.objects.filter(street_id=street.pk)

    def by_tree(street: Region) -> Any:
        return Person.objects.filter(household__entrance__path__startswith=street.path)

    rows: list[dict[str, Any]] = []
    for street in Region.objects.filter(kind="street").order_by("code"):
        row: dict[str, Any] = {"street": street.name}
        for method, query in (("scope", by_scope), ("tree", by_tree)):

            def count(query: Callable[[Region], Any] = query, street: Region = street) -> int:
                return int(query(street).count())

            def page(query: Callable[[Region], Any] = query, street: Region = street) -> list[Any]:
                qs = query(street).order_by("name_pinyin", "id").values_list("id", "name", "name_pinyin")
                return list(qs[:PAGE])

            row[f"{method}_persons"] = count()
            row[f"{method}_count_ms"] = timed(count, runs)
            row[f"{method}_page_ms"] = timed(page, runs)
            if explain and not rows:
                qs = query(street).order_by("name_pinyin", "id").values_list("id", "name", "name_pinyin")[:PAGE]
                print(f"-- {method}, first page:\n{qs.explain()}", file=sys.stderr)
        assert row["scope_persons"] == row["tree_persons"], row
        rows.append(row)
    return {
        "engine": connection.vendor,
        "scale": scale,
        "persons": Person.objects.count(),
        "regions": Region.objects.count(),
        "build_seconds": build_seconds,
        "runs": runs,
        "rows": rows,
    }


def report(result: dict[str, Any]) -> None:
    built = f", built in {result['build_seconds']:.0f} s" if result["build_seconds"] else ""
    print(
        f"\n{result['engine']} — scale {result['scale']:g}: {result['persons']:,} persons, "
        f"{result['regions']:,} regions{built}; median ms of {result['runs']} runs"
    )
    header = ["street", "persons", "scope count", "scope page", "tree count", "tree page"]
    print(f"{header[0]:<8}{header[1]:>9}" + "".join(f"{h:>13}" for h in header[2:]))
    keys = ["scope_count_ms", "scope_page_ms", "tree_count_ms", "tree_page_ms"]
    for row in result["rows"]:
        street = row["street"] + " " * (8 - 2 * len(row["street"]))  # Chinese characters take two columns
        print(f"{street}{row['scope_persons']:>9,}" + "".join(f"{row[k]:>13.1f}" for k in keys))
    medians = [statistics.median(r[k] for r in result["rows"]) for k in keys]
    print(f"{'median':<8}{'':>9}" + "".join(f"{m:>13.1f}" for m in medians))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--sqlite-dir", default="", help="keep the SQLite database here (reused by later runs)")
    parser.add_argument("--no-sqlite", action="store_true", help="measure PostgreSQL only")
    parser.add_argument("--postgres", default="", help="also measure on this PostgreSQL database")
    parser.add_argument("--explain", action="store_true", help="print the query plans (to stderr)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.scale, args.seed, args.runs, args.explain)))
        return

    child_args = ["--scale", str(args.scale), "--seed", str(args.seed), "--runs", str(args.runs)]
    child_args += ["--explain"] if args.explain else []
    results = []
    if not args.no_sqlite:
        if args.sqlite_dir:
            Path(args.sqlite_dir).mkdir(parents=True, exist_ok=True)
            results.append(run_child(Path(__file__), child_args, child_env(Path(args.sqlite_dir).resolve(), None)))
        else:
            with tempfile.TemporaryDirectory(prefix="grassroots-bench-") as var_dir:
                results.append(run_child(Path(__file__), child_args, child_env(Path(var_dir), None)))
    if args.postgres:
        ensure_postgres_database(args.postgres)
        if args.sqlite_dir:  # the same keys as the SQLite run, so a reused database decrypts
            results.append(
                run_child(Path(__file__), child_args, child_env(Path(args.sqlite_dir).resolve(), args.postgres))
            )
        else:
            with tempfile.TemporaryDirectory(prefix="grassroots-bench-") as var_dir:
                results.append(run_child(Path(__file__), child_args, child_env(Path(var_dir), args.postgres)))
    for result in results:
        report(result)


if __name__ == "__main__":
    main()
