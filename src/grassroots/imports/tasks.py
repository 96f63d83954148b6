"""Background steps of an import: thin wrappers over the services, run by the huey consumer."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from grassroots.imports import services


@db_task()
def import_validate_task(job_id: int) -> None:
    services.import_validate(job_id=job_id)


@db_task()
def import_commit_task(job_id: int) -> None:
    services.import_commit(job_id=job_id)
