"""How long ``grassroots demo`` takes to build the district, at scale 1 and 10 (or as given).

Each run builds into a throwaway SQLite file in a temporary folder and, when ``--postgres URL`` (or
``DATABASE_URL``) is given, into that PostgreSQL database too, which is emptied first (flush). Prints the seconds
of each phase and the row counts. Usage:

    .venv/bin/python bench/demo_build.py [--scales 1,10] [--seed 2022] [--postgres postgresql://...]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parent.parent


def child_env(var_dir: Path, database_url: str | None) -> dict[str, str]:
    """Settings are read once per process, so each database is measured in a process of its own."""
    env = dict(os.environ)
    env["GRASSROOTS_VAR_DIR"] = str(var_dir)
    env["DJANGO_SETTINGS_MODULE"] = "grassroots.settings"
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    env.setdefault("PYTHONPATH", str(REPO / "src"))
    return env


def run_child(script: Path, args: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Run ``script --child args`` and return the JSON it prints last; its progress goes to our stderr."""
    done = subprocess.run(
        [sys.executable, str(script), "--child", *args], env=env, stdout=subprocess.PIPE, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def ensure_postgres_database(url: str) -> None:
    """Create the database named in ``url`` with psql when it does not exist (trust auth assumed)."""
    parts = urlparse(url)
    name = parts.path.lstrip("/")
    base = [
        "psql",
        "-h",
        parts.hostname or "127.0.0.1",
        "-p",
        str(parts.port or 5432),
        "-U",
        parts.username or "postgres",
    ]
    exists = subprocess.run(
        [*base, "-d", "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if exists != "1":
        subprocess.run([*base, "-d", "postgres", "-qc", f'CREATE DATABASE "{name}"'], check=True)
        print(f"created database {name}", file=sys.stderr)


def setup_django() -> None:
    import django

    django.setup()


SHOWN = ["persons", "households", "regions", "organizations", "party_members", "person_roles", "memberships"]


def child(scale: float, seed: int) -> dict[str, Any]:
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from grassroots.demo.builder import demo_build, district_exists

    call_command("migrate", interactive=False, verbosity=0)
    if district_exists():
        started = time.perf_counter()
        call_command("flush", interactive=False, verbosity=0)
        print(f"flushed the database first ({time.perf_counter() - started:.1f} s, not counted)", file=sys.stderr)
    result = demo_build(seed=seed, scale=scale, progress=lambda m: print(f"  {m}", file=sys.stderr))
    size = 0
    if connection.vendor == "sqlite":
        size = sum(p.stat().st_size for p in Path(os.environ["GRASSROOTS_VAR_DIR"]).glob("grassroots.sqlite3*"))
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            size = int(cursor.fetchone()[0])
    return {
        "engine": connection.vendor,
        "scale": scale,
        "seconds": result.seconds,
        "timings": result.timings,
        "counts": result.counts,
        "bytes": size,
    }


def summarise(counts: dict[str, int]) -> dict[str, int]:
    out = dict.fromkeys(SHOWN, 0)
    for key, n in counts.items():
        head = key.split(".")[0]
        head = {"organization_memberships": "memberships"}.get(head, head)
        if head in out:
            out[head] += n
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="1,10", help="comma-separated scales (default 1,10)")
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--postgres", default=os.environ.get("DATABASE_URL", ""), help="also build on this database")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=float, default=1.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.scale, args.seed)))
        return

    targets: list[tuple[str, str | None]] = [("sqlite", None)]
    if args.postgres:
        ensure_postgres_database(args.postgres)
        targets.append(("postgresql", args.postgres))
    results: list[dict[str, Any]] = []
    for scale in [float(s) for s in args.scales.split(",")]:
        for name, url in targets:
            with tempfile.TemporaryDirectory(prefix="grassroots-bench-") as var_dir:
                print(f"== {name}, scale {scale:g}", file=sys.stderr)
                results.append(
                    run_child(
                        Path(__file__), ["--scale", str(scale), "--seed", str(args.seed)], child_env(Path(var_dir), url)
                    )
                )
    phases = list(results[0]["timings"]) if results else []
    print(f"{'engine':<11}{'scale':>6}{'seconds':>9}  " + "".join(f"{p[:12]:>13}" for p in phases))
    for r in results:
        print(
            f"{r['engine']:<11}{r['scale']:>6g}{r['seconds']:>9.1f}  "
            + "".join(f"{r['timings'].get(p, 0):>13.1f}" for p in phases)
        )
    print()
    print(f"{'engine':<11}{'scale':>6}" + "".join(f"{c[:13]:>14}" for c in SHOWN) + f"{'MB':>8}")
    for r in results:
        totals = summarise(r["counts"])
        print(
            f"{r['engine']:<11}{r['scale']:>6g}"
            + "".join(f"{totals[c]:>14,}" for c in SHOWN)
            + f"{r['bytes'] / 1e6:>8.0f}"
        )


if __name__ == "__main__":
    main()
