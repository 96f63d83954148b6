"""Writes about people: one function per action, validated, atomic, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from grassroots.accounts.enums import Capability
from grassroots.accounts.roles import anchors_for
from grassroots.core.audit import audit_record, model_changes, snapshot
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditAction
from grassroots.core.personal_data import lookup_hash, normalize_mobile, parse_id_number
from grassroots.core.scope import scope_q
from grassroots.organizations.enums import PARTY_KINDS, UNIT_KINDS
from grassroots.organizations.models import Organization
from grassroots.people.enums import ROLE_PLACE, Employment, MemberCategory, PersonRoleKind
from grassroots.people.models import Ethnicity, PartyMembership, Person, PersonRole
from grassroots.people.pinyin import name_pinyin
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Grid, Household, Region


@dataclass
class PersonData:
    """The fields a caller supplies for a person; ``person_prepare`` validates and fills the rest."""

    name: str
    gender: str = ""
    ethnicity: Ethnicity | None = None
    birth_date: dt.date | None = None
    id_number: str = ""
    mobile: str = ""
    address: str = ""
    household: Household | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)


def person_prepare(data: PersonData, *, instance: Person | None = None) -> Person:
    """Validate ``data`` and return an unsaved Person with hashes, pinyin and scope columns filled.

    Raises ``ApplicationError("person_invalid")`` with per-field messages. The ID number decides birth date
    and gender when they are not given, and must agree with them when they are.
    """
    errors: dict[str, list[str]] = {}
    person = instance or Person()
    name = data.name.strip()
    if not name:
        errors.setdefault("name", []).append(_("A name is required."))
    id_number = ""
    if data.id_number:
        try:
            facts = parse_id_number(data.id_number)
        except ValidationError as exc:
            errors.setdefault("id_number", []).extend(exc.messages)
        else:
            id_number = facts.number
            if data.birth_date and data.birth_date != facts.birth_date:
                errors.setdefault("birth_date", []).append(
                    _("The birth date does not match the ID number (%(date)s).")
                    % {"date": facts.birth_date.isoformat()}
                )
            if data.gender and data.gender != facts.gender:
                errors.setdefault("gender", []).append(_("The gender does not match the ID number."))
            data.birth_date = data.birth_date or facts.birth_date
            data.gender = data.gender or facts.gender
    mobile = ""
    if data.mobile:
        try:
            mobile = normalize_mobile(data.mobile)
        except ValidationError as exc:
            errors.setdefault("mobile", []).extend(exc.messages)
    if not data.gender:
        errors.setdefault("gender", []).append(_("A gender is required."))
    if data.ethnicity is None:
        errors.setdefault("ethnicity", []).append(_("An ethnic group is required."))
    if errors:
        raise ApplicationError("person_invalid", _("The person's details are not valid."), fields=errors)
    person.name = name
    person.name_pinyin, person.name_initials = name_pinyin(name)
    person.gender = data.gender
    person.ethnicity = data.ethnicity  # type: ignore[assignment]
    person.birth_date = data.birth_date
    person.id_number = id_number
    person.id_number_hash = lookup_hash(id_number) if id_number else ""
    person.mobile = mobile
    person.mobile_hash = lookup_hash(mobile) if mobile else ""
    person.address = data.address.strip()
    person.household = data.household
    person.copy_scope_from(data.household)
    person.grid_id = data.household.grid_id if data.household else None
    return person


def _check_duplicate_id(person: Person) -> None:
    if person.id_number_hash and (
        Person.objects.filter(id_number_hash=person.id_number_hash).exclude(pk=person.pk).exists()
    ):
        raise ApplicationError(
            "person_duplicate_id_number",
            _("A person with this ID number already exists."),
            fields={"id_number": [_("Already registered.")]},
        )


@transaction.atomic
def person_create(*, actor: Any, data: PersonData, request: HttpRequest | None = None) -> Person:
    person = person_prepare(data)
    _check_duplicate_id(person)
    person.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, target=person, changes=model_changes(person, None), request=request
    )
    return person


@transaction.atomic
def person_update(*, actor: Any, person: Person, data: PersonData, request: HttpRequest | None = None) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = snapshot(person)
    person_prepare(data, instance=person)
    _check_duplicate_id(person)
    person.save()
    audit_record(
        actor=actor, action=AuditAction.UPDATE, target=person, changes=model_changes(person, before), request=request
    )
    return person


@transaction.atomic
def persons_bulk_create(*, actor: Any, rows: Iterable[PersonData], batch_size: int = 2000) -> int:
    """Create many persons, all or nothing: any invalid row raises with its row number and changes nothing."""
    batch: list[Person] = []
    seen: set[str] = set()
    count = 0
    for number, data in enumerate(rows, start=1):
        try:
            person = person_prepare(data)
        except ApplicationError as exc:
            detail = "; ".join(m for msgs in exc.fields.values() for m in msgs)
            raise ApplicationError(
                "person_row_invalid",
                _("Row %(row)d: %(detail)s") % {"row": number, "detail": detail},
                fields={f"row_{number}": [detail]},
            ) from exc
        if person.id_number_hash:
            if person.id_number_hash in seen:
                raise ApplicationError(
                    "person_row_invalid",
                    _("Row %(row)d: %(detail)s") % {"row": number, "detail": _("duplicate ID number")},
                )
            seen.add(person.id_number_hash)
        batch.append(person)
        if len(batch) >= batch_size:
            Person.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    if batch:
        Person.objects.bulk_create(batch)
        count += len(batch)
    audit_record(actor=actor, action=AuditAction.IMPORT, detail=f"persons: {count}")
    return count


def can_unmask(user: Any, person: Person) -> bool:
    """Whether ``user`` holds the unmask capability over the place ``person`` belongs to."""
    if not anchors_for(user, Capability.UNMASK_PERSONAL_DATA) and not getattr(user, "is_superuser", False):
        return False
    return Person.objects.filter(scope_q(Person, user, Capability.UNMASK_PERSONAL_DATA), pk=person.pk).exists()


UNMASKABLE = ("id_number", "mobile", "address")


@transaction.atomic
def person_unmask(
    *, actor: Any, person: Person, fields: Iterable[str] = UNMASKABLE, request: HttpRequest | None = None
) -> dict[str, str]:
    """Return one person's numbers in clear, writing who read whose what, when and where to the audit log."""
    wanted = [f for f in fields if f in UNMASKABLE]
    if not wanted:
        raise ApplicationError("unmask_field_unknown", _("Nothing to unmask."))
    if not can_unmask(actor, person):
        raise ApplicationError("permission_denied", _("You may not see this person's numbers."), status=403)
    values = {f: getattr(person, f) or "" for f in wanted}
    audit_record(
        actor=actor,
        action=AuditAction.UNMASK,
        target=person,
        changes={"fields": wanted},
        detail=_("Unmasked %(fields)s") % {"fields": ", ".join(wanted)},
        request=request,
    )
    return values


