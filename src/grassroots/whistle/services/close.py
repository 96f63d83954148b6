"""Ending a whistle: rating each department's work, closing when all have fed back, or cancelling."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.cases.enums import Satisfaction
from grassroots.cockpit.rollups.engine import tracking as rollups_tracking
from grassroots.core.errors import ApplicationError
from grassroots.notifications.services import notify
from grassroots.whistle import rules
from grassroots.whistle.enums import AWAITING_FEEDBACK, CallStatus, WhistleEventKind, WhistleStatus
from grassroots.whistle.models import Whistle, WhistleCall
from grassroots.whistle.services.common import (
    audit,
    call_state_error,
    department_staff,
    event_add,
    invalid,
    lock_call,
    lock_whistle,
    real_user,
    require,
    whistle_state_error,
    whistle_url,
)

NOTE_MAX = 500
DONE = (CallStatus.FED_BACK, CallStatus.RATED)


@transaction.atomic
def whistle_close(
    *, whistle: Whistle, actor: Any, note: str, request: Any = None, now: dt.datetime | None = None
) -> Whistle:
    """Close the whistle once every department still called has fed back (rated or not); the case it was blown
    for closes with it."""
    now = now or timezone.now()
    require(rules.can_close(actor, whistle))
    note = (note or "").strip()
    if not note:
        raise invalid({"note": [_("Say how the matter ended.")]})
    if len(note) > NOTE_MAX:
        raise invalid({"note": [_("At most %(max)d characters.") % {"max": NOTE_MAX}]})
    whistle = lock_whistle(whistle)
    if whistle.status != WhistleStatus.OPEN:
        raise whistle_state_error(whistle)
    waiting = list(
        whistle.calls.filter(status__in=AWAITING_FEEDBACK).select_related("department").order_by("department__name")
    )
    if waiting:
        names = "、".join(c.department.name for c in waiting)
        raise ApplicationError(
            "calls_pending",
            _("Not every department has fed back yet: %(names)s.") % {"names": names},
            status=409,
        )
    if not whistle.calls.filter(status__in=DONE).exists():
        raise whistle_state_error(whistle)
    whistle.status = WhistleStatus.CLOSED
    whistle.closed_at = now
    whistle.closed_by = real_user(actor)
    whistle.close_note = note
    whistle.save(update_fields=["status", "closed_at", "closed_by", "close_note"])
    event_add(whistle=whistle, kind=WhistleEventKind.CLOSED, actor=actor, at=now, note=note)
    audit(
        target=whistle,
        actor=actor,
        changes={"status": [WhistleStatus.OPEN, WhistleStatus.CLOSED]},
        detail="close",
        request=request,
    )
    if whistle.origin_case_id is not None:
        from grassroots.cases.services import case_close_with_whistle

        case = whistle.origin_case
        assert case is not None
        case_close_with_whistle(case=case, actor=actor, whistle_number=whistle.number, note=note, now=now)
    return whistle


@transaction.atomic
def call_rate(
    *,
    call: WhistleCall,
    actor: Any,
    rating: str,
    reason: str = "",
    request: Any = None,
    now: dt.datetime | None = None,
) -> WhistleCall:
    """Rate a department's work once it has fed back (before or after the whistle closes); once only.

    A reason is required unless the rating is "satisfied".
    """
    now = now or timezone.now()
    require(rules.can_rate(actor, call))
    errors: dict[str, list[str]] = {}
    reason = (reason or "").strip()
    if rating not in Satisfaction.values:
        errors["rating"] = [_("Choose satisfied, basically satisfied or dissatisfied.")]
    elif rating != Satisfaction.SATISFIED and not reason:
        errors["reason"] = [_("Say why the work was not fully satisfactory.")]
    if len(reason) > NOTE_MAX:
        errors["reason"] = [_("At most %(max)d characters.") % {"max": NOTE_MAX}]
    if errors:
        raise invalid(errors)
    call = lock_call(call)
    if call.status == CallStatus.RATED:
        raise ApplicationError("already_rated", _("This department's work has already been rated."), status=409)
    if call.status != CallStatus.FED_BACK or call.whistle.status == WhistleStatus.CANCELLED:
        raise call_state_error(call)
    call.status = CallStatus.RATED
    call.rating = rating
    call.rating_reason = reason
    call.rated_at = now
    call.save(update_fields=["status", "rating", "rating_reason", "rated_at"])
    event_add(
        whistle=call.whistle,
        call=call,
        kind=WhistleEventKind.RATED,
        actor=actor,
        at=now,
        note=reason,
        data={"rating": rating},
    )
    audit(
        target=call,
        actor=actor,
        changes={"status": [CallStatus.FED_BACK, CallStatus.RATED], "rating": rating},
        detail="rate",
        request=request,
    )
    notify(
        recipients=department_staff([call.department_id]),
        verb="whistle_rated",
        title=_("Your work on whistle %(number)s was rated: %(rating)s")
        % {"number": call.whistle.number, "rating": Satisfaction(rating).label},
        body=reason,
        url=whistle_url(call.whistle),
        channels=("sms",),
    )
    return call


@transaction.atomic
def whistle_cancel(
    *, whistle: Whistle, actor: Any, reason: str, request: Any = None, now: dt.datetime | None = None
) -> Whistle:
    """Call the departments off (blown by mistake, or the matter went away): calls not yet fed back are
    cancelled and stop escalating; the departments are told. The origin case is left as it is."""
    now = now or timezone.now()
    require(rules.can_close(actor, whistle))
    reason = (reason or "").strip()
    if not reason:
        raise invalid({"reason": [_("Say why the whistle is cancelled.")]})
    if len(reason) > NOTE_MAX:
        raise invalid({"reason": [_("At most %(max)d characters.") % {"max": NOTE_MAX}]})
    whistle = lock_whistle(whistle)
    if whistle.status != WhistleStatus.OPEN:
        raise whistle_state_error(whistle)
    cancelled = list(whistle.calls.filter(status__in=AWAITING_FEEDBACK).values_list("pk", "department_id"))
    ending = Q(pk__in=[pk for pk, _dept in cancelled])
    with rollups_tracking(WhistleCall, ending):
        WhistleCall.objects.filter(ending).update(status=CallStatus.CANCELLED, next_escalation_at=None)
    whistle.status = WhistleStatus.CANCELLED
    whistle.closed_at = now
    whistle.closed_by = real_user(actor)
    whistle.close_note = reason
    whistle.save(update_fields=["status", "closed_at", "closed_by", "close_note"])
    event_add(
        whistle=whistle,
        kind=WhistleEventKind.CANCELLED,
        actor=actor,
        at=now,
        note=reason,
        data={"calls": [pk for pk, _dept in cancelled]},
    )
    audit(
        target=whistle,
        actor=actor,
        changes={"status": [WhistleStatus.OPEN, WhistleStatus.CANCELLED], "calls_cancelled": len(cancelled)},
        detail="cancel",
        request=request,
    )
    notify(
        recipients=department_staff([dept for _pk, dept in cancelled]),
        verb="whistle_cancelled",
        title=_("Whistle %(number)s was called off") % {"number": whistle.number},
        body=reason,
        url=whistle_url(whistle),
        channels=("sms",),
    )
    return whistle
