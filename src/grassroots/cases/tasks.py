"""Periodic SLA sweep (a thin wrapper over ``cases_sweep``)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from grassroots.cases.services import cases_sweep


@db_periodic_task(crontab(minute="*/5"))
@lock_task("cases-sweep")
def cases_sweep_task() -> dict[str, int]:
    """Every five minutes: escalate overdue cases one rung, close fulfilled cases left unrated."""
    result = cases_sweep()
    return {"escalated": result.escalated, "closed": result.closed}
