"""Background work of the frontline app: thin wrappers over the services, run by the huey consumer.

The unit feedback report is built in the request (a unit's members fit in a few queries and well under a
second); rebuilding the whole points ledger is the long job, so it runs here, one at a time, and says how far it
got in huey's key-value store (``points_recompute_progress``), as imports do.
"""

from __future__ import annotations

from huey.contrib.djhuey import HUEY, db_task, lock_task

from grassroots.frontline.services.points import points_recompute

PROGRESS_KEY = "points-recompute-progress"


def points_recompute_progress() -> str | None:
    """The last step a running (or the last) recomputation reported."""
    value = HUEY.get(PROGRESS_KEY, peek=True)
    return None if value is None else str(value)


@db_task()
@lock_task("points-recompute")
def points_recompute_task() -> dict[str, float]:
    result = points_recompute(progress=lambda message: HUEY.put(PROGRESS_KEY, message))
    return {"entries": result.entries, "seconds": result.seconds}
