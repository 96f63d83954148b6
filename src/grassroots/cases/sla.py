"""Deadlines: add calendar hours, or working hours that skip weekends and Chinese public holidays.

Working days come from the ``holidays`` package's China calendar, which lists the public holidays and the
adjusted working days (调休: a Saturday or Sunday that is a working day). Working hours per day are the
``CASES_WORKING_PERIODS`` setting (default 09:00–12:00 and 13:00–18:00, eight hours).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
from django.conf import settings
from django.utils import timezone

DEFAULT_PERIODS: tuple[tuple[str, str], ...] = (("09:00", "12:00"), ("13:00", "18:00"))


@lru_cache(maxsize=8)
def _calendar(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("CN", years=[year])


def is_working_day(day: dt.date) -> bool:
    return bool(_calendar(day.year).is_working_day(day))


def _periods() -> list[tuple[dt.time, dt.time]]:
    raw = getattr(settings, "CASES_WORKING_PERIODS", DEFAULT_PERIODS)
    return [(dt.time.fromisoformat(a), dt.time.fromisoformat(b)) for a, b in raw]


def add_hours(start: dt.datetime, hours: float, *, working: bool) -> dt.datetime:
    """The moment ``hours`` after ``start``: calendar hours, or working hours on working days only."""
    if not working:
        return start + dt.timedelta(hours=hours)
    tz = timezone.get_current_timezone()
    local = timezone.localtime(start, tz)
    remaining = dt.timedelta(hours=hours)
    day = local.date()
    for _ in range(3700):  # ten years of days: a safe bound for any policy
        if is_working_day(day):
            for begin_t, end_t in _periods():
                begin = dt.datetime.combine(day, begin_t, tzinfo=tz)
                end = dt.datetime.combine(day, end_t, tzinfo=tz)
                if local >= end:
                    continue
                cursor = max(local, begin)
                available = end - cursor
                if remaining <= available:
                    return cursor + remaining
                remaining -= available
                local = end
        day += dt.timedelta(days=1)
        local = max(local, dt.datetime.combine(day, dt.time.min, tzinfo=tz))
    raise ValueError("deadline beyond ten years")


def working_minutes_between(start: dt.datetime, end: dt.datetime) -> int:
    """Working minutes from ``start`` to ``end`` (0 when end is not after start)."""
    if end <= start:
        return 0
    tz = timezone.get_current_timezone()
    a, b = timezone.localtime(start, tz), timezone.localtime(end, tz)
    total = dt.timedelta()
    day = a.date()
    while day <= b.date():
        if is_working_day(day):
            for begin_t, end_t in _periods():
                lo = max(a, dt.datetime.combine(day, begin_t, tzinfo=tz))
                hi = min(b, dt.datetime.combine(day, end_t, tzinfo=tz))
                if hi > lo:
                    total += hi - lo
        day += dt.timedelta(days=1)
    return int(total.total_seconds() // 60)
