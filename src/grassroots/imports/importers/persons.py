"""Persons roster: one person per row, placed in a household (entrance code + room number)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from grassroots.accounts.enums import Capability
from grassroots.core.errors import ApplicationError
from grassroots.core.personal_data import lookup_hash, normalize_id_number
from grassroots.imports.importers.base import Column, Importer, Row, RowInvalid, error_messages
from grassroots.imports.importers.common import RegionLookup
from grassroots.people.models import Ethnicity, Person
from grassroots.people.services import PersonData, person_prepare
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Grid, Household, Region
from grassroots.territory.services import household_create

GENDERS = {"男": "male", "女": "female"}
UPDATED_FIELDS = [
    "name",
    "name_pinyin",
    "name_initials",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number",
    "id_number_hash",
    "mobile",
    "mobile_hash",
    "address",
    "household",
    "district",
    "street",
    "community",
    "compound",
    "grid",
]


@dataclass
class PersonRow:
    data: PersonData
    entrance: Region
    room: str
    id_hash: str


class PersonImporter(Importer):
    kind = "persons"
    capability = Capability.MANAGE_PEOPLE
    columns = (
        Column("姓名", required=True, sample="张伟"),
        Column("性别", sample="男", choices=("男", "女"), width=8),
        Column("民族", required=True, sample="汉族", width=10),
        Column("身份证号", required=True, sample="450902198005170011", width=22, text=True),
        Column("手机号", sample="13907750001", width=16, text=True),
        Column("住址", sample="玉州区名山街道东岳社区1栋101", width=30),
        Column("所在单元编码", required=True, sample="4509020101010101", width=20, text=True),
        Column("户号", required=True, sample="101", width=8, text=True),
    )

    def __init__(self, *, actor: Any) -> None:
        super().__init__(actor=actor)
        self.regions = RegionLookup(actor=actor, capability=self.capability)
        self.ethnicities = {e.name: e for e in Ethnicity.objects.all()}
        self.seen: dict[bytes, int] = {}
        self.households: dict[tuple[int, str], Household] = {}
        self.grids: dict[int, Grid | None] = {}

    def _ethnicity(self, value: str) -> Ethnicity | None:
        return self.ethnicities.get(value) or self.ethnicities.get(f"{value}族")

    def parse_row(self, row: Row) -> PersonRow:
        errors: list[str] = []
        name = self.required(row, "姓名", errors)
        gender = row.get("性别")
        if gender and gender not in GENDERS:
            errors.append(_("Gender must be 男 or 女."))
        ethnicity_name = self.required(row, "民族", errors)
        ethnicity = self._ethnicity(ethnicity_name) if ethnicity_name else None
        if ethnicity_name and ethnicity is None:
            errors.append(_("Unknown ethnic group: %(value)s.") % {"value": ethnicity_name})
        id_number = self.required(row, "身份证号", errors)
        entrance_code = self.required(row, "所在单元编码", errors)
        room = self.required(row, "户号", errors)
        entrance: Region | None = None
        if entrance_code:
            try:
                entrance = self.regions.get(entrance_code, kind=RegionKind.ENTRANCE)
            except RowInvalid as exc:
                errors.extend(exc.messages)
        data = PersonData(
            name=name,
            gender=GENDERS.get(gender, ""),
            ethnicity=ethnicity,
            id_number=id_number,
            mobile=row.get("手机号"),
            address=row.get("住址"),
        )
        if self.dry_run and name and ethnicity is not None and id_number:
            # (the commit prepares each person once, in ``commit``, which raises on the same errors)
            try:
                # The same validation as every other way of registering a person.
                person_prepare(PersonData(**{**data.__dict__, "errors": {}}))
            except ApplicationError as exc:
                fields = dict(exc.fields)
                if "id_number" in fields and not gender:
                    fields.pop("gender", None)  # the gender would have come from the ID number
                errors.extend(m for msgs in fields.values() for m in msgs)
        if errors or entrance is None:
            raise RowInvalid(errors)
        return PersonRow(data=data, entrance=entrance, room=room, id_hash=lookup_hash(normalize_id_number(id_number)))

    def check(self, rows: list[tuple[Row, Any]]) -> list[tuple[str, list[str]]]:
        hashes = [parsed.id_hash for _row, parsed in rows]
        existing = set(Person.objects.filter(id_number_hash__in=hashes).values_list("id_number_hash", flat=True))
        writable = (
            set(
                Person.objects.visible_to(self.actor, self.capability)
                .filter(id_number_hash__in=existing)
                .values_list("id_number_hash", flat=True)
            )
            if existing
            else set()
        )
        results: list[tuple[str, list[str]]] = []
        for row, parsed in rows:
            key = bytes.fromhex(parsed.id_hash)
            first = self.seen.get(key)
            if first is not None:
                results.append(("e", [_("The ID number is also on row %(row)d.") % {"row": first}]))
                continue
            self.seen[key] = row.number
            if parsed.id_hash in existing:
                if parsed.id_hash not in writable:
                    results.append(("e", [_("A person with this ID number is registered outside your area.")]))
                else:
                    results.append(("u", []))
            else:
                results.append(("n", []))
        return results

    def _grid_for(self, entrance: Region) -> Grid | None:
        if entrance.pk not in self.grids:
            building = Region.objects.get_parent(entrance)
            areas = [pk for pk in (entrance.compound_id, building.pk if building else None) if pk]
            self.grids[entrance.pk] = Grid.objects.filter(areas__in=areas).order_by("code").first()
        return self.grids[entrance.pk]

    def _household(self, entrance: Region, room: str) -> Household:
        key = (entrance.pk, room)
        household = self.households.get(key)
        if household is None:  # not stored (``_prefetch_households`` looked): create it
            household = household_create(
                actor=self.actor, entrance=entrance, number=room, grid=self._grid_for(entrance)
            )
            self.households[key] = household
        return household

    def _prefetch_households(self, rows: list[tuple[Row, Any]]) -> None:
        """One query for the batch's households that exist already."""
        wanted = {(parsed.entrance.pk, parsed.room) for _row, parsed in rows} - set(self.households)
        if not wanted:
            return
        if len(self.households) > 10000:
            self.households.clear()
        found = Household.objects.filter(
            entrance_id__in={e for e, _r in wanted}, number__in={r for _e, r in wanted}
        ).select_related("entrance")
        for household in found:
            key = (household.entrance_id, household.number)
            if key in wanted:
                self.households[key] = household

    def commit(self, rows: list[tuple[Row, Any]]) -> None:
        self._prefetch_households(rows)
        existing = {
            p.id_number_hash: p
            for p in Person.objects.filter(id_number_hash__in=[parsed.id_hash for _row, parsed in rows])
        }
        new: list[Person] = []
        updated: list[Person] = []
        for row, parsed in rows:
            parsed.data.household = self._household(parsed.entrance, parsed.room)
            instance = existing.get(parsed.id_hash)
            try:
                person = person_prepare(parsed.data, instance=instance)
            except ApplicationError as exc:
                raise RowInvalid(error_messages(exc), row=row.number) from exc
            (updated if instance is not None else new).append(person)
        if new:
            Person.objects.bulk_create(new)
        if updated:
            Person.objects.bulk_update(updated, UPDATED_FIELDS)
