"""Periodic whistle sweep (a thin wrapper over ``whistles_sweep``)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from grassroots.whistle.services import whistles_sweep


@db_periodic_task(crontab(minute="*/5"))
@lock_task("whistles-sweep")
def whistles_sweep_task() -> dict[str, int]:
    """Every five minutes: escalate calls whose department has not reported on site in time."""
    result = whistles_sweep()
    return {"street": result.escalated_to_street, "district": result.escalated_to_district}
