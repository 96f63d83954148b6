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
    organization_code: str | None = None  # the organisation a department's staff or a unit's admin acts for


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


class ProjectRow(NamedTuple):
    """A unit's project for its community. ``done_year`` 0 is this calendar year, 1 the last, -1 not done; the
    day done is ``done_frac`` of the way through that year (this year: through its days so far)."""

    commitment: int  # index into the report's commitments, -1 for none
    title: str
    description: str
    status: str
    started_days: int  # done: days before it was done; in progress: days before the build day; -1 not started
    done_year: int
    done_frac: float
    served: int


class UnitReportRow(NamedTuple):
    unit_code: str
    community_code: str
    status: str
    agreement_title: str
    start_days: int  # the agreement starts this many days before the build day
    term_years: int
    contact: int  # person index, -1 for none
    submitted_days: int  # days before the build day
    decided_h: float  # hours after submission, -1 while pending
    commitments: tuple[tuple[str, int], ...]  # (text, yearly target)
    resources: tuple[tuple[str, str, str], ...]  # (kind, description, quantity)
    projects: tuple[ProjectRow, ...]


class MemberReportRow(NamedTuple):
    person: int
    home_unit_code: str
    region_code: str  # the community or compound where the member lives
    status: str
    channel: str
    posts: tuple[str, ...]  # service category codes
    skills: str
    submitted_h: float  # hours before the build moment
    decided_h: float  # hours after submission, -1 while pending
    note: str = ""


class ServiceRecordRow(NamedTuple):
    person: int
    region_code: str
    kind: str
    title: str
    days: int  # served this many days before the build day
    hours: str  # one decimal, as text so the plan stays exact


class CampaignRow(NamedTuple):
    title: str
    description: str
    region_code: str
    start_day: int  # relative to the build day (negative: in the past)
    end_day: int
    status: str


class PlaceRow(NamedTuple):
    campaign: int  # index into DemoPlan.campaigns
    name: str
    kind: str
    region_code: str | None
    address: str


class ShiftRow(NamedTuple):
    place: int  # index into DemoPlan.campaign_places
    day: int  # relative to the build day
    start_minute: int  # local time of day
    end_minute: int
    needed: int
    duty: str


class BookingRow(NamedTuple):
    """One sign-up. ``outcome`` is what happens once the shift is over (checked_out, no_show or cancelled); a
    shift under way at the build moment has it checked in, a future one booked."""

    shift: int  # index into DemoPlan.shifts
    person: int
    squad_code: str | None
    outcome: str
    booked_frac: float  # when it was signed up: this fraction of the way from the campaign's opening
    checkin_early_m: int  # minutes before the shift's start (negative: late)
    checkout_m: int  # minutes after the shift's end (negative: left early)


class CallRow(NamedTuple):
    """A department called by a whistle; minutes are counted from the blow (-1: never happens)."""

    department_code: str
    task: str
    ack_m: int
    report_m: int
    feedback_m: int
    on_site_people: str
    report_note: str
    feedback_note: str
    rating: str  # "" when left unrated
    reason: str
    rate_m: int  # minutes after the whistle closes


class WhistleRow(NamedTuple):
    """A whistle of the past year (``days`` before the build day at ``minute`` of the day) or of now (``days`` 0:
    ``minute`` minutes before the build moment). ``case`` is the index of the escalated case it was blown for,
    -1 for none; the builder falls back to the whistle as planned when that case does not fit."""

    region_code: str
    title: str
    description: str
    urgency: str
    days: int
    minute: int
    handle_m: int  # handle by, minutes after the blow
    raiser: int  # person index of the staff member who blew it
    case: int
    outcome: str  # closed or cancelled (at the build moment it may still be open)
    close_m: int  # closed this many minutes after the last feedback (cancelled: after the blow)
    close_note: str
    calls: tuple[CallRow, ...]


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
    unit_reports: list[UnitReportRow] = field(default_factory=list)
    member_reports: list[MemberReportRow] = field(default_factory=list)
    service_records: list[ServiceRecordRow] = field(default_factory=list)
    campaigns: list[CampaignRow] = field(default_factory=list)
    campaign_places: list[PlaceRow] = field(default_factory=list)
    shifts: list[ShiftRow] = field(default_factory=list)
    bookings: list[BookingRow] = field(default_factory=list)
    whistles: list[WhistleRow] = field(default_factory=list)

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
            "unit_reports": list(self.unit_reports),
            "member_reports": list(self.member_reports),
            "service_records": list(self.service_records),
            "campaigns": list(self.campaigns),
            "campaign_places": list(self.campaign_places),
            "shifts": list(self.shifts),
            "bookings": list(self.bookings),
            "whistles": list(self.whistles),
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
