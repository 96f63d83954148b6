"""Escalation: one rung up the ladder (grid → community → street) by hand or by the periodic SLA sweep.

The sweep is idempotent: an escalation moves ``next_escalation_at`` forward (or clears it at the street), so a
second run escalates nothing more; each case is handled in its own transaction and, on PostgreSQL, rows locked
by a user's action are skipped until the next run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.cases import rules
from grassroots.cases.enums import ACTIVE_STATUSES, CaseLevel, CaseStatus, EventKind
from grassroots.cases.models import Case
from grassroots.cases.services.common import audit_transition, event_add, lock, notify_level
from grassroots.cases.services.flow import _after, _policy, _require, _state_error
from grassroots.core.errors import ApplicationError


def _escalate_locked(case: Case, *, actor: Any, reason: str, now: dt.datetime, auto: bool) -> Case:
    before_level = case.level
    case.level = before_level + 1
    case.escalation_count += 1
    case.assignee_org = None
    policy = _policy(case)
    case.next_escalation_at = _after(case, now, policy.resolution_hours) if case.level < CaseLevel.STREET else None
    case.save()
    event_add(
        case=case,
        kind=EventKind.ESCALATED,
        actor=None if auto else actor,
        at=now,
        from_status=case.status,
        note=reason,
        label=_("System") if auto else None,
        data={"from_level": before_level, "to_level": case.level, "auto": auto},
    )
    audit_transition(
        case=case,
        actor=None if auto else actor,
        from_status=case.status,
        detail=f"escalate {before_level}->{case.level}{' (sweep)' if auto else ''}",
    )
    notify_level(
        case=case,
        verb="case_escalated",
        title=_("%(number)s escalated to you: %(title)s") % {"number": case.number, "title": case.title},
        body=reason,
    )
    return case


@transaction.atomic
def case_escalate(*, case: Case, actor: Any, reason: str, request: Any = None, now: dt.datetime | None = None) -> Case:
    """Move an active case one rung up by hand (grid → community → street)."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(
            "reason_required", _("Say why the case is escalated."), fields={"reason": [_("This field is required.")]}
        )
    case = lock(case)
    _require(rules.can_handle(actor, case))
    if case.status not in ACTIVE_STATUSES:
        raise _state_error(case)
    if case.level >= CaseLevel.STREET:
        raise ApplicationError(
            "top_level", _("The case is already with the street; blow the whistle to call departments in."), status=409
        )
    return _escalate_locked(case, actor=actor, reason=reason, now=now, auto=False)


@dataclass(frozen=True)
class SweepResult:
    escalated: int
    closed: int


def cases_sweep(*, now: dt.datetime | None = None, batch: int = 500) -> SweepResult:
    """Escalate active cases past their next escalation time, one rung each; close fulfilled cases left unrated.

    Idempotent: an escalation moves ``next_escalation_at`` forward (or clears it at the street), so running the
    sweep twice escalates nothing more. Each case is handled in its own transaction; on PostgreSQL rows locked
    by a user's action are skipped and picked up by the next run.
    """
    now = now or timezone.now()
    escalated = closed = 0
    skip = bool(connection.features.has_select_for_update_skip_locked)
    due = list(
        Case.objects.filter(status__in=ACTIVE_STATUSES, next_escalation_at__lte=now, level__lt=CaseLevel.STREET)
        .order_by("next_escalation_at")
        .values_list("pk", flat=True)[:batch]
    )
    for pk in due:
        with transaction.atomic():
            case = (
                Case.objects.select_for_update(skip_locked=skip)
                .filter(pk=pk, status__in=ACTIVE_STATUSES, next_escalation_at__lte=now, level__lt=CaseLevel.STREET)
                .first()
            )
            if case is None:
                continue
            overdue = _("Response deadline passed") if case.responded_at is None else _("Resolution deadline passed")
            _escalate_locked(case, actor=None, reason=overdue, now=now, auto=True)
            escalated += 1
    days = int(getattr(settings, "CASES_AUTO_CLOSE_DAYS", 7))
    stale = list(
        Case.objects.filter(status=CaseStatus.FULFILLED, fulfilled_at__lte=now - dt.timedelta(days=days)).values_list(
            "pk", flat=True
        )[:batch]
    )
    for pk in stale:
        with transaction.atomic():
            case = Case.objects.select_for_update(skip_locked=skip).filter(pk=pk, status=CaseStatus.FULFILLED).first()
            if case is None:
                continue
            case.status = CaseStatus.CLOSED
            case.closed_at = now
            case.save()
            event_add(
                case=case,
                kind=EventKind.CLOSED,
                actor=None,
                at=now,
                from_status=CaseStatus.FULFILLED,
                label=_("System"),
                note=_("Closed without a rating after %(days)d days.") % {"days": days},
            )
            audit_transition(case=case, actor=None, from_status=CaseStatus.FULFILLED, detail="auto-close")
            closed += 1
    return SweepResult(escalated=escalated, closed=closed)
