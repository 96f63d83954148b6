"""A unit's roster of in-service party members reporting to communities (在职党员报到名册).

Each row names a registered person (ID number and name), their unit, the community (and optionally the compound)
they report to, one to three service posts and their skills; committing creates pending member reports through
``member_report_submit`` (channel "roster") for the communities to confirm. A unit's admin imports only their
own unit's members; community or street staff import rows for communities in their area.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from grassroots.accounts.enums import Capability, Role
from grassroots.accounts.roles import anchors_for, organizations_for
from grassroots.catalogue.models import ServiceCategory
from grassroots.core.errors import ApplicationError
from grassroots.core.personal_data import lookup_hash, parse_id_number
from grassroots.frontline.enums import LIVE_REPORT_STATUSES, ReportChannel
from grassroots.frontline.models import MemberReport
from grassroots.frontline.rules.reporting import covers
from grassroots.frontline.services.reporting import MAX_POSTS, MAX_SKILLS, UNIT_REPORT_KINDS, member_report_submit
from grassroots.imports.importers.base import Column, Importer, Row, RowInvalid, error_messages
from grassroots.organizations.models import Organization
from grassroots.people.enums import MemberCategory
from grassroots.people.models import PartyMembership, Person
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Region

NAME = "姓名"
ID_NUMBER = "身份证号"
UNIT = "单位"
COMMUNITY = "报到社区"
COMPOUND = "报到小区"
POSTS = "服务岗位"
SKILLS = "特长"

POST_SEPARATORS = re.compile(r"[、，,;；/\s]+")


def _column_message(column: str, message: str) -> str:
    return _("%(column)s: %(message)s") % {"column": column, "message": message}


@dataclass
class RosterRow:
    id_hash: str
    name: str
    unit: Organization
    region: Region
    posts: list[ServiceCategory]
    skills: str


class MemberRosterImporter(Importer):
    kind = "member_roster"
    capability = Capability.MANAGE_FRONTLINE
    columns = (
        Column(NAME, required=True, sample="王强", width=10),
        Column(ID_NUMBER, required=True, sample="450902198005170011", width=22, text=True),
        Column(UNIT, required=True, sample="区税务局", width=18),
        Column(COMMUNITY, required=True, sample="东岳社区", width=14),
        Column(COMPOUND, sample="", width=14),
        Column(POSTS, required=True, sample="政策宣传、平安巡防", width=24),
        Column(SKILLS, sample="法律咨询", width=24),
    )

    @classmethod
    def allowed(cls, user: Any) -> bool:
        """Staff who manage frontline work somewhere, and units' admins (for their own unit)."""
        return bool(anchors_for(user, cls.capability)) or bool(organizations_for(user, Role.UNIT_ADMIN))

    def __init__(self, *, actor: Any) -> None:
        super().__init__(actor=actor)
        self.my_units = set(organizations_for(actor, Role.UNIT_ADMIN))
        self.is_staff = bool(getattr(actor, "is_superuser", False) or anchors_for(actor, self.capability))
        self.units: dict[str, list[Organization]] = {}
        self.communities: dict[str, list[Region]] = {}
        self.compounds: dict[tuple[int, str], Region | None] = {}
        categories = list(ServiceCategory.objects.filter(is_active=True))
        self.posts = {c.name: c for c in categories} | {c.code: c for c in categories}
        self.seen: dict[str, int] = {}

    # --- lookups -------------------------------------------------------------------------------------------

    @staticmethod
    def _by_code_or_name(found: list[Any], value: str) -> list[Any]:
        """A code names one row; a name may name several."""
        by_code = [x for x in found if x.code == value]
        return by_code or found

    def _unit(self, value: str, errors: list[str]) -> Organization | None:
        if value not in self.units:
            found = list(
                Organization.objects.filter(kind__in=UNIT_REPORT_KINDS).filter(Q(code=value) | Q(name=value))[:5]
            )
            self.units[value] = self._by_code_or_name(found, value)
        found = self.units[value]
        if len(found) == 1:
            return found[0]
        if found:
            errors.append(
                _column_message(UNIT, _("several units are called %(name)s; give the unit's code.") % {"name": value})
            )
        else:
            errors.append(_column_message(UNIT, _("no unit is called or has the code %(value)s.") % {"value": value}))
        return None

    def _community(self, value: str, errors: list[str]) -> Region | None:
        if value not in self.communities:
            found = list(Region.objects.filter(kind=RegionKind.COMMUNITY).filter(Q(code=value) | Q(name=value))[:5])
            self.communities[value] = self._by_code_or_name(found, value)
        found = self.communities[value]
        if len(found) == 1:
            return found[0]
        if found:
            message = _("several communities are called %(name)s; give the community's code.") % {"name": value}
        else:
            message = _("no community is called or has the code %(value)s.") % {"value": value}
        errors.append(_column_message(COMMUNITY, message))
        return None

    def _compound(self, community: Region, value: str, errors: list[str]) -> Region | None:
        key = (community.pk, value)
        if key not in self.compounds:
            found = list(
                Region.objects.filter(kind=RegionKind.COMPOUND, community=community).filter(
                    Q(code=value) | Q(name=value)
                )[:5]
            )
            found = self._by_code_or_name(found, value)
            self.compounds[key] = found[0] if len(found) == 1 else None
        compound = self.compounds[key]
        if compound is None:
            message = _("%(community)s has no compound %(value)s.") % {"community": community, "value": value}
            errors.append(_column_message(COMPOUND, message))
        return compound

    def _posts(self, value: str, errors: list[str]) -> list[ServiceCategory]:
        posts: list[ServiceCategory] = []
        unknown = False
        for name in (n for n in POST_SEPARATORS.split(value) if n):
            post = self.posts.get(name)
            if post is None:
                unknown = True
                errors.append(_column_message(POSTS, _("%(value)s is not a service post.") % {"value": name}))
            elif post not in posts:
                posts.append(post)
        if not unknown and not 1 <= len(posts) <= MAX_POSTS:
            errors.append(_column_message(POSTS, _("choose one to %(max)d service posts.") % {"max": MAX_POSTS}))
        return posts

    def _in_reach(self, unit: Organization, community: Region, errors: list[str]) -> None:
        """A unit's admin imports their own unit's rows; staff import rows for communities in their area."""
        if unit.pk in self.my_units or covers(self.actor, community):
            return
        if self.is_staff:
            message = _("%(name)s is outside the area you may import into.") % {"name": community}
            errors.append(_column_message(COMMUNITY, message))
        else:
            message = _("%(unit)s is not your unit; import only your own unit's members.") % {"unit": unit}
            errors.append(_column_message(UNIT, message))

    # --- rows ----------------------------------------------------------------------------------------------

    def parse_row(self, row: Row) -> RosterRow:
        errors: list[str] = []
        name = self.required(row, NAME, errors)
        id_number = self.required(row, ID_NUMBER, errors)
        id_hash = ""
        if id_number:
            try:
                id_hash = lookup_hash(parse_id_number(id_number).number)
            except ValidationError as exc:
                errors.extend(_column_message(ID_NUMBER, str(m)) for m in exc.messages)
        unit_text = self.required(row, UNIT, errors)
        unit = self._unit(unit_text, errors) if unit_text else None
        community_text = self.required(row, COMMUNITY, errors)
        community = self._community(community_text, errors) if community_text else None
        region = community
        compound_text = row.get(COMPOUND)
        if community is not None and compound_text:
            region = self._compound(community, compound_text, errors)
        posts_text = self.required(row, POSTS, errors)
        posts = self._posts(posts_text, errors) if posts_text else []
        skills = row.get(SKILLS)
        if len(skills) > MAX_SKILLS:
            errors.append(_column_message(SKILLS, _("at most %(max)d characters.") % {"max": MAX_SKILLS}))
        if unit is not None and community is not None:
            self._in_reach(unit, community, errors)
        if errors or unit is None or region is None:
            raise RowInvalid(errors)
        return RosterRow(id_hash=id_hash, name=name, unit=unit, region=region, posts=posts, skills=skills)

    def _persons(self, rows: list[tuple[Row, Any]]) -> dict[str, Person]:
        hashes = [parsed.id_hash for _row, parsed in rows]
        return {p.id_number_hash: p for p in Person.objects.filter(id_number_hash__in=hashes)}

    def _submit(self, person: Person, parsed: RosterRow) -> None:
        member_report_submit(
            actor=self.actor,
            region=parsed.region,
            posts=parsed.posts,
            skills=parsed.skills,
            person=person,
            channel=ReportChannel.ROSTER,
        )

    def _row_errors(self, parsed: RosterRow, person: Person | None, home_units: Mapping[int, int | None]) -> list[str]:
        if person is None:
            return [_column_message(ID_NUMBER, _("no person with this ID number is registered."))]
        if person.name != parsed.name:
            message = _("%(name)s is not the name registered with this ID number.") % {"name": parsed.name}
            return [_column_message(NAME, message)]
        if home_units.get(person.pk) != parsed.unit.pk:
            message = _("%(name)s is not an in-service party member of %(unit)s.") % {
                "name": parsed.name,
                "unit": parsed.unit,
            }
            return [_column_message(UNIT, message)]
        return []

    def check(self, rows: list[tuple[Row, Any]]) -> list[tuple[str, list[str]]]:
        persons = self._persons(rows)
        person_ids = [p.pk for p in persons.values()]
        home_units = dict(
            PartyMembership.objects.filter(person_id__in=person_ids, category=MemberCategory.IN_SERVICE).values_list(
                "person_id", "home_unit_id"
            )
        )
        reported = set(
            MemberReport.objects.filter(person_id__in=person_ids, status__in=LIVE_REPORT_STATUSES).values_list(
                "person_id", flat=True
            )
        )
        results: list[tuple[str, list[str]]] = []
        with transaction.atomic():
            for row, parsed in rows:
                first = self.seen.get(parsed.id_hash)
                if first is not None:
                    message = _("the same ID number is also on row %(row)d.") % {"row": first}
                    results.append(("e", [_column_message(ID_NUMBER, message)]))
                    continue
                self.seen[parsed.id_hash] = row.number
                person = persons.get(parsed.id_hash)
                errors = self._row_errors(parsed, person, home_units)
                if not errors and person is not None and person.pk in reported:
                    errors = [_("%(name)s has already reported to a community.") % {"name": parsed.name}]
                if not errors and person is not None and self.dry_run:
                    try:  # the real service, rolled back below: the same checks as a single report
                        self._submit(person, parsed)
                    except ApplicationError as exc:
                        errors = error_messages(exc)
                results.append(("e", errors) if errors else ("n", []))
            transaction.set_rollback(True)
        return results

    def commit(self, rows: list[tuple[Row, Any]]) -> None:
        persons = self._persons(rows)
        for row, parsed in rows:
            try:
                self._submit(persons[parsed.id_hash], parsed)
            except ApplicationError as exc:
                raise RowInvalid(error_messages(exc), row=row.number) from exc
