"""The escalation sweep with a moving clock: a department not on site by its report deadline escalates to the
street, then (``WHISTLE_DISTRICT_AFTER_MINUTES`` later) to the district; once each; never after reporting."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from grassroots.core.models import AuditEvent
from grassroots.notifications.models import Notification
from grassroots.whistle.enums import EscalationLevel, WhistleEventKind
from grassroots.whistle.models import WhistleCall, WhistleEvent
from grassroots.whistle.services import call_report, whistle_cancel, whistles_sweep
from grassroots.whistle.tasks import whistles_sweep_task
from tests.conftest import World
from tests.whistle.conftest import at, call_of, make_whistle

NOW = at(2026, 5, 6, 9)


def sweep(moment: dt.datetime) -> tuple[int, int]:
    result = whistles_sweep(now=moment)
    return result.escalated_to_street, result.escalated_to_district


def told(verb: str = "whistle_escalated") -> list[str]:
    return sorted(Notification.objects.filter(verb=verb).values_list("recipient__username", flat=True))


def test_a_late_department_escalates_to_the_street_then_the_district_once_each(whistle_world: World) -> None:
    w = whistle_world
    whistle = make_whistle(w, departments=("department", "other_department"), urgency="urgent", now=NOW)
    due = NOW + dt.timedelta(minutes=30)
    call_report(
        call=call_of(whistle, "other_department"),
        actor=w.users["other_department_staff"],
        on_site_people="李工",
        now=NOW + dt.timedelta(minutes=20),
    )

    assert sweep(due - dt.timedelta(seconds=1)) == (0, 0)
    assert sweep(due) == (1, 0)
    assert sweep(due) == (0, 0)
    assert sweep(due + dt.timedelta(minutes=119)) == (0, 0)
    call = call_of(whistle)
    assert (call.escalation_level, call.next_escalation_at) == (EscalationLevel.STREET, due + dt.timedelta(minutes=120))
    assert told() == ["street_staff"]
    event = WhistleEvent.objects.get(call=call, kind=WhistleEventKind.ESCALATED)
    assert (event.actor, event.at, event.data) == (None, due, {"from_level": 0, "to_level": 1})

    assert sweep(due + dt.timedelta(minutes=120)) == (0, 1)
    assert sweep(due + dt.timedelta(days=3)) == (0, 0)
    call.refresh_from_db()
    assert (call.escalation_level, call.next_escalation_at) == (EscalationLevel.DISTRICT, None)
    assert told() == ["district_admin", "street_staff"]
    assert WhistleEvent.objects.filter(call=call, kind=WhistleEventKind.ESCALATED).count() == 2
    assert AuditEvent.objects.filter(target_id=str(call.pk), detail__contains="(sweep)").count() == 2

    # the department that came on time never escalated
    other = call_of(whistle, "other_department")
    assert (other.escalation_level, other.next_escalation_at) == (EscalationLevel.NONE, None)


def test_reporting_on_site_stops_the_escalation(whistle_world: World) -> None:
    w = whistle_world
    whistle = make_whistle(w, now=NOW)  # normal: 24 h to report
    due = NOW + dt.timedelta(hours=24)
    assert sweep(due) == (1, 0)
    call_report(
        call=call_of(whistle), actor=w.users["department_staff"], on_site_people="张", now=due + dt.timedelta(minutes=5)
    )
    assert sweep(due + dt.timedelta(days=1)) == (0, 0)
    call = call_of(whistle)
    assert (call.escalation_level, call.reported_on_time) == (EscalationLevel.STREET, False)


def test_a_sweep_that_comes_late_escalates_both_steps_at_once(whistle_world: World) -> None:
    w = whistle_world
    whistle = make_whistle(w, urgency="urgent", now=NOW)
    assert sweep(NOW + dt.timedelta(hours=5)) == (1, 1)
    assert call_of(whistle).escalation_level == EscalationLevel.DISTRICT
    assert told() == ["district_admin", "street_staff"]


def test_cancelled_whistles_and_street_whistles(whistle_world: World) -> None:
    w = whistle_world
    cancelled = make_whistle(w, urgency="urgent", now=NOW)
    whistle_cancel(
        whistle=cancelled, actor=w.users["community_staff"], reason="误报", now=NOW + dt.timedelta(minutes=1)
    )
    street = make_whistle(w, actor="street_staff", region=w.streets["mingshan"], urgency="urgent", now=NOW)
    assert sweep(NOW + dt.timedelta(minutes=31)) == (1, 0)
    assert call_of(street).escalation_level == EscalationLevel.STREET
    assert call_of(cancelled).escalation_level == EscalationLevel.NONE


def test_settings_are_read_when_the_sweep_runs(whistle_world: World, settings: Any) -> None:
    settings.WHISTLE_DISTRICT_AFTER_MINUTES = 10
    whistle = make_whistle(whistle_world, urgency="urgent", now=NOW)
    due = NOW + dt.timedelta(minutes=30)
    assert sweep(due) == (1, 0)
    assert sweep(due + dt.timedelta(minutes=10)) == (0, 1)
    assert call_of(whistle).escalation_level == EscalationLevel.DISTRICT


@pytest.mark.django_db
def test_the_periodic_task_wraps_the_sweep(whistle_world: World) -> None:
    make_whistle(whistle_world, urgency="urgent", now=NOW)
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        result = whistles_sweep_task.call_local()
    assert result == {"street": 1, "district": 0}
    assert WhistleCall.objects.get().escalation_level == EscalationLevel.STREET
