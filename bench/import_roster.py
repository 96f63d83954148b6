"""How long a large persons roster takes to import, and how much memory it needs.

    .venv/bin/python bench/import_roster.py --rows 100000 [--per-household 4] [--tracemalloc]

Generates an .xlsx roster (openpyxl write-only; valid ID numbers of area 450902) into a temporary folder, builds a
minimal territory with the services (one district, street, community and compound, buildings with entrances, a
grid), then runs the import as the background task would: ``import_job_create`` (the upload), ``import_validate``
(the dry run) and ``import_commit`` (one transaction), on a fresh SQLite database under a temporary
``GRASSROOTS_VAR_DIR``. Prints seconds per step, the process's peak RSS after each step and, with
``--tracemalloc``, the peak Python allocation of each step (tracing slows everything down about twofold).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

NAMES = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def write_roster(path: Path, rows: int, entrances: list[str], per_household: int) -> None:
    from openpyxl import Workbook

    from grassroots.core.personal_data import id_number_check_digit

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("persons")
    sheet.append(["姓名", "性别", "民族", "身份证号", "手机号", "住址", "所在单元编码", "户号"])
    start = dt.date(1950, 1, 1)
    for i in range(rows):
        birth = start + dt.timedelta(days=i % 20000)
        order = (i // 20000) * 2 + 1 + (i % 2)
        first17 = f"450902{birth:%Y%m%d}{order:03d}"
        household = i // per_household
        entrance = entrances[household % len(entrances)]
        room = f"{household // len(entrances) + 101}"
        name = SURNAMES[i % len(SURNAMES)] + NAMES[(i // 7) % len(NAMES)]
        sheet.append(
            [
                name,
                "",
                "汉族",
                first17 + id_number_check_digit(first17),
                f"139{i:08d}",
                f"玉州区{room}室",
                entrance,
                room,
            ]
        )
    workbook.save(path)


def build_territory(buildings: int, entrances_per_building: int) -> tuple[Any, list[str]]:
    from grassroots.accounts.enums import Role
    from grassroots.accounts.services import role_assign, user_create
    from grassroots.territory.services import grid_create, region_create

    district = region_create(actor=None, kind="district", name="玉州区", code="450902")
    street = region_create(actor=None, kind="street", name="名山街道", code="45090201", parent=district)
    community = region_create(actor=None, kind="community", name="东岳社区", code="4509020101", parent=street)
    compound = region_create(actor=None, kind="compound", name="东岳花园", code="450902010101", parent=community)
    grid_create(actor=None, community=community, code="G1", name="第一网格", areas=[compound])
    codes: list[str] = []
    for b in range(1, buildings + 1):
        building = region_create(
            actor=None, kind="building", name=f"{b}栋", code=f"{compound.code}{b:02d}", parent=compound
        )
        for e in range(1, entrances_per_building + 1):
            entrance = region_create(
                actor=None, kind="entrance", name=f"{b}栋{e}单元", code=f"{building.code}{e:02d}", parent=building
            )
            codes.append(entrance.code)
    user = user_create(actor=None, username="bench", password="Bench-Passw0rd!")
    role_assign(actor=None, user=user, role=Role.COMMUNITY_STAFF, region=community)
    return user, codes


def step(label: str, trace: bool, func: Any) -> Any:
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - started
    extra = ""
    if trace:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        extra = f"  python peak {peak / 1e6:7.1f} MB"
    print(f"{label:<10} {seconds:8.1f} s  peak RSS so far {rss_mb():7.1f} MB{extra}", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--per-household", type=int, default=4)
    parser.add_argument("--tracemalloc", action="store_true")
    args = parser.parse_args()

    var = Path(tempfile.mkdtemp(prefix="grassroots-bench-import-"))
    os.environ["GRASSROOTS_VAR_DIR"] = str(var)
    os.environ["DJANGO_SETTINGS_MODULE"] = "grassroots.settings"
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("HUEY_IMMEDIATE", "1")  # the steps are called directly; nothing is queued
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    # Migrating renders every model state and would set this process's peak RSS; do it in a process of its own.
    subprocess.run([sys.executable, "-m", "grassroots", "migrate", "--verbosity", "0"], check=True)
    import django

    django.setup()
    from django.core.files import File

    from grassroots.imports.models import ImportStatus
    from grassroots.imports.services import import_commit, import_commit_request, import_job_create, import_validate
    from grassroots.people.models import Person
    from grassroots.territory.models import Household

    print(f"{args.rows} rows, {args.per_household} persons per household, SQLite in {var}")
    print(f"{'start':<10} {'':>10}  peak RSS so far {rss_mb():7.1f} MB")
    actor, entrances = step("territory", False, lambda: build_territory(20, 4))
    roster = var / "roster.xlsx"
    step("generate", False, lambda: write_roster(roster, args.rows, entrances, args.per_household))
    print(f"file       {roster.stat().st_size / 1e6:8.1f} MB")

    def upload() -> Any:
        with roster.open("rb") as handle:
            return import_job_create(actor=actor, kind="persons", file=File(handle, name="roster.xlsx"))

    job = step("upload", args.tracemalloc, upload)
    job = step("validate", args.tracemalloc, lambda: import_validate(job_id=job.pk))
    assert job.status == ImportStatus.VALIDATED and job.count_error == 0, (job.status, job.message, job.count_error)
    import_commit_request(actor=actor, job=job)
    job = step("commit", args.tracemalloc, lambda: import_commit(job_id=job.pk))
    assert job.status == ImportStatus.DONE, job.message
    print(f"persons    {Person.objects.count():8d}   households {Household.objects.count()}")


if __name__ == "__main__":
    main()
