"""Campaigns, their places and shifts: created, opened, finished or called off by staff who run the area."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.cockpit.rollups.engine import tracking as rollups_tracking
from grassroots.core.audit import audit_record, model_changes
from grassroots.core.models import AuditAction
from grassroots.frontline.enums import HOLDING_STATUSES, BookingStatus, CampaignStatus, PlaceKind
from grassroots.frontline.models import Campaign, CampaignPlace, Shift, ShiftBooking
from grassroots.frontline.rules import campaigns as rules
from grassroots.frontline.services.campaigns.common import (
    CAMPAIGN_REGION_KINDS,
    LIVE_CAMPAIGN,
    MAX_NEEDED,
    audit,
    campaign_state,
    invalid,
    require,
)
from grassroots.notifications.services import notify
from grassroots.territory.models import Region


@transaction.atomic
def campaign_create(
    *,
    actor: Any,
    region: Region,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    description: str = "",
    request: Any = None,
    now: dt.datetime | None = None,
) -> Campaign:
    """Start a campaign (as a draft) in a region the actor runs."""
    require(rules.can_manage_region(actor, region), _("You can run campaigns only in your own area."))
    title, description = (title or "").strip(), (description or "").strip()
    if not title:
        raise invalid("title_required", "title", _("Give the campaign a title."))
    if len(title) > 100:
        raise invalid("title_too_long", "title", _("The title is too long (at most 100 characters)."))
    if len(description) > 4000:
        raise invalid("description_too_long", "description", _("The description is too long."))
    if region.kind not in CAMPAIGN_REGION_KINDS:
        raise invalid("region_kind", "region", _("A campaign covers a district, street, community or compound."))
    if ends_on < starts_on:
        raise invalid("dates_order", "ends_on", _("The campaign cannot end before it starts."))
    campaign = Campaign(
        region=region,
        title=title,
        description=description,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    campaign.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, target=campaign, changes=model_changes(campaign, None), request=request
    )
    return campaign


def _transition(
    *, campaign: Campaign, actor: Any, to: str, allowed_from: Sequence[str], detail: str, request: Any
) -> Campaign:
    campaign = Campaign.objects.select_for_update().select_related("region").get(pk=campaign.pk)
    require(rules.can_manage_campaign(actor, campaign))
    if campaign.status not in allowed_from:
        raise campaign_state(campaign)
    before = campaign.status
    campaign.status = to
    campaign.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=campaign,
        changes={"status": [before, to]},
        detail=detail,
        request=request,
    )
    return campaign


@transaction.atomic
def campaign_open(*, campaign: Campaign, actor: Any, request: Any = None, now: dt.datetime | None = None) -> Campaign:
    """Open a draft for sign-up."""
    return _transition(
        campaign=campaign,
        actor=actor,
        to=CampaignStatus.OPEN,
        allowed_from=(CampaignStatus.DRAFT,),
        detail="open",
        request=request,
    )


@transaction.atomic
def campaign_finish(*, campaign: Campaign, actor: Any, request: Any = None, now: dt.datetime | None = None) -> Campaign:
    """Close an open campaign; people already checked in may still check out."""
    return _transition(
        campaign=campaign,
        actor=actor,
        to=CampaignStatus.FINISHED,
        allowed_from=(CampaignStatus.OPEN,),
        detail="finish",
        request=request,
    )


@transaction.atomic
def campaign_cancel(
    *, campaign: Campaign, actor: Any, reason: str = "", request: Any = None, now: dt.datetime | None = None
) -> Campaign:
    """Call a draft or open campaign off: sign-ups not yet served are cancelled and the people told.

    Sign-ups already checked out stay (the hours were served and have earned points); each shift's counter is
    reset to what still holds a place. The shifts are locked first, so a sign-up racing with the cancellation
    either commits before it (and is cancelled here) or finds the campaign cancelled.
    """
    now = now or timezone.now()
    campaign = _transition(
        campaign=campaign,
        actor=actor,
        to=CampaignStatus.CANCELLED,
        allowed_from=LIVE_CAMPAIGN,
        detail=f"cancel {reason}".strip(),
        request=request,
    )
    list(Shift.objects.select_for_update().filter(campaign=campaign).values_list("pk", flat=True))
    pending = ShiftBooking.objects.filter(
        campaign=campaign, status__in=(BookingStatus.BOOKED, BookingStatus.CHECKED_IN)
    )
    people = list(pending.values_list("person_id", flat=True))
    with rollups_tracking(ShiftBooking, Q(campaign=campaign)):
        cancelled = pending.update(status=BookingStatus.CANCELLED)
    for shift in Shift.objects.filter(campaign=campaign):
        held = shift.bookings.filter(status__in=HOLDING_STATUSES).count()
        if shift.booked != held:
            Shift.objects.filter(pk=shift.pk).update(booked=held)
    if cancelled:
        audit(
            actor=actor,
            action=AuditAction.UPDATE,
            target=campaign,
            campaign=campaign,
            changes={"bookings_cancelled": cancelled},
            detail="cancel bookings",
            request=request,
        )
        from grassroots.accounts.models import User

        notify(
            recipients=User.objects.filter(person__in=people, is_active=True),
            verb="campaign_cancelled",
            title=_("%(campaign)s has been called off; your sign-up is cancelled.") % {"campaign": campaign.title},
            body=reason,
            channels=("sms",),
        )
    return campaign


# Places and shifts


def _editable(campaign: Campaign, actor: Any) -> Campaign:
    campaign = Campaign.objects.select_related("region").get(pk=campaign.pk)
    require(rules.can_manage_campaign(actor, campaign))
    if campaign.status not in LIVE_CAMPAIGN:
        raise campaign_state(campaign)
    return campaign


@transaction.atomic
def place_add(
    *,
    campaign: Campaign,
    actor: Any,
    name: str,
    kind: str,
    region: Region | None = None,
    address: str = "",
    request: Any = None,
) -> CampaignPlace:
    """Add a place (a checkpoint, a testing site …) where the campaign's shifts are served."""
    campaign = _editable(campaign, actor)
    name, address = (name or "").strip(), (address or "").strip()
    if not name:
        raise invalid("name_required", "name", _("Name the place."))
    if len(name) > 100 or len(address) > 200:
        raise invalid("too_long", "name" if len(name) > 100 else "address", _("This is too long."))
    if kind not in PlaceKind.values:
        raise invalid("place_kind", "kind", _("Choose the kind of place."))
    if region is not None and not region.path.startswith(campaign.region.path):
        raise invalid("region_outside", "region", _("The place must lie within the campaign's area."))
    place = CampaignPlace.objects.create(campaign=campaign, name=name, kind=kind, region=region, address=address)
    audit(
        actor=actor,
        action=AuditAction.CREATE,
        target=place,
        campaign=campaign,
        changes=model_changes(place, None),
        detail="place",
        request=request,
    )
    return place


