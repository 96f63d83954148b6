"""The cockpit's background tasks, where huey's consumer looks for them (``<app>.tasks``)."""

from grassroots.cockpit.reports.tasks import report_generate_task

__all__ = ["report_generate_task"]
