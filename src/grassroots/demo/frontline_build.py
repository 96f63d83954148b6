"""Write the demo's dual reporting, service records and campaigns in bulk, as of the build moment.

Rows are inserted with their scope columns copied from their region, exactly as their ``save`` would; the
statuses the services would have left (a report confirmed, a sign-up checked out with its hours) are set
directly. Whistles are written by ``demo.whistle_build``; the points ledger is computed last, from all of it, by
``points_recompute`` (see ``demo.builder``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.catalogue.models import ServiceCategory
from grassroots.demo.plan import DemoPlan, ProjectRow, UnitReportRow
from grassroots.frontline.enums import HOLDING_STATUSES
from grassroots.frontline.models import (
    Campaign,
    CampaignPlace,
    MemberReport,
    PointsEntry,
    ServiceRecord,
    Shift,
    ShiftBooking,
    UnitCommitment,
    UnitProject,
    UnitReport,
    UnitResource,
)
from grassroots.frontline.services.campaigns.bookings import served_hours
from grassroots.organizations.models import Organization
from grassroots.people.models import PartyMembership
from grassroots.territory.models import Region
from grassroots.whistle.models import Whistle, WhistleCall

BATCH = 2000


@dataclass
class Where:
    """What the frontline and whistle writers look up: places, organisations, persons, logins, the moment."""

    plan: DemoPlan
    now: dt.datetime
    region: dict[str, Region]
    org: dict[str, Organization]
    person: list[int]  # person index → id
    users: dict[str, User]  # username → login

    def __post_init__(self) -> None:
        self.tz = timezone.get_current_timezone()
        self.today = timezone.localdate(self.now, self.tz)
        self.user_of_person = {
            row.person: self.users[row.username]
            for row in self.plan.logins
            if row.person is not None and row.username in self.users
        }
        self.community_login: dict[str, User] = {}
        for row in self.plan.logins:
            if row.role == "community_staff" and row.region_code and row.username in self.users:
                self.community_login[row.region_code] = self.users[row.username]

    def at(self, day: dt.date, minute: int) -> dt.datetime:
        """The aware moment ``minute`` minutes after local midnight of ``day``."""
        return dt.datetime.combine(day, dt.time(), tzinfo=self.tz) + dt.timedelta(minutes=minute)

    def community_user(self, region: Region) -> User | None:
        """The demo's community login of the region's community, if it has one."""
        for code, user in self.community_login.items():
            if self.region[code].pk == region.community_id:
                return user
        return None


def _created(objs: list[Any]) -> None:
    assert not objs or objs[0].pk is not None, "the database must return ids from bulk inserts"


# Units


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _done_on(w: Where, row: ProjectRow, start: dt.date) -> dt.date | None:
    """When a done project was done: ``done_frac`` through its year (up to today), not before the agreement."""
    year = w.today.year - row.done_year
    first = max(dt.date(year, 1, 1), start)
    last = min(dt.date(year, 12, 31), w.today)
    if last < first:
        return None
    return first + dt.timedelta(days=round((last - first).days * row.done_frac))


def write_unit_reports(w: Where) -> None:
    reports: list[UnitReport] = []
    for n, row in enumerate(w.plan.unit_reports):
        community = w.region[row.community_code]
        start = w.today - dt.timedelta(days=row.start_days)
        submitted = w.at(w.today - dt.timedelta(days=row.submitted_days), 8 * 60 + 30 + (n * 37) % 480)
        confirmed = row.status == "confirmed"
        report = UnitReport(
            unit=w.org[row.unit_code],
            region=community,
            agreement_title=row.agreement_title,
            agreement_start=start,
            agreement_end=_add_years(start, row.term_years) - dt.timedelta(days=1),
            contact_name=w.plan.persons[row.contact].name[:50] if row.contact >= 0 else "",
            status=row.status,
            submitted_at=submitted,
            submitted_by=w.users.get("unit_admin") if row.unit_code == _demo_unit(w) else None,
            decided_at=submitted + dt.timedelta(hours=row.decided_h) if confirmed else None,
            decided_by=w.community_user(community) if confirmed else None,
        )
        report.copy_scope_from(community)
        reports.append(report)
    UnitReport.objects.bulk_create(reports, batch_size=BATCH)
    _created(reports)
    commitments: list[UnitCommitment] = []
    resources: list[UnitResource] = []
    for report, row in zip(reports, w.plan.unit_reports, strict=True):
        commitments += [UnitCommitment(report=report, text=t, yearly_target=target) for t, target in row.commitments]
        resources += [UnitResource(report=report, kind=k, description=d, quantity=q) for k, d, q in row.resources]
    UnitCommitment.objects.bulk_create(commitments, batch_size=BATCH)
    _created(commitments)
    UnitResource.objects.bulk_create(resources, batch_size=BATCH)
    projects: list[UnitProject] = []
    offset = 0
    for report, row in zip(reports, w.plan.unit_reports, strict=True):
        mine = commitments[offset : offset + len(row.commitments)]
        offset += len(row.commitments)
        projects += _projects(w, report, row, mine)
    UnitProject.objects.bulk_create(projects, batch_size=BATCH)


def _demo_unit(w: Where) -> str | None:
    return next((r.organization_code for r in w.plan.logins if r.username == "unit_admin"), None)


def _projects(w: Where, report: UnitReport, row: UnitReportRow, commitments: list[UnitCommitment]) -> list[UnitProject]:
    made: list[UnitProject] = []
    for p in row.projects:
        started: dt.date | None = None
        done: dt.date | None = None
        if p.status == "done":
            done = _done_on(w, p, report.agreement_start)
            if done is None:
                continue
            started = max(report.agreement_start, done - dt.timedelta(days=p.started_days))
        elif p.status == "in_progress":
            started = max(report.agreement_start, w.today - dt.timedelta(days=p.started_days))
        made.append(
            UnitProject(
                report=report,
                commitment=commitments[p.commitment] if p.commitment >= 0 else None,
                title=p.title,
                description=p.description,
                status=p.status,
                started_on=started,
                done_on=done,
                residents_served=p.served,
            )
        )
    return made


# Members


def write_member_reports(w: Where) -> None:
    reports: list[MemberReport] = []
    for row in w.plan.member_reports:
        place = w.region[row.region_code]
        submitted = w.now - dt.timedelta(hours=row.submitted_h)
        decided = row.decided_h >= 0
        user = w.user_of_person.get(row.person)
        report = MemberReport(
            person_id=w.person[row.person],
            home_unit=w.org[row.home_unit_code],
            region=place,
            skills=row.skills,
            channel=row.channel,
            status=row.status,
            submitted_at=submitted,
            submitted_by=user if row.channel == "self" else w.community_user(place) if row.channel == "staff" else None,
            decided_at=submitted + dt.timedelta(hours=row.decided_h) if decided else None,
            decided_by=w.community_user(place) if decided else None,
            decision_note=row.note,
        )
        report.copy_scope_from(place)
        reports.append(report)
    MemberReport.objects.bulk_create(reports, batch_size=BATCH)
    _created(reports)
    category = dict(ServiceCategory.objects.values_list("code", "pk"))
    Posts = MemberReport.posts.through
    Posts.objects.bulk_create(
        [
            Posts(memberreport_id=report.pk, servicecategory_id=category[code])
            for report, row in zip(reports, w.plan.member_reports, strict=True)
            for code in row.posts
        ],
        batch_size=BATCH,
    )


def write_service_records(w: Where) -> None:
    records: list[ServiceRecord] = []
    for row in w.plan.service_records:
        place = w.region[row.region_code]
        record = ServiceRecord(
            person_id=w.person[row.person],
            region=place,
            kind=row.kind,
            title=row.title,
            served_on=w.today - dt.timedelta(days=row.days),
            hours=Decimal(row.hours),
            recorded_by=w.community_user(place),
        )
        record.copy_scope_from(place)
        records.append(record)
    ServiceRecord.objects.bulk_create(records, batch_size=BATCH)


# Campaigns


def write_campaigns(w: Where) -> None:
    plan, now = w.plan, w.now
    campaigns: list[Campaign] = []
    for row in plan.campaigns:
        place = w.region[row.region_code]
        campaign = Campaign(
            title=row.title,
            description=row.description,
            region=place,
            starts_on=w.today + dt.timedelta(days=row.start_day),
            ends_on=w.today + dt.timedelta(days=row.end_day),
            status=row.status,
            created_by=w.users.get("street_staff"),
        )
        campaign.copy_scope_from(place)
        campaigns.append(campaign)
    Campaign.objects.bulk_create(campaigns)
    _created(campaigns)
    places = [
        CampaignPlace(
            campaign=campaigns[row.campaign],
            name=row.name,
            kind=row.kind,
            region=w.region[row.region_code] if row.region_code else None,
            address=row.address,
        )
        for row in plan.campaign_places
    ]
    CampaignPlace.objects.bulk_create(places, batch_size=BATCH)
    _created(places)
    shifts: list[Shift] = []
    for srow in plan.shifts:
        day = w.today + dt.timedelta(days=srow.day)
        spot = places[srow.place]
        shifts.append(
            Shift(campaign=spot.campaign, place=spot, starts_at=w.at(day, srow.start_minute),
                  ends_at=w.at(day, srow.end_minute), needed=srow.needed, duty=srow.duty)
        )  # fmt: skip
    bookings: list[ShiftBooking] = []
    for brow in plan.bookings:
        shift = shifts[brow.shift]
        campaign_row = plan.campaigns[plan.campaign_places[plan.shifts[brow.shift].place].campaign]
        opened = w.at(w.today + dt.timedelta(days=campaign_row.start_day - 1), 18 * 60)
        until = min(shift.starts_at - dt.timedelta(hours=1), now - dt.timedelta(minutes=1))
        booking = ShiftBooking(
            shift=shift,
            campaign=shift.campaign,
            person_id=w.person[brow.person],
            squad=w.org[brow.squad_code] if brow.squad_code else None,
            starts_at=shift.starts_at,
            ends_at=shift.ends_at,
            booked_at=opened + (until - opened) * brow.booked_frac if until > opened else until,
            booked_by=w.user_of_person.get(brow.person),
        )
        _booking_state(booking, brow.outcome, brow.checkin_early_m, brow.checkout_m, now)
        bookings.append(booking)
    held = Counter(brow.shift for brow, b in zip(plan.bookings, bookings, strict=True) if b.status in HOLDING_STATUSES)
    for n, shift in enumerate(shifts):
        shift.booked = held[n]
    Shift.objects.bulk_create(shifts, batch_size=BATCH)
    _created(shifts)
    for booking in bookings:
        booking.shift_id = booking.shift.pk
    ShiftBooking.objects.bulk_create(bookings, batch_size=BATCH)


def _booking_state(booking: ShiftBooking, outcome: str, early_m: int, out_m: int, now: dt.datetime) -> None:
    """The sign-up as the services leave it at ``now``: over (checked out, or not come), under way, or ahead."""
    if outcome == "cancelled":
        booking.status = "cancelled"
        return
    checked_in = booking.starts_at - dt.timedelta(minutes=early_m)
    if outcome == "no_show":
        booking.status = "no_show" if booking.ends_at <= now else "booked"
        return
    if checked_in > now:
        booking.status = "booked"
        return
    booking.checked_in_at = checked_in
    checked_out = max(booking.ends_at + dt.timedelta(minutes=out_m), checked_in + dt.timedelta(minutes=30))
    if checked_out > now:
        booking.status = "checked_in"
        return
    booking.status = "checked_out"
    booking.checked_out_at = checked_out
    booking.hours = served_hours(
        checked_in_at=checked_in, starts_at=booking.starts_at, ends_at=booking.ends_at, now=checked_out
    )


def write_frontline(w: Where, *, lap: Callable[[str], None]) -> None:
    write_unit_reports(w)
    write_member_reports(w)
    write_service_records(w)
    lap("reports and service records")
    write_campaigns(w)
    lap("campaigns")


def frontline_counts() -> dict[str, int]:
    """The frontline and whistle figures of ``demo_counts``."""
    counts: dict[str, int] = {
        "unit_reports.confirmed": UnitReport.objects.filter(status="confirmed").count(),
        "unit_reports.pending": UnitReport.objects.filter(status="pending").count(),
        "member_reports.confirmed": MemberReport.objects.filter(status="confirmed").count(),
        "member_reports.pending": MemberReport.objects.filter(status="pending").count(),
        "members_not_reported": PartyMembership.objects.filter(category="in_service")
        .exclude(person__member_reports__status__in=["pending", "confirmed"])
        .count(),
        "whistles": Whistle.objects.count(),
        "whistles.open": Whistle.objects.filter(status="open").count(),
        "whistle_calls": WhistleCall.objects.count(),
        "whistle_calls.late_report": WhistleCall.objects.filter(
            Q(reported_on_time=False) | Q(reported_at__isnull=True, report_due__lt=timezone.now())
        )
        .exclude(status="cancelled")
        .count(),
        "whistle_calls.dissatisfied": WhistleCall.objects.filter(rating="dissatisfied").count(),
        "campaigns": Campaign.objects.count(),
        "shifts": Shift.objects.count(),
        "shift_bookings": ShiftBooking.objects.count(),
    }
    points = PointsEntry.objects.aggregate(n=Count("pk"), total=Sum("points"))
    counts["points_entries"] = points["n"] or 0
    counts["points_total"] = round(points["total"] or 0)
    hours = (ServiceRecord.objects.aggregate(h=Sum("hours"))["h"] or 0) + (
        ShiftBooking.objects.aggregate(h=Sum("hours"))["h"] or 0
    )
    counts["service_hours"] = round(hours)
    return counts
