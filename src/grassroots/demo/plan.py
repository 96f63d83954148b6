"""The demo district as plain rows, generated before anything is written.

Rows refer to each other by code (regions, grids, organisations) or by index (households, persons), so the plan
is a pure value: the same seed and scale give the same plan, byte for byte, and ``DemoPlan.fingerprint`` proves
it without a database. ``grassroots.demo.builder`` writes a plan through the services.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

# Ages, terms and dates joined are counted to this day, not to today, so the plan does not change with the clock.
AS_OF = dt.date(2026, 6, 30)


class RegionRow(NamedTuple):
    kind: str
    name: str
    code: str
    parent_code: str | None


class GridRow(NamedTuple):
    code: str
    name: str
    community_code: str
    area_codes: tuple[str, ...]
    # A rectangle (west, south, east, north) in degrees; the builder turns it into a GeoJSON Polygon.
    bbox: tuple[float, float, float, float]


class HouseholdRow(NamedTuple):
    entrance_code: str
    number: str
    grid_code: str


class PersonRow(NamedTuple):
    name: str
    gender: str
    ethnicity_code: str
    birth_date: dt.date
    id_number: str
    mobile: str
    address: str
    household: int


class OrgRow(NamedTuple):
    kind: str
    name: str
    code: str
    region_code: str
    parent_code: str | None = None
    grid_code: str | None = None
    formation: str = ""
    credit_code: str = ""
    served_compounds: tuple[str, ...] = ()


class PartyRow(NamedTuple):
    person: int
    organization_code: str
    category: str
    joined_on: dt.date
    home_unit_code: str | None


class MemberRow(NamedTuple):
    organization_code: str
    person: int
    role: str
    since: dt.date


class RoleRow(NamedTuple):
    person: int
    kind: str
    employment: str
    region_code: str | None
    grid_code: str | None
    since: dt.date


class SeatRow(NamedTuple):
    community_code: str
    person: int
    from_organization_code: str
    position: str
    term_start: dt.date
    term_end: dt.date


class LoginRow(NamedTuple):
    username: str
    role: str
    region_code: str | None
    grid_code: str | None
    person: int | None
    superuser: bool = False


@dataclass
class DemoPlan:
    seed: int
    scale: float
    regions: list[RegionRow] = field(default_factory=list)
    grids: list[GridRow] = field(default_factory=list)
    households: list[HouseholdRow] = field(default_factory=list)
    persons: list[PersonRow] = field(default_factory=list)
    organizations: list[OrgRow] = field(default_factory=list)
    party: list[PartyRow] = field(default_factory=list)
    memberships: list[MemberRow] = field(default_factory=list)
    roles: list[RoleRow] = field(default_factory=list)
    seats: list[SeatRow] = field(default_factory=list)
    logins: list[LoginRow] = field(default_factory=list)

    def tables(self) -> dict[str, list[tuple[object, ...]]]:
        return {
            "regions": list(self.regions),
            "grids": list(self.grids),
            "households": list(self.households),
            "persons": list(self.persons),
            "organizations": list(self.organizations),
            "party": list(self.party),
            "memberships": list(self.memberships),
            "roles": list(self.roles),
            "seats": list(self.seats),
            "logins": list(self.logins),
        }

    def fingerprint(self) -> str:
        """SHA-256 over every generated row, in order: equal plans, equal fingerprints."""
        digest = hashlib.sha256()
        for name, rows in self.tables().items():
            digest.update(f"{name}:{len(rows)}\n".encode())
            for row in rows:
                digest.update(repr(row).encode())
                digest.update(b"\n")
        return digest.hexdigest()


def rows_digest(rows: Iterable[object]) -> str:
    """SHA-256 of ``repr`` of each row: for comparing what was written with what was planned."""
    digest = hashlib.sha256()
    for row in rows:
        digest.update(repr(row).encode())
        digest.update(b"\n")
    return digest.hexdigest()
