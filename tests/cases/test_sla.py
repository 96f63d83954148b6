"""Deadlines in working hours over Chinese public holidays and adjusted working days, and in calendar hours.

The 2026 facts below come from ``holidays.country_holidays("CN")`` (holidays 0.109) and match the State
Council's 2026 notice: National Day 10-01..10-07 off, Saturday 10-10 and Sunday 09-20 worked instead.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import holidays
import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.cases import sla
from grassroots.cases.enums import CaseKind
from tests.cases.factories import make_case
from tests.conftest import World

SH = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=SH)


def test_the_2026_calendar_the_tests_rely_on() -> None:
    cn = holidays.country_holidays("CN", years=[2026])
    assert all(not cn.is_working_day(dt.date(2026, 10, d)) for d in range(1, 8))
    assert cn.is_working_day(dt.date(2026, 9, 30))  # Wednesday, the last day before the break
    assert cn.is_working_day(dt.date(2026, 10, 8))
    assert cn.is_working_day(dt.date(2026, 10, 10))  # a Saturday worked in exchange for 10-07
    assert not cn.is_working_day(dt.date(2026, 10, 11))
    assert cn.is_working_day(dt.date(2026, 9, 20))  # a Sunday worked in exchange for 10-06
    assert not cn.is_working_day(dt.date(2026, 4, 6))  # Qingming, observed on Monday
    assert sla.is_working_day(dt.date(2026, 10, 10)) and not sla.is_working_day(dt.date(2026, 10, 1))


@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        # Wednesday 16:00 before National Day: 2 h that day, the rest after the seven-day break.
        (at(2026, 9, 30, 16), 8, at(2026, 10, 8, 16)),
        (at(2026, 9, 30, 16), 16, at(2026, 10, 9, 16)),
        # Friday 16:00 after the break: Saturday 10-10 is a working day, Sunday 10-11 is not.
        (at(2026, 10, 9, 16), 8, at(2026, 10, 10, 16)),
        (at(2026, 10, 9, 16), 16, at(2026, 10, 12, 16)),
        # Friday 16:00 before the Qingming weekend (Sat, Sun, Monday observed): due on Tuesday.
        (at(2026, 4, 3, 16), 8, at(2026, 4, 7, 16)),
        # Friday 16:00 before the adjusted working Sunday 09-20: due that Sunday.
        (at(2026, 9, 18, 16), 8, at(2026, 9, 20, 16)),
        # Lunch break and evenings are not working time.
        (at(2026, 10, 8, 12, 30), 1, at(2026, 10, 8, 14)),
        (at(2026, 10, 8, 11, 30), 1, at(2026, 10, 8, 13, 30)),
        (at(2026, 10, 8, 18), 1, at(2026, 10, 9, 10)),
        (at(2026, 10, 8, 20), 8, at(2026, 10, 9, 18)),
        (at(2026, 10, 1, 10), 1, at(2026, 10, 8, 10)),
    ],
)
def test_working_hours_skip_holidays_and_use_adjusted_working_days(
    start: dt.datetime, hours: int, due: dt.datetime
) -> None:
    assert sla.add_hours(start, hours, working=True) == due


def test_working_hours_accept_utc_input() -> None:
    start = dt.datetime(2026, 9, 30, 8, tzinfo=dt.UTC)  # 16:00 in Shanghai
    assert sla.add_hours(start, 8, working=True) == at(2026, 10, 8, 16)


def test_calendar_hours_ignore_holidays_and_nights() -> None:
    assert sla.add_hours(at(2026, 9, 30, 16), 2, working=False) == at(2026, 9, 30, 18)
    assert sla.add_hours(at(2026, 9, 30, 16), 24, working=False) == at(2026, 10, 1, 16)
    assert sla.add_hours(at(2026, 10, 3, 23), 2, working=False) == at(2026, 10, 4, 1)


def test_working_minutes_between_over_the_break() -> None:
    assert sla.working_minutes_between(at(2026, 9, 30, 16), at(2026, 10, 8, 16)) == 480
    assert sla.working_minutes_between(at(2026, 10, 1, 0), at(2026, 10, 7, 23, 59)) == 0
    assert sla.working_minutes_between(at(2026, 10, 9, 17), at(2026, 10, 12, 10)) == 60 + 480 + 60
    assert sla.working_minutes_between(at(2026, 10, 9), at(2026, 10, 8)) == 0


def test_submitted_before_national_day_gets_deadlines_on_the_right_working_days(cases_world: World) -> None:
    """Category "environment" has the standard policy (8 h to respond, 40 h to resolve, working hours);
    "safety" has the urgent one (2 h and 24 h, calendar hours)."""
    with time_machine.travel(at(2026, 9, 30, 16), tick=False):
        working = make_case(cases_world, kind=CaseKind.DIFFICULTY, category="environment")
        calendar = make_case(cases_world, kind=CaseKind.DIFFICULTY, category="safety")
    assert working.submitted_at == at(2026, 9, 30, 16)
    assert working.response_due == at(2026, 10, 8, 16)
    # 2 h on 09-30, then 8 h on each of 10-08, 10-09, 10-10 (Saturday, worked), 10-12; 6 h on 10-13.
    assert working.resolution_due == at(2026, 10, 13, 16)
    assert working.next_escalation_at == working.response_due
    assert calendar.response_due == at(2026, 9, 30, 18)
    assert calendar.resolution_due == at(2026, 10, 1, 16)


# Property tests: any start in 2025–2027 (minute resolution), any number of hours up to five working weeks.
starts = st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2027, 12, 1)).map(
    lambda d: d.replace(second=0, microsecond=0, tzinfo=SH)
)


@settings(max_examples=150, deadline=None)
@given(start=starts, h1=st.integers(min_value=0, max_value=200), h2=st.integers(min_value=0, max_value=200))
def test_add_hours_is_monotonic_in_hours(start: dt.datetime, h1: int, h2: int) -> None:
    low, high = sorted((h1, h2))
    assert sla.add_hours(start, low, working=True) <= sla.add_hours(start, high, working=True)
    if low < high:
        assert sla.add_hours(start, low, working=True) < sla.add_hours(start, high, working=True)


@settings(max_examples=150, deadline=None)
@given(start=starts, hours=st.integers(min_value=1, max_value=200))
def test_add_hours_lands_inside_a_working_period_and_agrees_with_working_minutes(
    start: dt.datetime, hours: int
) -> None:
    due = sla.add_hours(start, hours, working=True)
    local = due.astimezone(SH)
    assert due > start
    assert sla.is_working_day(local.date())
    assert any(
        dt.time.fromisoformat(begin) < local.time() <= dt.time.fromisoformat(end) for begin, end in sla.DEFAULT_PERIODS
    )
    assert sla.working_minutes_between(start, due) == hours * 60


@settings(max_examples=60, deadline=None)
@given(start=starts, quarters=st.integers(min_value=1, max_value=400))
def test_fractional_hours_agree_with_working_minutes(start: dt.datetime, quarters: int) -> None:
    due = sla.add_hours(start, quarters / 4, working=True)
    assert sla.working_minutes_between(start, due) == quarters * 15
