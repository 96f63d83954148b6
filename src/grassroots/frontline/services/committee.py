"""Part-time committee members (兼职委员): leaders of units, property companies and owners' committees who sit on
a community's committee for a term. The seat itself is ``organizations.CommitteeSeat``; these are its writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.core.audit import audit_record
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditAction
from grassroots.core.personal_data import lookup_hash, parse_id_number
from grassroots.frontline.rules.reporting import covers
from grassroots.organizations.enums import OrganizationKind
from grassroots.organizations.models import CommitteeSeat, Organization
from grassroots.people.models import Person
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Region

# Whose leaders sit on community committees as part-time members.
SEAT_ORGANIZATION_KINDS = frozenset(
    {
        OrganizationKind.AGENCY,
        OrganizationKind.ENTERPRISE,
        OrganizationKind.PUBLIC_INSTITUTION,
        OrganizationKind.DEPARTMENT,
        OrganizationKind.PROPERTY_COMPANY,
        OrganizationKind.OWNERS_COMMITTEE,
        OrganizationKind.SOCIAL_ORGANIZATION,
    }
)
POSITION_MAX = 60


def _denied() -> ApplicationError:
    return ApplicationError(
        "not_allowed", _("You may manage the committee only of a community you look after."), status=403
    )


def committee_person_find(*, name: str, id_number: str) -> Person:
    """The person with this ID number, if the name matches too (so a number alone reveals nobody)."""
    errors: dict[str, list[str]] = {}
    try:
        number = parse_id_number(id_number or "").number
    except ValidationError:
        raise ApplicationError(
            "seat_invalid",
            _("Please correct the errors below."),
            fields={"id_number": [_("Enter a valid ID number.")]},
        ) from None
    person = Person.objects.filter(id_number_hash=lookup_hash(number)).first()
    if person is None or person.name != (name or "").strip():
        errors["id_number"] = [_("No person with this name and ID number is registered.")]
        raise ApplicationError("seat_invalid", _("Please correct the errors below."), fields=errors)
    return person


@transaction.atomic
def committee_seat_add(
    *,
    actor: Any,
    community: Region,
    person: Person,
    from_organization: Organization,
    position: str,
    term_start: dt.date,
    term_end: dt.date | None = None,
    request: Any = None,
) -> CommitteeSeat:
    """Seat ``person`` (a leader of ``from_organization``) on the community's committee for a term."""
    if community.kind != RegionKind.COMMUNITY:
        raise ApplicationError(
            "seat_invalid", _("Please correct the errors below."), fields={"community": [_("Choose a community.")]}
        )
    if not covers(actor, community):
        raise _denied()
    errors: dict[str, list[str]] = {}
    position = (position or "").strip()
    if not position:
        errors["position"] = [_("Say what seat they hold, e.g. 兼职委员.")]
    elif len(position) > POSITION_MAX:
        errors["position"] = [_("At most %(n)d characters.") % {"n": POSITION_MAX}]
    if from_organization.kind not in SEAT_ORGANIZATION_KINDS:
        errors["from_organization"] = [
            _("Part-time members come from units, property companies, owners' committees or social organisations.")
        ]
    if from_organization.district_id != community.district_id:
        errors.setdefault("from_organization", []).append(_("The organisation is not in this district."))
    if term_end is not None and term_end < term_start:
        errors["term_end"] = [_("The term cannot end before it starts.")]
    overlapping = CommitteeSeat.objects.filter(community_region=community, person=person).exclude(
        term_end__lt=term_start
    )
    if term_end is not None:
        overlapping = overlapping.filter(term_start__lte=term_end)
    if overlapping.exists():
        errors["term_start"] = [_("This person already holds a seat on this committee in that term.")]
    if errors:
        raise ApplicationError("seat_invalid", _("Please correct the errors below."), fields=errors)
    seat = CommitteeSeat.objects.create(
        community_region=community,
        person=person,
        from_organization=from_organization,
        position=position,
        term_start=term_start,
        term_end=term_end,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=seat,
        changes={"organization": from_organization.name, "term": [str(term_start), str(term_end or "")]},
        request=request,
    )
    return seat


@transaction.atomic
def committee_seat_end(
    *, seat: CommitteeSeat, actor: Any, term_end: dt.date | None = None, request: Any = None
) -> CommitteeSeat:
    """End a seat's term (today unless a date is given)."""
    if not covers(actor, seat.community_region):
        raise _denied()
    term_end = term_end or timezone.localdate()
    if term_end < seat.term_start:
        raise ApplicationError(
            "seat_invalid",
            _("Please correct the errors below."),
            fields={"term_end": [_("The term cannot end before it starts.")]},
        )
    before = seat.term_end
    seat.term_end = term_end
    seat.save(update_fields=["term_end"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=seat,
        changes={"term_end": [str(before or ""), str(term_end)]},
        request=request,
    )
    return seat
