"""SLA sweep time: how long ``cases_sweep`` takes to escalate the overdue cases, and cases escalated per second.

Moves the clock ``--days-ahead`` days forward (``cases_sweep(now=…)``), so that every active case whose next
escalation time falls before then is due, prints how many are due, then runs sweeps of ``--batch`` cases (500,
as the five-minute task does) until one escalates nothing. Each escalated case is one transaction: the row locked
(``select_for_update``, skip-locked on PostgreSQL), its level raised, a timeline event, an audit row and the
notifications of the next rung. Prints the first sweep's seconds and the whole catch-up: cases escalated (and
fulfilled cases auto-closed), seconds, cases per second.

    .venv/bin/python bench/cases_sweep.py --var-dir /tmp/bench-s1 [--days-ahead 10] [--batch 500] [--rollback]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/grassroots_bench .venv/bin/python bench/cases_sweep.py

THE SWEEP WRITES: the escalated cases stay escalated (run this one last, or on a copy of the demo). With
``--rollback`` everything runs inside one outer transaction that is rolled back at the end; then each case's
transaction is a savepoint and nothing is committed, so the figure flatters SQLite (no commit per case).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases_common import add_common_arguments, describe, ensure_cases, setup


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_common_arguments(parser)
    parser.add_argument("--days-ahead", type=float, default=10, help="move the clock this many days forward")
    parser.add_argument("--batch", type=int, default=500, help="cases per sweep (the periodic task uses 500)")
    parser.add_argument("--max-sweeps", type=int, default=10_000)
    parser.add_argument("--rollback", action="store_true", help="roll everything back at the end")
    args = parser.parse_args()
    setup(args)
    ensure_cases(args.min_cases, args.seed)

    from django.db import transaction
    from django.utils import timezone

    from grassroots.cases.enums import ACTIVE_STATUSES, CaseLevel, CaseStatus
    from grassroots.cases.models import Case
    from grassroots.cases.services import cases_sweep

    print(describe())
    now = timezone.now() + dt.timedelta(days=args.days_ahead)
    due = Case.objects.filter(status__in=ACTIVE_STATUSES, next_escalation_at__lte=now, level__lt=CaseLevel.STREET)
    stale = Case.objects.filter(status=CaseStatus.FULFILLED)
    print(
        f"clock moved {args.days_ahead:g} days ahead: {due.count():,} active cases due for escalation "
        f"({Case.objects.filter(status__in=ACTIVE_STATUSES).count():,} active, {stale.count():,} awaiting rating)"
    )

    sweeps: list[tuple[float, int, int]] = []
    with transaction.atomic() if args.rollback else contextlib.nullcontext():
        for _ in range(args.max_sweeps):
            started = time.perf_counter()
            result = cases_sweep(now=now, batch=args.batch)
            sweeps.append((time.perf_counter() - started, result.escalated, result.closed))
            if not result.escalated and not result.closed:
                break
        if args.rollback:
            transaction.set_rollback(True)

    seconds = sum(s for s, _e, _c in sweeps)
    escalated = sum(e for _s, e, _c in sweeps)
    closed = sum(c for _s, _e, c in sweeps)
    first_seconds, first_escalated, first_closed = sweeps[0]
    rate = f"{first_escalated / first_seconds:,.0f} escalated/s" if first_seconds and first_escalated else "-"
    print(
        f"  first sweep (batch {args.batch}): {first_escalated:,} escalated, {first_closed:,} closed "
        f"in {first_seconds:.2f} s   {rate}"
    )
    rate = f"{escalated / seconds:,.0f} escalated/s" if seconds and escalated else "-"
    print(
        f"  until drained: {len(sweeps)} sweeps, {escalated:,} escalated, {closed:,} closed in {seconds:.2f} s   {rate}"
    )
    print(
        "  (rolled back: nothing was written)"
        if args.rollback
        else "  (written: the escalated cases stay escalated; rebuild the demo for a clean re-run)"
    )


if __name__ == "__main__":
    main()
