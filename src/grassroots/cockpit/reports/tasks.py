"""The background step of a work report: a thin wrapper over the service, run by the huey consumer."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from grassroots.cockpit.reports import services


@db_task()
def report_generate_task(report_id: int) -> None:
    services.report_generate(report_id=report_id)
