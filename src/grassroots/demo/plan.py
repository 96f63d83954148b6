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


class ItemProviderRow(NamedTuple):
    item_code: str
    organization_code: str


class BrandRow(NamedTuple):
    name: str
    community_code: str
    category_code: str
    description: str
    provider_codes: tuple[str, ...]


class StationRow(NamedTuple):
    name: str
    region_code: str
    location: str
    opening_hours: str


class RatingStep(NamedTuple):
    hours: float  # calendar hours after the fulfilment it rates
    stars: int
    satisfaction: str
    comment: str


class CaseRow(NamedTuple):
    """One case and the steps of its life, in times relative to its submission (see ``demo.cases_build``).

    ``month`` 1–12 places a case of the past year in that calendar month (at ``frac`` of it, ``minute`` of the
    day); ``month`` 0 places it ``minute`` minutes before the build. Staff steps count policy hours (working or
    calendar, as the case's SLA policy says); claimers and residents act in calendar hours.
    """

    kind: str
    category: str
    item: str
    title: str
    description: str
    need_group: str
    channel: str
    place_code: str
    requester: int  # person index, -1 when nobody (a grid worker's find)
    requester_login: str  # the username of a requester who filed it on the portal
    station: str
    month: int
    frac: float
    minute: int
    outcome: str  # the status planned at the build: closed, fulfilled, in_progress, open, pending, rejected, …
    accept_h: float = -1.0  # policy hours to acceptance (or rejection); more than the response time is late
    cancel_h: float = -1.0  # calendar hours after the last step to withdrawal
    claimer: str = ""  # "p:<person index>" or "o:<organisation code>"
    claim_h: float = -1.0
    escalate_h: float = -1.0  # a handler escalates by hand, calendar hours after acceptance
    slot_h: float = -1.0  # appointments: policy hours from submission to the booked slot
    fulfil_h: float = -1.0  # calendar hours after the claim (acceptance, the slot's end) to fulfilment
    late_h: float = -1.0  # when set: fulfilled this many hours after the resolution deadline instead
    served: int = 0
    ratings: tuple[RatingStep, ...] = ()  # a dissatisfied first rating reopens the case
    refulfil_h: float = -1.0
    note: str = ""  # what was done; or why not accepted / withdrawn


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
    item_providers: list[ItemProviderRow] = field(default_factory=list)
    brands: list[BrandRow] = field(default_factory=list)
    stations: list[StationRow] = field(default_factory=list)
    cases: list[CaseRow] = field(default_factory=list)

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
            "item_providers": list(self.item_providers),
            "brands": list(self.brands),
            "stations": list(self.stations),
            "cases": list(self.cases),
        }

    def fingerprint(self, *names: str) -> str:
        """SHA-256 over every generated row (or the named tables'), in order: equal plans, equal fingerprints."""
        digest = hashlib.sha256()
        for name, rows in self.tables().items():
            if names and name not in names:
                continue
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
