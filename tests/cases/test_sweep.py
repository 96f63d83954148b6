"""The SLA sweep with a moving clock: escalation over the National Day break, once per deadline, up to the
street and no further; fulfilled cases left unrated are closed once."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.test import override_settings

from grassroots.cases import sla
from grassroots.cases.enums import CaseKind, CaseLevel, CaseStatus, EventKind
from grassroots.cases.models import Case, CaseEvent
from grassroots.cases.services import case_claim, case_fulfil, cases_sweep
from grassroots.notifications.models import Notification
from tests.cases.factories import make_case
from tests.conftest import World

SH = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=SH)


def sweep_at(moment: dt.datetime) -> tuple[int, int]:
    with time_machine.travel(moment, tick=False):
        result = cases_sweep()
    return result.escalated, result.closed


def escalated_to(world: World, verb: str = "case_escalated") -> set[str]:
    return set(Notification.objects.filter(verb=verb).values_list("recipient__username", flat=True))


def test_overdue_over_the_holiday_escalates_once_per_rung_and_stops_at_the_street(cases_world: World) -> None:
    w = cases_world
    with time_machine.travel(at(2026, 9, 30, 16), tick=False):
        case = make_case(w, kind=CaseKind.DIFFICULTY, category="environment")  # standard policy, 8 h / 40 h
    assert (case.level, case.status, case.response_due) == (CaseLevel.GRID, CaseStatus.PENDING, at(2026, 10, 8, 16))

    # A whole week of calendar time passes over the break, but not one working hour: nothing is overdue.
    assert sweep_at(at(2026, 10, 7, 23, 59)) == (0, 0)
    assert sweep_at(at(2026, 10, 8, 15, 59)) == (0, 0)

    # Just past the response deadline: one rung up, grid → community, and the community's staff are told.
    assert sweep_at(at(2026, 10, 8, 16, 1)) == (1, 0)
    assert sweep_at(at(2026, 10, 8, 16, 1)) == (0, 0)
    assert sweep_at(at(2026, 10, 8, 17)) == (0, 0)
    case.refresh_from_db()
    assert case.level == CaseLevel.COMMUNITY and case.escalation_count == 1
    assert case.status == CaseStatus.PENDING
    # A new rung gets the resolution allowance again, counted from the escalation in working hours.
    assert case.next_escalation_at == sla.add_hours(at(2026, 10, 8, 16, 1), 40, working=True) == at(2026, 10, 14, 16, 1)
    events = CaseEvent.objects.filter(case=case, kind=EventKind.ESCALATED)
    assert events.count() == 1
    first = events.get()
    assert first.data == {"from_level": CaseLevel.GRID, "to_level": CaseLevel.COMMUNITY, "auto": True}
    assert first.actor is None and first.at == at(2026, 10, 8, 16, 1)
    assert escalated_to(w) == {"community_staff"}
    assert Notification.objects.filter(verb="case_escalated").count() == 1

    # Past the community's deadline: up to the street, whose staff are told; then never further.
    assert sweep_at(at(2026, 10, 14, 16)) == (0, 0)
    assert sweep_at(at(2026, 10, 14, 16, 2)) == (1, 0)
    case.refresh_from_db()
    assert case.level == CaseLevel.STREET and case.escalation_count == 2
    assert case.next_escalation_at is None
    assert escalated_to(w) == {"community_staff", "street_staff"}
    for moment in (at(2026, 10, 30), at(2026, 12, 31), at(2027, 6, 1)):
        assert sweep_at(moment) == (0, 0)
    case.refresh_from_db()
    assert case.level == CaseLevel.STREET and case.escalation_count == 2
    assert CaseEvent.objects.filter(case=case, kind=EventKind.ESCALATED).count() == 2
    assert Notification.objects.filter(verb="case_escalated").count() == 2
    assert "sibling_staff" not in escalated_to(w)


def test_calendar_hour_policy_escalates_during_the_holiday(cases_world: World) -> None:
    """The urgent policy (2 h, calendar) does not wait for the break to end."""
    with time_machine.travel(at(2026, 9, 30, 16), tick=False):
        case = make_case(cases_world, kind=CaseKind.DIFFICULTY, category="safety")
    assert sweep_at(at(2026, 9, 30, 18, 1)) == (1, 0)
    case.refresh_from_db()
    assert case.level == CaseLevel.COMMUNITY
    assert case.next_escalation_at == at(2026, 10, 1, 18, 1)  # 24 calendar hours later, a holiday


def test_accepted_case_escalates_on_its_resolution_deadline(cases_world: World) -> None:
    w = cases_world
    with time_machine.travel(at(2026, 9, 30, 16), tick=False):
        case = make_case(w, kind=CaseKind.DIFFICULTY, category="environment", accept=True)
    assert case.responded_at is not None
    assert case.next_escalation_at == case.resolution_due == at(2026, 10, 13, 16)
    assert sweep_at(at(2026, 10, 8, 16, 1)) == (0, 0)  # the response deadline no longer matters
    assert sweep_at(at(2026, 10, 13, 16, 1)) == (1, 0)


@override_settings(CASES_AUTO_CLOSE_DAYS=7)
def test_fulfilled_case_left_unrated_is_closed_once(cases_world: World) -> None:
    w = cases_world
    member = w.users["party_member"]
    with time_machine.travel(at(2026, 6, 1, 10), tick=False):
        case = make_case(w, accept=True)
        case = case_claim(case=case, actor=member)
        case = case_fulfil(case=case, actor=member, note="买好了米和油", residents_served=1)
    assert case.status == CaseStatus.FULFILLED
    assert sweep_at(at(2026, 6, 8, 9, 59)) == (0, 0)
    assert sweep_at(at(2026, 6, 8, 10)) == (0, 1)
    assert sweep_at(at(2026, 6, 8, 10, 5)) == (0, 0)
    assert sweep_at(at(2026, 7, 1)) == (0, 0)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closed_at == at(2026, 6, 8, 10)
    assert case.rated_at is None and case.satisfaction == ""
    closed = CaseEvent.objects.filter(case=case, kind=EventKind.CLOSED)
    assert closed.count() == 1
    assert closed.get().from_status == CaseStatus.FULFILLED
    assert Case.objects.filter(status=CaseStatus.CLOSED).count() == 1
