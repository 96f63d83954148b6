"""Periodic housekeeping of the portal (thin wrappers over services)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from grassroots.portal.services import otp_purge


@db_periodic_task(crontab(minute="17"))
def otp_purge_task() -> int:
    """Hourly: forget sign-in code requests and challenges older than a day."""
    return otp_purge()
