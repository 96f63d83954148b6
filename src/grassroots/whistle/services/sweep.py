"""The escalation sweep: departments that have not reported on site in time are escalated.

At ``report_due`` a call still awaiting its report escalates to the street (its staff are told); after
``settings.WHISTLE_DISTRICT_AFTER_MINUTES`` more, to the district (its admins are told). The due moment is the
indexed ``next_escalation_at`` column: an escalation moves it forward (or clears it at the district), and a
report clears it, so a second run escalates nothing more. Each call is handled in its own transaction; on
PostgreSQL rows locked by a department's report are skipped and picked up by the next run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.notifications.services import notify
from grassroots.whistle.enums import AWAITING_REPORT, EscalationLevel, WhistleEventKind, WhistleStatus
from grassroots.whistle.models import WhistleCall
from grassroots.whistle.services.common import audit, district_admins, event_add, street_staff, whistle_url


@dataclass(frozen=True)
class WhistleSweepResult:
    escalated_to_street: int
    escalated_to_district: int


def district_after() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "WHISTLE_DISTRICT_AFTER_MINUTES", 120)))


def _escalate(call: WhistleCall, now: dt.datetime) -> int:
    """Move one call up one level; returns the new level."""
    whistle = call.whistle
    before = call.escalation_level
    call.escalation_level = before + 1
    if call.escalation_level == EscalationLevel.STREET:
        call.next_escalation_at = call.report_due + district_after()
        recipients = street_staff(whistle)
        title = _("%(department)s has not reported on site for whistle %(number)s (escalated to the street)")
    else:
        call.next_escalation_at = None
        recipients = district_admins(whistle)
        title = _("%(department)s has not reported on site for whistle %(number)s (escalated to the district)")
    call.save(update_fields=["escalation_level", "next_escalation_at"])
    label = EscalationLevel(call.escalation_level).label
    event_add(
        whistle=whistle,
        call=call,
        kind=WhistleEventKind.ESCALATED,
        actor=None,
        at=now,
        label=_("System"),
        note=str(label),
        data={"from_level": before, "to_level": call.escalation_level},
    )
    audit(
        target=call,
        actor=None,
        changes={"escalation_level": [before, call.escalation_level]},
        detail=f"escalate {before}->{call.escalation_level} (sweep)",
        request=None,
    )
    notify(
        recipients=recipients,
        verb="whistle_escalated",
        title=title % {"department": call.department.name, "number": whistle.number},
        body=call.task,
        url=whistle_url(whistle),
        channels=("sms",),
    )
    return call.escalation_level


def _due(now: dt.datetime) -> dict[str, object]:
    return {
        "status__in": list(AWAITING_REPORT),
        "whistle__status": WhistleStatus.OPEN,
        "next_escalation_at__lte": now,
        "escalation_level__lt": EscalationLevel.DISTRICT,
    }


def whistles_sweep(*, now: dt.datetime | None = None, batch: int = 500) -> WhistleSweepResult:
    """Escalate every call past its next escalation moment (a call late by more than both steps goes up both in
    one run). Idempotent."""
    now = now or timezone.now()
    skip = bool(connection.features.has_select_for_update_skip_locked)
    to_street = to_district = 0
    due = list(
        WhistleCall.objects.filter(**_due(now)).order_by("next_escalation_at").values_list("pk", flat=True)[:batch]
    )
    for pk in due:
        with transaction.atomic():
            call = (
                WhistleCall.objects.select_for_update(skip_locked=skip, of=("self",))
                .select_related("whistle", "department")
                .filter(pk=pk, **_due(now))
                .first()
            )
            while call is not None and call.next_escalation_at is not None and call.next_escalation_at <= now:
                level = _escalate(call, now)
                if level == EscalationLevel.STREET:
                    to_street += 1
                else:
                    to_district += 1
                if level >= EscalationLevel.DISTRICT:
                    break
    return WhistleSweepResult(escalated_to_street=to_street, escalated_to_district=to_district)
