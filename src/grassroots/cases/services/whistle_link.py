"""What a whistle does to the case it was blown from: a line on the timeline, and closing with it.

The whistle app calls these (never the other way round), so the case timeline and status change through the
case services like every other transition.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.cases import signals
from grassroots.cases.enums import ACTIVE_STATUSES, CaseStatus, ClaimOutcome, EventKind
from grassroots.cases.models import Case, CaseClaim
from grassroots.cases.services.common import audit_transition, event_add, lock, notify_requester


@transaction.atomic
def case_whistle_blown(
    *, case: Case, actor: Any, whistle_number: str, departments: list[str], now: dt.datetime | None = None
) -> Case:
    """Put "whistle blown" on the case's timeline (shown to the resident: help is on its way)."""
    now = now or timezone.now()
    case = lock(case)
    event_add(
        case=case,
        kind=EventKind.WHISTLED,
        actor=actor,
        at=now,
        from_status=case.status,
        note=_("Whistle %(number)s blown: %(departments)s called")
        % {"number": whistle_number, "departments": "、".join(departments)},
        data={"whistle": whistle_number},
    )
    # The case is being handled now, even if nobody had claimed it.
    case.next_escalation_at = None
    case.save(update_fields=["next_escalation_at", "updated_at"])
    return case


@transaction.atomic
def case_close_with_whistle(
    *, case: Case, actor: Any, whistle_number: str, note: str, now: dt.datetime | None = None
) -> Case:
    """Close an active or fulfilled case because the whistle blown for it was closed.

    An active case is counted as done (a deed, one resident served) when it had not been; a case already
    closed, rejected or withdrawn is left as it is.
    """
    now = now or timezone.now()
    case = lock(case)
    if case.status not in ACTIVE_STATUSES and case.status != CaseStatus.FULFILLED:
        return case
    before = case.status
    if case.fulfilled_at is None:
        case.fulfilled_at = now
        case.fulfilment_note = case.fulfilment_note or note
        case.resolution_minutes = int((now - case.submitted_at).total_seconds() // 60)
    if case.deed_at is None:
        case.deed_at = now
        case.residents_served = case.residents_served or 1
    if case.responded_at is None:
        case.responded_at = now
    case.status = CaseStatus.CLOSED
    case.closed_at = now
    case.next_escalation_at = None
    case.save()
    CaseClaim.objects.filter(case=case, outcome=ClaimOutcome.ACTIVE).update(outcome=ClaimOutcome.FULFILLED)
    event_add(
        case=case,
        kind=EventKind.CLOSED,
        actor=actor,
        at=now,
        from_status=before,
        note=_("Closed with whistle %(number)s: %(note)s") % {"number": whistle_number, "note": note},
        data={"whistle": whistle_number},
    )
    audit_transition(case=case, actor=actor, from_status=before, detail="close with whistle")
    notify_requester(
        case=case,
        verb="case_closed",
        title=_("Your request %(number)s was resolved by the departments called") % {"number": case.number},
    )
    signals.case_closed.send(sender=Case, case=case, actor=actor, at=now)
    return case
