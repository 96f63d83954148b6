"""Signing up for shifts, one person or a squad at once.

The cap is decided by one conditional UPDATE (``booked < needed``, decision 0007); the person's row is locked
before their bookings are checked, so two simultaneous sign-ups of one person cannot both pass the "already
booked then?" check on PostgreSQL (SQLite serialises writers anyway).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.core.audit import model_changes
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditAction
from grassroots.frontline.enums import HOLDING_STATUSES, CampaignStatus
from grassroots.frontline.models import Campaign, Shift, ShiftBooking
from grassroots.frontline.rules import campaigns as rules
from grassroots.frontline.services.campaigns.common import (
    audit,
    invalid,
    require,
    when,
)
from grassroots.notifications.services import notify
from grassroots.organizations.enums import OrganizationKind
from grassroots.organizations.models import Organization
from grassroots.people.models import Person


def _fresh_shift(shift: Shift, now: dt.datetime) -> Shift:
    shift = Shift.objects.select_related("campaign__region", "place").get(pk=shift.pk)
    if shift.campaign.status != CampaignStatus.OPEN:
        raise ApplicationError("campaign_not_open", _("This campaign is not open for sign-up."), status=409)
    if now >= shift.starts_at:
        raise ApplicationError("shift_started", _("This shift has already started; sign-up is closed."), status=409)
    return shift


def _conflict(person_id: int, shift: Shift) -> str | None:
    """Why ``person_id`` cannot take ``shift`` (already on it, or booked elsewhere at that time), or None."""
    holding = ShiftBooking.objects.filter(person_id=person_id, status__in=HOLDING_STATUSES)
    if holding.filter(shift=shift).exists():
        return _("Already signed up for this shift.")
    other = (
        holding.filter(starts_at__lt=shift.ends_at, ends_at__gt=shift.starts_at)
        .select_related("campaign")
        .order_by("starts_at")
        .first()
    )
    if other is not None:
        return _("Already signed up for %(campaign)s from %(start)s to %(end)s, at the same time.") % {
            "campaign": other.campaign.title,
            "start": when(other.starts_at),
            "end": when(other.ends_at),
        }
    return None


def _still_open(campaign: Campaign) -> None:
    """After the counter moved (the shift row is now locked by us): the campaign may have been cancelled."""
    if not Campaign.objects.filter(pk=campaign.pk, status=CampaignStatus.OPEN).exists():
        raise ApplicationError("campaign_not_open", _("This campaign is not open for sign-up."), status=409)


def _full() -> ApplicationError:
    return ApplicationError("shift_full", _("This shift is full."), status=409)


def _book(*, shift: Shift, person: Person, squad: Organization | None, actor: Any, now: dt.datetime) -> ShiftBooking:
    booking = ShiftBooking(
        shift=shift,
        person=person,
        squad=squad,
        booked_at=now,
        booked_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    booking.save()
    return booking


def _leading_squad(actor: Any, person: Person, squad: Organization | None) -> Organization | None:
    """The squad (``squad`` or one the actor leads) that ``person`` belongs to and the actor leads, if any."""
    squads = [squad] if squad is not None else rules.led_squads(actor)
    for candidate in squads:
        if rules.is_squad_leader(actor, candidate) and candidate.memberships.filter(person=person).exists():
            return candidate
    return None


@transaction.atomic
def shift_signup(
    *,
    shift: Shift,
    actor: Any,
    person: Person | None = None,
    squad: Organization | None = None,
    request: Any = None,
    now: dt.datetime | None = None,
) -> ShiftBooking:
    """Sign a person up for a shift: themselves (``person`` None), or someone else by staff or a squad leader."""
    now = now or timezone.now()
    shift = _fresh_shift(shift, now)
    campaign = shift.campaign
    own_id = getattr(actor, "person_id", None)
    if person is None or person.pk == own_id:
        if own_id is None:
            raise ApplicationError(
                "no_person", _("Your account is not linked to a person; ask your community to link it."), status=403
            )
        require(rules.can_sign_up_self(actor, campaign), _("This campaign is not meant for your community."))
        person_id = own_id
        if squad is not None and not squad.memberships.filter(person_id=own_id).exists():
            squad = None
    else:
        leading = _leading_squad(actor, person, squad)
        if leading is not None and rules.can_sign_up_squad(actor, campaign, leading):
            squad = leading
        else:
            require(rules.can_manage_campaign(actor, campaign))
            if squad is not None and not squad.memberships.filter(person=person).exists():
                raise invalid("not_a_member", "person", _("This person is not a member of the squad."))
        person_id = person.pk
    # The person's row lock makes the "already booked then?" check safe against a simultaneous sign-up.
    person = Person.objects.select_for_update().get(pk=person_id)
    problem = _conflict(person.pk, shift)
    if problem is not None:
        raise ApplicationError("already_booked", problem, fields={"person": [problem]}, status=409)
    if Shift.objects.filter(pk=shift.pk, booked__lt=F("needed")).update(booked=F("booked") + 1) != 1:
        raise _full()
    _still_open(campaign)
    booking = _book(shift=shift, person=person, squad=squad, actor=actor, now=now)
    audit(
        actor=actor,
        action=AuditAction.CREATE,
        target=booking,
        campaign=campaign,
        changes=model_changes(booking, None),
        detail="sign up",
        request=request,
    )
    if person.pk != own_id:
        _tell_signed_up([person], shift)
    return booking


def _tell_signed_up(persons: Sequence[Person], shift: Shift) -> None:
    from grassroots.accounts.models import User

    notify(
        recipients=User.objects.filter(person__in=[p.pk for p in persons], is_active=True),
        verb="shift_signed_up",
        title=_("You are signed up for %(campaign)s: %(place)s, %(start)s.")
        % {"campaign": shift.campaign.title, "place": shift.place.name, "start": when(shift.starts_at)},
        channels=("sms",),
    )


def _field_names(persons: Sequence[Person]) -> dict[int, str]:
    """A field name per person: the name, with the id added where two share a name."""
    seen: dict[str, int] = {}
    for p in persons:
        seen[p.name] = seen.get(p.name, 0) + 1
    return {p.pk: p.name if seen[p.name] == 1 else f"{p.name} ({p.pk})" for p in persons}


@transaction.atomic
def squad_signup(
    *,
    shift: Shift,
    actor: Any,
    squad: Organization,
    persons: Sequence[Person],
    request: Any = None,
    now: dt.datetime | None = None,
) -> list[ShiftBooking]:
    """Sign several members of a vanguard squad up at once: everyone gets a place, or nobody does.

    A refusal names each person's problem (a field per person) and says how many places are left.
    """
    now = now or timezone.now()
    if squad.kind != OrganizationKind.VANGUARD_SQUAD:
        raise invalid("not_a_squad", "squad", _("Choose a vanguard squad."))
    shift = _fresh_shift(shift, now)
    campaign = shift.campaign
    require(
        rules.can_sign_up_squad(actor, campaign, squad), _("Only the squad's leader or campaign staff can do this.")
    )
    ids = list(dict.fromkeys(p.pk for p in persons))
    if not ids:
        raise invalid("persons_required", "persons", _("Choose who goes."))
    locked = list(Person.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    by_id = {p.pk: p for p in locked}
    chosen = [by_id[i] for i in ids if i in by_id]
    names = _field_names(chosen)
    members = set(squad.memberships.filter(person_id__in=ids).values_list("person_id", flat=True))
    fields: dict[str, list[str]] = {}
    for p in chosen:
        problem = _("Not a member of this squad.") if p.pk not in members else _conflict(p.pk, shift)
        if problem is not None:
            fields[names[p.pk]] = [problem]
    left = shift.needed - Shift.objects.filter(pk=shift.pk).values_list("booked", flat=True).get()
    too_few = _("Only %(left)d places are left on this shift for %(asked)d people.") % {
        "left": max(left, 0),
        "asked": len(chosen),
    }
    if len(chosen) > left:
        fields["persons"] = [too_few]
    if fields:
        raise ApplicationError(
            "squad_signup_refused",
            _("Nobody was signed up; see each person's problem."),
            fields=fields,
            status=409,
        )
    n = len(chosen)
    moved = Shift.objects.filter(pk=shift.pk, booked__lte=F("needed") - n).update(booked=F("booked") + n)
    if moved != 1:
        raise ApplicationError("shift_full", too_few, fields={"persons": [too_few]}, status=409)
    _still_open(campaign)
    bookings = []
    for p in chosen:
        booking = _book(shift=shift, person=p, squad=squad, actor=actor, now=now)
        audit(
            actor=actor,
            action=AuditAction.CREATE,
            target=booking,
            campaign=campaign,
            changes=model_changes(booking, None),
            detail="squad sign up",
            request=request,
        )
        bookings.append(booking)
    _tell_signed_up([p for p in chosen if p.pk != getattr(actor, "person_id", None)], shift)
    return bookings
