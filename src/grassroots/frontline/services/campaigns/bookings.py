"""After signing up: cancel before the shift, check in on the spot, check out (hours served earn points)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.core.audit import model_changes, snapshot
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditAction
from grassroots.frontline.enums import BookingStatus, CampaignStatus
from grassroots.frontline.models import Shift, ShiftBooking
from grassroots.frontline.rules import campaigns as rules
from grassroots.frontline.services.campaigns.common import (
    CHECKIN_EARLY,
    CHECKOUT_GRACE,
    audit,
    booking_state,
    campaign_state,
    require,
    when,
)


def _lock_booking(booking: ShiftBooking) -> ShiftBooking:
    return (
        ShiftBooking.objects.select_for_update(of=("self",))
        .select_related("shift", "campaign__region", "person")
        .get(pk=booking.pk)
    )


def _save_booking(*, booking: ShiftBooking, actor: Any, before: dict[str, Any], detail: str, request: Any) -> None:
    booking.save()
    audit(
        actor=actor,
        action=AuditAction.UPDATE,
        target=booking,
        campaign=booking.campaign,
        changes=model_changes(booking, before),
        detail=detail,
        request=request,
    )


@transaction.atomic
def booking_cancel(
    *, booking: ShiftBooking, actor: Any, request: Any = None, now: dt.datetime | None = None
) -> ShiftBooking:
    """Give a place back before the shift starts (the person, whoever signed them up, or staff)."""
    now = now or timezone.now()
    booking = _lock_booking(booking)
    require(
        rules.is_booked_person(actor, booking)
        or rules.is_booker(actor, booking)
        or rules.can_manage_booking(actor, booking)
    )
    if booking.status != BookingStatus.BOOKED:
        raise booking_state(booking)
    if now >= booking.starts_at:
        raise ApplicationError(
            "shift_started", _("The shift has started; the sign-up can no longer be cancelled."), status=409
        )
    before = snapshot(booking)
    booking.status = BookingStatus.CANCELLED
    _save_booking(booking=booking, actor=actor, before=before, detail="cancel", request=request)
    Shift.objects.filter(pk=booking.shift_id, booked__gt=0).update(booked=F("booked") - 1)
    return booking


@transaction.atomic
def booking_checkin(
    *, booking: ShiftBooking, actor: Any, request: Any = None, now: dt.datetime | None = None
) -> ShiftBooking:
    """Check in at the place: from 30 minutes before the shift until it ends (the person, or staff for them)."""
    now = now or timezone.now()
    booking = _lock_booking(booking)
    require(rules.is_booked_person(actor, booking) or rules.can_manage_booking(actor, booking))
    if booking.status != BookingStatus.BOOKED:
        raise booking_state(booking)
    if booking.campaign.status != CampaignStatus.OPEN:
        raise campaign_state(booking.campaign)
    opens = booking.starts_at - CHECKIN_EARLY
    if not opens <= now < booking.ends_at:
        raise ApplicationError(
            "outside_checkin_window",
            _("Check-in is open from %(opens)s until the shift ends at %(ends)s.")
            % {"opens": when(opens), "ends": when(booking.ends_at)},
            status=409,
        )
    before = snapshot(booking)
    booking.status = BookingStatus.CHECKED_IN
    booking.checked_in_at = now
    _save_booking(booking=booking, actor=actor, before=before, detail="check in", request=request)
    return booking


def served_hours(
    *, checked_in_at: dt.datetime, starts_at: dt.datetime, ends_at: dt.datetime, now: dt.datetime
) -> Decimal:
    """Hours from check-in to check-out (counted at most 2 hours past the shift's end), to the nearest half hour,
    never more than the shift's length plus 2 hours and never below 0."""
    until = min(now, ends_at + CHECKOUT_GRACE)
    hours = Decimal((until - checked_in_at).total_seconds()) / Decimal(3600)
    halves = (hours * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    cap = Decimal((ends_at - starts_at + CHECKOUT_GRACE).total_seconds()) / Decimal(3600)
    return max(Decimal(0), min(halves / 2, cap)).quantize(Decimal("0.01"))


@transaction.atomic
def booking_checkout(
    *, booking: ShiftBooking, actor: Any, request: Any = None, now: dt.datetime | None = None
) -> ShiftBooking:
    """Check out after checking in: the hours served are recorded and earn points."""
    from grassroots.frontline.services.points import points_award_for_booking

    now = now or timezone.now()
    booking = _lock_booking(booking)
    require(rules.is_booked_person(actor, booking) or rules.can_manage_booking(actor, booking))
    if booking.status != BookingStatus.CHECKED_IN or booking.checked_in_at is None:
        raise booking_state(booking)
    if booking.campaign.status not in (CampaignStatus.OPEN, CampaignStatus.FINISHED):
        raise campaign_state(booking.campaign)
    before = snapshot(booking)
    booking.status = BookingStatus.CHECKED_OUT
    booking.checked_out_at = now
    booking.hours = served_hours(
        checked_in_at=booking.checked_in_at, starts_at=booking.starts_at, ends_at=booking.ends_at, now=now
    )
    _save_booking(booking=booking, actor=actor, before=before, detail="check out", request=request)
    points_award_for_booking(booking=booking)
    return booking
