"""Party memberships: a registered person (by ID number), their party organisation, date joined and category."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grassroots.accounts.enums import Capability
from grassroots.core.errors import ApplicationError
from grassroots.core.personal_data import lookup_hash, parse_id_number
from grassroots.imports.importers.base import Column, Importer, Row, RowInvalid, error_messages, parse_date
from grassroots.organizations.models import Organization
from grassroots.people.enums import MemberCategory
from grassroots.people.models import PartyMembership, Person
from grassroots.people.services import party_membership_set

CATEGORIES = {
    "在职党员": MemberCategory.IN_SERVICE,
    "在职": MemberCategory.IN_SERVICE,
    "居民党员": MemberCategory.RESIDENT,
    "居民": MemberCategory.RESIDENT,
    "流动党员": MemberCategory.MOBILE,
    "流动": MemberCategory.MOBILE,
    **{value: value for value in MemberCategory.values},
}


@dataclass
class MembershipRow:
    id_hash: str
    organization: Organization
    joined_on: dt.date
    category: str
    home_unit: Organization | None


class PartyMembershipImporter(Importer):
    kind = "party_memberships"
    capability = Capability.MANAGE_PEOPLE
    columns = (
        Column("身份证号", required=True, sample="450902198005170011", width=22, text=True),
        Column("党组织编码", required=True, sample="O4509020101", width=16, text=True),
        Column("入党日期", required=True, sample="2010-07-01", width=14, text=True),
        Column("党员类别", required=True, sample="居民党员", choices=("在职党员", "居民党员", "流动党员"), width=12),
        Column("工作单位编码", sample="", width=16, text=True),
    )

    def __init__(self, *, actor: Any) -> None:
        super().__init__(actor=actor)
        self.organizations: dict[str, Organization | None] = {}
        self.units: dict[str, Organization | None] = {}
        self.seen: dict[bytes, int] = {}

    def _organization(self, code: str) -> Organization | None:
        if code not in self.organizations:
            # The party organisation must lie within the actor's area; a home unit may be anywhere.
            self.organizations[code] = (
                Organization.objects.visible_to(self.actor, self.capability).filter(code=code).first()
            )
        return self.organizations[code]

    def _unit(self, code: str) -> Organization | None:
        if code not in self.units:
            self.units[code] = Organization.objects.filter(code=code).first()
        return self.units[code]

    def parse_row(self, row: Row) -> MembershipRow:
        errors: list[str] = []
        id_number = self.required(row, "身份证号", errors)
        id_hash = ""
        if id_number:
            try:
                id_hash = lookup_hash(parse_id_number(id_number).number)
            except ValidationError as exc:
                errors.extend(exc.messages)
        org_code = self.required(row, "党组织编码", errors)
        organization = self._organization(org_code) if org_code else None
        if org_code and organization is None:
            errors.append(_("No organisation in your area has the code %(code)s.") % {"code": org_code})
        joined_text = self.required(row, "入党日期", errors)
        joined_on: dt.date | None = None
        if joined_text:
            try:
                joined_on = parse_date(joined_text)
            except RowInvalid as exc:
                errors.extend(exc.messages)
        category_text = self.required(row, "党员类别", errors)
        category = CATEGORIES.get(category_text, "")
        if category_text and not category:
            errors.append(_("The category must be 在职党员, 居民党员 or 流动党员."))
        unit_code = row.get("工作单位编码")
        home_unit = self._unit(unit_code) if unit_code else None
        if unit_code and home_unit is None:
            errors.append(_("No organisation has the code %(code)s.") % {"code": unit_code})
        if errors or organization is None or joined_on is None:
            raise RowInvalid(errors)
        return MembershipRow(id_hash, organization, joined_on, category, home_unit)

    def _persons(self, rows: list[tuple[Row, Any]]) -> dict[str, Person]:
        hashes = [parsed.id_hash for _row, parsed in rows]
        return {
            p.id_number_hash: p
            for p in Person.objects.visible_to(self.actor, self.capability).filter(id_number_hash__in=hashes)
        }

    def _set(self, person: Person, parsed: MembershipRow) -> None:
        party_membership_set(
            actor=self.actor,
            person=person,
            organization=parsed.organization,
            joined_on=parsed.joined_on,
            category=parsed.category,
            home_unit=parsed.home_unit,
        )

    def check(self, rows: list[tuple[Row, Any]]) -> list[tuple[str, list[str]]]:
        persons = self._persons(rows)
        members = set(
            PartyMembership.objects.filter(person__in=list(persons.values())).values_list("person_id", flat=True)
        )
        results: list[tuple[str, list[str]]] = []
        with transaction.atomic():
            for row, parsed in rows:
                key = bytes.fromhex(parsed.id_hash)
                first = self.seen.get(key)
                if first is not None:
                    results.append(("e", [_("The ID number is also on row %(row)d.") % {"row": first}]))
                    continue
                self.seen[key] = row.number
                person = persons.get(parsed.id_hash)
                if person is None:
                    results.append(("e", [_("No person with this ID number is registered in your area.")]))
                    continue
                if self.dry_run:
                    try:  # the real service, rolled back below: the same checks as a single edit
                        self._set(person, parsed)
                    except ApplicationError as exc:
                        results.append(("e", error_messages(exc)))
                        continue
                results.append(("u" if person.pk in members else "n", []))
            transaction.set_rollback(True)
        return results

    def commit(self, rows: list[tuple[Row, Any]]) -> None:
        persons = self._persons(rows)
        for row, parsed in rows:
            try:
                self._set(persons[parsed.id_hash], parsed)
            except ApplicationError as exc:
                raise RowInvalid(error_messages(exc), row=row.number) from exc
