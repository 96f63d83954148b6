"""A called department answers (报到): acknowledge, report on site (with a photo), feed back what it did.

The on-time flags are stored when the report and the feedback happen (``reported_on_time``,
``handled_on_time``), so the scorecards count them instead of recomputing deadlines.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.cases.services.photos import photos_check
from grassroots.core.errors import ApplicationError
from grassroots.notifications.services import notify
from grassroots.whistle import rules
from grassroots.whistle.enums import AWAITING_REPORT, CallStatus, WhistleEventKind, WhistleStatus
from grassroots.whistle.models import WhistleCall
from grassroots.whistle.services.common import (
    audit,
    blowing_staff,
    call_state_error,
    event_add,
    invalid,
    lock_call,
    real_user,
    require,
    whistle_url,
)

PEOPLE_MAX = 200
NOTE_MAX = 500
FEEDBACK_MAX = 2000


def _open_call(call: WhistleCall, allowed: set[str]) -> None:
    if call.whistle.status != WhistleStatus.OPEN or call.status not in allowed:
        raise call_state_error(call)


@transaction.atomic
def call_acknowledge(
    *, call: WhistleCall, actor: Any, request: Any = None, now: dt.datetime | None = None
) -> WhistleCall:
    """The department says it has the call (optional: reporting on site acknowledges too)."""
    now = now or timezone.now()
    require(rules.can_answer(actor, call))
    call = lock_call(call)
    _open_call(call, {CallStatus.CALLED})
    call.status = CallStatus.ACKNOWLEDGED
    call.acknowledged_at = now
    call.save(update_fields=["status", "acknowledged_at"])
    event_add(whistle=call.whistle, call=call, kind=WhistleEventKind.ACKNOWLEDGED, actor=actor, at=now)
    audit(
        target=call,
        actor=actor,
        changes={"status": [CallStatus.CALLED, CallStatus.ACKNOWLEDGED]},
        detail="acknowledge",
        request=request,
    )
    return call


def call_report(
    *,
    call: WhistleCall,
    actor: Any,
    on_site_people: str,
    note: str = "",
    photo: UploadedFile | None = None,
    request: Any = None,
    now: dt.datetime | None = None,
) -> WhistleCall:
    """The department reports on site (报到): who came, a note and optionally a photo taken there.

    ``reported_on_time`` is whether it came by ``report_due``; the call stops escalating.
    """
    now = now or timezone.now()
    require(rules.can_answer(actor, call))
    errors: dict[str, list[str]] = {}
    people = (on_site_people or "").strip()
    if not people:
        errors["on_site_people"] = [_("Say who came on site.")]
    elif len(people) > PEOPLE_MAX:
        errors["on_site_people"] = [_("At most %(max)d characters.") % {"max": PEOPLE_MAX}]
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = [_("At most %(max)d characters.") % {"max": NOTE_MAX}]
    checked: tuple[UploadedFile, str, str] | None = None
    if photo is not None:
        try:
            checked = photos_check([photo])[0]
        except ApplicationError as exc:
            errors["photo"] = exc.fields.get("photos") or [exc.message]
    if errors:
        raise invalid(errors)
    stored: list[tuple[Any, str]] = []
    try:
        with transaction.atomic():
            call = lock_call(call)
            _open_call(call, set(AWAITING_REPORT))
            before = call.status
            call.status = CallStatus.REPORTED
            call.reported_at = now
            call.reported_by = real_user(actor)
            call.on_site_people = people
            call.report_note = note
            call.reported_on_time = now <= call.report_due
            call.next_escalation_at = None
            if checked is not None:
                upload, extension, _content_type = checked
                call.report_photo.save(f"{secrets.token_hex(16)}.{extension}", upload, save=False)
                stored.append((call.report_photo.storage, str(call.report_photo.name)))
            call.save()
            event_add(
                whistle=call.whistle,
                call=call,
                kind=WhistleEventKind.REPORTED,
                actor=actor,
                at=now,
                note=people if not note else f"{people}: {note}",
                data={"on_time": call.reported_on_time, "photo": checked is not None},
            )
            audit(
                target=call,
                actor=actor,
                changes={"status": [before, call.status], "reported_on_time": call.reported_on_time},
                detail="report on site",
                request=request,
            )
            whistle = call.whistle
            notify(
                recipients=blowing_staff(whistle),
                verb="whistle_reported",
                title=_("%(department)s is on site for whistle %(number)s")
                % {"department": call.department.name, "number": whistle.number},
                body=people,
                url=whistle_url(whistle),
                channels=("sms",),
            )
    except BaseException:
        for storage, name in stored:
            storage.delete(name)
        raise
    return call


@transaction.atomic
def call_feedback(
    *, call: WhistleCall, actor: Any, note: str, request: Any = None, now: dt.datetime | None = None
) -> WhistleCall:
    """The department says what it did, after reporting on site; ``handled_on_time`` is whether by ``handle_due``."""
    now = now or timezone.now()
    require(rules.can_answer(actor, call))
    note = (note or "").strip()
    if not note:
        raise invalid({"note": [_("Say what was done.")]})
    if len(note) > FEEDBACK_MAX:
        raise invalid({"note": [_("At most %(max)d characters.") % {"max": FEEDBACK_MAX}]})
    call = lock_call(call)
    if call.whistle.status == WhistleStatus.OPEN and call.status in AWAITING_REPORT:
        raise ApplicationError(
            "report_first",
            _("Report on site before feeding back."),
            fields={"note": [_("Report on site first.")]},
            status=409,
        )
    _open_call(call, {CallStatus.REPORTED})
    call.status = CallStatus.FED_BACK
    call.fed_back_at = now
    call.feedback_note = note
    call.handled_on_time = now <= call.handle_due
    call.save(update_fields=["status", "fed_back_at", "feedback_note", "handled_on_time"])
    event_add(
        whistle=call.whistle,
        call=call,
        kind=WhistleEventKind.FED_BACK,
        actor=actor,
        at=now,
        note=note,
        data={"on_time": call.handled_on_time},
    )
    audit(
        target=call,
        actor=actor,
        changes={"status": [CallStatus.REPORTED, CallStatus.FED_BACK], "handled_on_time": call.handled_on_time},
        detail="feed back",
        request=request,
    )
    whistle = call.whistle
    notify(
        recipients=blowing_staff(whistle),
        verb="whistle_fed_back",
        title=_("%(department)s fed back on whistle %(number)s")
        % {"department": call.department.name, "number": whistle.number},
        body=note[:200],
        url=whistle_url(whistle),
        channels=("sms",),
    )
    return call