@transaction.atomic
def party_membership_set(
    *,
    actor: Any,
    person: Person,
    organization: Organization,
    joined_on: dt.date,
    category: str,
    home_unit: Organization | None = None,
) -> PartyMembership:
    errors: dict[str, list[str]] = {}
    if organization.kind not in PARTY_KINDS:
        errors["organization"] = [_("Choose a party organisation.")]
    if category not in MemberCategory.values:
        errors["category"] = [_("Unknown category.")]
    if category == MemberCategory.IN_SERVICE and home_unit is None:
        errors["home_unit"] = [_("An in-service party member needs a home unit.")]
    if home_unit is not None and home_unit.kind not in UNIT_KINDS | {"department"}:
        errors["home_unit"] = [_("The home unit must be an agency, enterprise, institution or department.")]
    if joined_on > dt.date.today():
        errors["joined_on"] = [_("The date joined cannot be in the future.")]
    if person.birth_date and joined_on < person.birth_date.replace(year=person.birth_date.year + 18):
        errors.setdefault("joined_on", []).append(_("A party member joins at 18 or older."))
    if errors:
        raise ApplicationError("party_membership_invalid", _("The party membership is not valid."), fields=errors)
    membership, created = PartyMembership.objects.update_or_create(
        person=person,
        defaults={"organization": organization, "joined_on": joined_on, "category": category, "home_unit": home_unit},
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        target=membership,
        changes={"organization": organization.pk, "category": category},
        scope_region=person.community,
    )
    return membership


@transaction.atomic
def person_role_assign(
    *,
    actor: Any,
    person: Person,
    kind: str,
    region: Region | None = None,
    grid: Grid | None = None,
    employment: str = "",
    since: dt.date | None = None,
) -> PersonRole:
    place = ROLE_PLACE.get(kind)
    if place is None:
        raise ApplicationError("person_role_unknown", _("Unknown role."))
    if place == "grid" and grid is None:
        raise ApplicationError(
            "person_role_place", _("This role applies to a grid."), fields={"grid": [_("Required.")]}
        )
    if place not in ("grid", "any") and (region is None or region.kind != place):
        raise ApplicationError(
            "person_role_place",
            _("This role applies to a %(place)s.") % {"place": RegionKind(place).label},
            fields={"region": [_("Choose the right kind of place.")]},
        )
    if place == "any" and region is None and grid is None:
        raise ApplicationError("person_role_place", _("Say where the role applies."))
    if kind == PersonRoleKind.GRID_WORKER and employment not in Employment.values:
        raise ApplicationError(
            "person_role_employment",
            _("A grid worker is full-time or part-time."),
            fields={"employment": [_("Required.")]},
        )
    single = (
        PersonRole.objects.filter(kind=kind, grid=grid, region=region)
        if kind
        in (
            PersonRoleKind.GRID_HEAD,
            PersonRoleKind.BUILDING_HEAD,
            PersonRoleKind.DEPUTY_BUILDING_HEAD_OWNER,
            PersonRoleKind.DEPUTY_BUILDING_HEAD_PROPERTY,
            PersonRoleKind.COMMUNITY_SECRETARY,
        )
        else None
    )
    if single is not None and single.exclude(person=person).exists():
        raise ApplicationError("person_role_taken", _("Someone already holds this role here."))
    role, created = PersonRole.objects.get_or_create(
        person=person, kind=kind, region=region, grid=grid, defaults={"employment": employment, "since": since}
    )
    if created:
        audit_record(actor=actor, action=AuditAction.CREATE, target=role, changes={"kind": kind})
    return role