def _aware(moment: dt.datetime) -> dt.datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@transaction.atomic
def shift_add(
    *,
    campaign: Campaign,
    place: CampaignPlace,
    actor: Any,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    needed: int,
    duty: str = "",
    request: Any = None,
) -> Shift:
    """Add a shift at one of the campaign's places, within the campaign's dates, needing 1–500 people."""
    campaign = _editable(campaign, actor)
    starts_at, ends_at, duty = _aware(starts_at), _aware(ends_at), (duty or "").strip()
    if place.campaign_id != campaign.pk:
        raise invalid("place_not_in_campaign", "place", _("Choose one of this campaign's places."))
    if ends_at <= starts_at:
        raise invalid("times_order", "ends_at", _("The shift must end after it starts."))
    first, last = timezone.localdate(starts_at), timezone.localdate(ends_at)
    if first < campaign.starts_on or last > campaign.ends_on:
        raise invalid(
            "outside_campaign",
            "starts_at" if first < campaign.starts_on else "ends_at",
            _("The shift must fall within the campaign's dates (%(start)s to %(end)s).")
            % {"start": campaign.starts_on, "end": campaign.ends_on},
        )
    if isinstance(needed, bool) or not isinstance(needed, int) or not 1 <= needed <= MAX_NEEDED:
        raise invalid("needed_range", "needed", _("A shift needs from 1 to %(max)d people.") % {"max": MAX_NEEDED})
    if len(duty) > 200:
        raise invalid("too_long", "duty", _("This is too long."))
    shift = Shift.objects.create(
        campaign=campaign, place=place, starts_at=starts_at, ends_at=ends_at, needed=needed, duty=duty
    )
    audit(
        actor=actor,
        action=AuditAction.CREATE,
        target=shift,
        campaign=campaign,
        changes=model_changes(shift, None),
        detail="shift",
        request=request,
    )
    return shift
