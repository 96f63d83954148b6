"""A synthetic "×100" for the cockpit: a copy of a ×10 demo with the cockpit's big source tables multiplied.

Building the demo at ×100 takes hours on a small machine, and the cockpit's cost follows the rows it counts, not
the persons. So this copies a built ×10 demo and multiplies, **in the copy**, its cases (the biggest source:
nine more copies of every case), its points ledger and its whistles with their department calls by ``--factor``
(default 10), with ``INSERT … SELECT``: fresh primary keys, unique values made unique (case and whistle numbers
get ``-1`` … ``-9``, a ledger entry's ``source_key`` ``#1`` … ``#9``; Open311 tokens are left empty), the same
regions, grids, categories and requesters, and every timestamp of copy *k* moved ``3·k`` days back (a row that
would fall before the table's first day wraps to the end of its span, never past now), so the days × regions
stay realistic. Member reports and shift bookings are not multiplied (one live report / booking per person). The
result is "×100 (cases ×10 on the ×10 district)": persons, households and organisations stay at ×10. Then
``grassroots cockpit rebuild`` (``rollups.rebuild.rebuild``) is timed, with the cells it wrote.

    # SQLite: copy /tmp/ck/sqlite10 (file and keys) to /tmp/ck/sqlite100x, multiply, rebuild
    .venv/bin/python bench/cockpit_scale.py --from /tmp/ck/sqlite10 --to /tmp/ck/sqlite100x
    # PostgreSQL: copy grassroots_ck10 to grassroots_ck100x (createdb -T, or pg_dump | pg_restore when the
    # source is in use), keys from the ×10 var dir
    .venv/bin/python bench/cockpit_scale.py --from /tmp/ck/pg10 --to /tmp/ck/pg100x \\
        --postgres-from postgresql://postgres@127.0.0.1:5432/grassroots_ck10 \\
        --postgres-to postgresql://postgres@127.0.0.1:5432/grassroots_ck100x
    # steps: copy, rebuild10 (time a rebuild of the plain copy), multiply, rebuild (default: all but rebuild10)
    .venv/bin/python bench/cockpit_scale.py … --steps multiply,rebuild

The source database is only read. Multiplying twice is refused (the copies' numbers are already there).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

SQLITE_FILE = "grassroots.sqlite3"
KEY_FILES = ("personal_data_key", "secret_key")
SHIFT_DAYS = 3
# table → (model label, the column made unique per copy and how, the timestamp that places the row)
TABLES: list[tuple[str, str | None, str, list[str]]] = [
    # model, unique column, suffix, the columns whose latest value must stay before now (the row's "anchor")
    ("cases.Case", "number", "-{k}", ["submitted_at", "claimed_at", "deed_at", "rated_at", "closed_at"]),
    ("frontline.PointsEntry", "source_key", "#{k}", ["at"]),
    ("whistle.Whistle", "number", "-{k}", ["raised_at", "closed_at"]),
]


def copy_sqlite(source: Path, target: Path) -> float:
    """The ×10 SQLite file (through the backup API: consistent while others read it) and its keys."""
    started = time.perf_counter()
    target.mkdir(parents=True, exist_ok=True)
    for name in KEY_FILES:
        shutil.copy2(source / name, target / name)
    (target / SQLITE_FILE).unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source / SQLITE_FILE}?mode=ro", uri=True)
    dst = sqlite3.connect(target / SQLITE_FILE)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
    return time.perf_counter() - started


def copy_postgres(source: Path, target: Path, url_from: str, url_to: str) -> float:
    """``createdb -T`` when nobody is connected to the source, else ``pg_dump -Fc | pg_restore``; keys copied."""
    started = time.perf_counter()
    target.mkdir(parents=True, exist_ok=True)
    for name in KEY_FILES:
        shutil.copy2(source / name, target / name)
    a, b = urlparse(url_from), urlparse(url_to)
    conn = ["-h", a.hostname or "127.0.0.1", "-p", str(a.port or 5432), "-U", a.username or "postgres"]
    name_from, name_to = a.path.lstrip("/"), b.path.lstrip("/")
    exists = subprocess.run(
        ["psql", *conn, "-Atc", f"SELECT 1 FROM pg_database WHERE datname = '{name_to}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if exists:
        sys.exit(f"{name_to} exists already: drop it yourself, or run without the copy step")
    if subprocess.run(["createdb", *conn, "-T", name_from, name_to], capture_output=True).returncode != 0:
        print(f"  {name_from} is in use: pg_dump | pg_restore instead", file=sys.stderr)
        subprocess.run(["createdb", *conn, name_to], check=True)
        dump = target / "source.dump"
        subprocess.run(["pg_dump", *conn, "-Fc", "-Z0", "-f", str(dump), name_from], check=True)
        subprocess.run(["pg_restore", *conn, "-d", name_to, "-j", "2", str(dump)], check=True)
        dump.unlink()
    return time.perf_counter() - started


def setup_django(var_dir: Path, url: str) -> None:
    os.environ["GRASSROOTS_VAR_DIR"] = str(var_dir)
    if url:
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grassroots.settings")
    import django

    django.setup()


def _shifted(vendor: str, column: str, days: str) -> str:
    """``column`` moved by ``days`` (an SQL expression giving whole days)."""
    if vendor == "postgresql":
        return f"{column} + ({days}) * INTERVAL '1 day'"
    return f"CASE WHEN {column} IS NULL THEN NULL ELSE strftime('%Y-%m-%d %H:%M:%f', {column}, ({days}) || ' days') END"


def _anchor(vendor: str, columns: list[str]) -> str:
    if len(columns) == 1:
        return columns[0]
    if vendor == "postgresql":
        return f"GREATEST({', '.join(columns)})"
    first = columns[0]
    return f"max({', '.join(f'COALESCE({c}, {first})' for c in columns)})"


def multiply_table(label: str, unique: str | None, suffix: str, anchors: list[str], factor: int) -> int:
    """Insert ``factor - 1`` shifted copies of every row of ``label``; returns the rows added."""
    from django.apps import apps
    from django.db import connection, models
    from django.db.models import Max, Min
    from django.utils import timezone

    model = apps.get_model(label)
    table = model._meta.db_table
    vendor = connection.vendor
    bounds = model._default_manager.aggregate(lo=Min(anchors[0]), last=Max("pk"))
    lo: dt.datetime = bounds["lo"]
    span = (timezone.now() - lo).days  # a wrapped row lands before lo + span <= now
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    added = 0
    for k in range(1, factor):
        off = SHIFT_DAYS * k
        threshold = lo + dt.timedelta(days=off)
        days = f"CASE WHEN {_anchor(vendor, anchors)} < %s THEN {span - off} ELSE {-off} END"
        columns, exprs, params = [], [], []
        for f in fields:
            column = connection.ops.quote_name(f.column)
            columns.append(column)
            if f.column == unique:
                exprs.append(f"{column} || %s")
                params.append(suffix.format(k=k))
            elif f.column == "open311_token":
                exprs.append("NULL")
            elif isinstance(f, models.DateTimeField):
                exprs.append(_shifted(vendor, column, days))
                params.append(threshold if vendor == "postgresql" else threshold.strftime("%Y-%m-%d %H:%M:%S"))
            else:
                exprs.append(column)
        params.append(bounds["last"])
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(exprs)} FROM {table} "
            f"WHERE {connection.ops.quote_name(model._meta.pk.column)} <= %s"  # the originals only
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            added += cursor.rowcount
    return added


def multiply_calls(factor: int) -> int:
    """Department calls of the copied whistles (the copy of each call joins its whistle's copy by number)."""
    from django.db import connection, models
    from django.db.models import Max

    from grassroots.whistle.models import WhistleCall

    vendor = connection.vendor
    table = WhistleCall._meta.db_table
    last = WhistleCall.objects.aggregate(last=Max("pk"))["last"]
    fields = [f for f in WhistleCall._meta.concrete_fields if not f.primary_key]
    added = 0
    for k in range(1, factor):
        # the call moves with its whistle: the whistle copy's raised_at minus the original's, in days
        if vendor == "postgresql":
            days = "EXTRACT(DAY FROM (w2.raised_at - w.raised_at))::int"
        else:
            days = "CAST(round(julianday(w2.raised_at) - julianday(w.raised_at)) AS INTEGER)"
        exprs = []
        for f in fields:
            column = connection.ops.quote_name(f.column)
            if f.column == "whistle_id":
                exprs.append("w2.id")
            elif isinstance(f, models.DateTimeField):
                exprs.append(_shifted(vendor, f"c.{column}", days))
            else:
                exprs.append(f"c.{column}")
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        sql = (
            f"INSERT INTO {table} ({columns}) SELECT {', '.join(exprs)} FROM {table} c "
            "JOIN whistle_whistle w ON w.id = c.whistle_id "
            "JOIN whistle_whistle w2 ON w2.number = w.number || %s "
            "WHERE c.id <= %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [f"-{k}", last])
            added += cursor.rowcount
    return added


def multiply(factor: int) -> dict[str, int]:
    from django.db import connection, transaction

    from grassroots.cases.models import Case

    if Case.objects.filter(number__endswith="-1").exists():
        sys.exit("This database is multiplied already (case numbers ending in -1)")
    added: dict[str, int] = {}
    with transaction.atomic():
        for label, unique, suffix, anchors in TABLES:
            started = time.perf_counter()
            added[label] = multiply_table(label, unique, suffix, anchors, factor)
            print(f"  {label}: +{added[label]:,} rows in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        started = time.perf_counter()
        added["whistle.WhistleCall"] = multiply_calls(factor)
        print(f"  whistle.WhistleCall: +{added['whistle.WhistleCall']:,} in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return added


def timed_rebuild() -> tuple[float, int]:
    from grassroots.cockpit.rollups.rebuild import rebuild

    started = time.perf_counter()
    cells = rebuild()
    return time.perf_counter() - started, cells


def counts() -> dict[str, Any]:
    from grassroots.cases.models import Case
    from grassroots.cockpit.models import Rollup
    from grassroots.frontline.models import PointsEntry
    from grassroots.whistle.models import Whistle, WhistleCall

    return {
        "cases": Case.objects.count(),
        "points_entries": PointsEntry.objects.count(),
        "whistles": Whistle.objects.count(),
        "whistle_calls": WhistleCall.objects.count(),
        "rollup_cells": Rollup.objects.count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--from", dest="source", required=True, help="GRASSROOTS_VAR_DIR of the ×10 demo")
    parser.add_argument("--to", dest="target", required=True, help="GRASSROOTS_VAR_DIR of the copy")
    parser.add_argument("--postgres-from", default="", help="the ×10 PostgreSQL database (else SQLite)")
    parser.add_argument("--postgres-to", default="", help="the copy's PostgreSQL database (created)")
    parser.add_argument("--factor", type=int, default=10)
    parser.add_argument("--steps", default="copy,multiply,rebuild", help="of copy, rebuild10, multiply, rebuild")
    args = parser.parse_args()
    steps = set(args.steps.split(","))
    source, target = Path(args.source), Path(args.target)
    if "copy" in steps:
        if args.postgres_from:
            seconds = copy_postgres(source, target, args.postgres_from, args.postgres_to)
        else:
            seconds = copy_sqlite(source, target)
        print(f"copied {args.postgres_from or source} to {args.postgres_to or target} in {seconds:.0f} s")
    setup_django(target, args.postgres_to)
    from django.db import connection

    print(f"{connection.vendor}: {counts()}")
    if "rebuild10" in steps:
        seconds, cells = timed_rebuild()
        print(f"rebuild before multiplying: {cells:,} cells in {seconds:.1f} s")
    if "multiply" in steps:
        started = time.perf_counter()
        added = multiply(args.factor)
        print(f"multiplied ×{args.factor} in {time.perf_counter() - started:.0f} s: {added}")
        print(f"now: {counts()}")
    if "rebuild" in steps:
        seconds, cells = timed_rebuild()
        print(f"rebuild: {cells:,} cells in {seconds:.1f} s")


if __name__ == "__main__":
    main()
