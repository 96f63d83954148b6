"""What the case benchmarks (``cases_*.py``) share: Django on a demo database, enough cases, percentiles.

Not a benchmark itself. ``setup`` points ``GRASSROOTS_VAR_DIR`` at ``--var-dir`` (``DATABASE_URL`` selects
PostgreSQL, as everywhere), migrates, and builds the demo with ``--build`` when the database holds none.
``ensure_cases`` tops a demo built without cases up to a minimum through ``case_submit`` (the one intake path),
spread over the past year, so the scripts also run before the demo generates cases of its own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from typing import Any

DEMO_PASSWORD = "Demo-Only-2026!"


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--var-dir", default="", help="GRASSROOTS_VAR_DIR holding the demo (SQLite database, keys)")
    parser.add_argument("--build", action="store_true", help="build the demo first if the database holds none")
    parser.add_argument("--scale", type=float, default=1, help="demo scale for --build (default 1)")
    parser.add_argument(
        "--min-cases", type=int, default=300, help="create cases up to this many if the demo has fewer (default 300)"
    )
    parser.add_argument("--seed", type=int, default=2022)


def setup(args: argparse.Namespace) -> None:
    """Django on the demo database (``--var-dir`` and ``DATABASE_URL``); the demo built when asked."""
    os.environ["GRASSROOTS_VAR_DIR"] = args.var_dir or tempfile.mkdtemp(prefix="grassroots-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grassroots.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

    import django

    django.setup()
    from django.core.management import call_command

    from grassroots.people.models import Person

    call_command("migrate", interactive=False, verbosity=0)
    if not Person.objects.exists():
        if not args.build:
            sys.exit("The database holds no demo: pass --build (or --var-dir / DATABASE_URL of a built demo)")
        call_command("demo", "--no-serve", "--scale", str(args.scale), "--seed", str(args.seed))


def describe() -> str:
    from django.db import connection

    from grassroots.cases.models import Case
    from grassroots.people.models import Person

    return f"database: {connection.vendor}, persons: {Person.objects.count():,}, cases: {Case.objects.count():,}"


def staff(username: str) -> Any:
    from grassroots.accounts.models import User

    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        sys.exit(f"No user {username!r} in this database (is it the demo?)")


def submittable(rng: random.Random) -> Callable[[], tuple[Any, Any]]:
    """A picker of (category, item or None) that any intake can submit: no item with required questions."""
    from grassroots.catalogue.models import ServiceCategory, ServiceItem

    categories = list(ServiceCategory.objects.filter(is_active=True))
    items = [
        item
        for item in ServiceItem.objects.filter(is_active=True, category__is_active=True)
        .exclude(mode="appointment")
        .select_related("category")
        .prefetch_related("attributes")
        if not any(a.required for a in item.attributes.all())
    ]

    def pick() -> tuple[Any, Any]:
        if items and rng.random() < 0.6:
            item = rng.choice(items)
            return item.category, item
        return rng.choice(categories), None

    return pick


def ensure_cases(minimum: int, seed: int, *, actor_name: str = "district_admin") -> int:
    """Top the database up to ``minimum`` cases through ``case_submit`` (and ``case_accept`` for some).

    Cases are submitted "in the past" (``now=`` over the last year) at random entrances, 40 % micro-wishes; two
    thirds are accepted a few hours later and the rest left pending, so many are overdue. Returns how many were
    created (0 when the demo already has enough, e.g. a demo built with its year of cases).
    """
    from django.utils import timezone

    from grassroots.cases.enums import CaseKind, Channel, NeedGroup
    from grassroots.cases.models import Case
    from grassroots.cases.services import CaseInput, case_accept, case_submit
    from grassroots.catalogue.models import ServiceCategory
    from grassroots.catalogue.services import catalogue_install_defaults
    from grassroots.territory.models import Region

    if not ServiceCategory.objects.exists():
        catalogue_install_defaults()
    missing = minimum - Case.objects.count()
    if missing <= 0:
        return 0
    rng = random.Random(seed)
    actor = staff(actor_name)
    entrances = list(Region.objects.filter(kind="entrance").order_by("code"))
    pick = submittable(rng)
    now = timezone.now()
    groups = [g for g in NeedGroup.values if g != NeedGroup.OTHER]
    started = time.perf_counter()
    print(f"creating {missing} cases through case_submit …", file=sys.stderr)
    for i in range(missing):
        category, item = pick()
        wish = rng.random() < 0.4
        submitted = now - dt.timedelta(days=rng.uniform(0, 365), minutes=rng.randint(0, 600))
        case = case_submit(
            actor=actor,
            data=CaseInput(
                kind=CaseKind.MICRO_WISH if wish else CaseKind.DIFFICULTY,
                place=rng.choice(entrances),
                description=f"基准测试诉求{i}：楼道灯坏了，请帮忙处理",
                channel=Channel.WALK_IN,
                category=category,
                item=item,
                need_group=rng.choice(groups) if wish else "",
                requester_name="基准居民",
                contact_mobile=f"139{rng.randint(0, 99_999_999):08d}",
            ),
            now=submitted,
        )
        if rng.random() < 2 / 3:
            case_accept(case=case, actor=actor, now=submitted + dt.timedelta(hours=rng.uniform(0.5, 30)))
    print(f"  … in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return missing


def percentile(samples: Sequence[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """(p50, p95) milliseconds of ``fn`` over ``runs`` runs, after one warm-up."""
    fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), percentile(samples, 0.95)
