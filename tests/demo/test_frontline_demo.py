"""The demo's frontline data: dual reporting, whistles, campaigns and points, built at a small scale once for this
module (one transaction, rolled back at the end) and checked for consistency; the seed-scale figures are checked on
the plan alone (the seed-scale build itself runs once, in ``test_demo``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from grassroots.accounts.models import RoleAssignment, User
from grassroots.cases.models import Case, CaseEvent
from grassroots.demo.builder import DemoResult, demo_build, demo_counts, plan_demo
from grassroots.demo.plan import DemoPlan
from grassroots.demo.roles_plan import DEMO_DEPARTMENT
from grassroots.frontline.enums import HOLDING_STATUSES
from grassroots.frontline.models import (
    Campaign,
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
from grassroots.frontline.services.points import points_recompute
from grassroots.people.models import PartyMembership
from grassroots.whistle.models import Whistle, WhistleCall, WhistleEvent

SCALE = 0.05
LEVELS = ("district", "street", "community", "compound")


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[DemoResult]:
    with django_db_blocker.unblock(), transaction.atomic():
        result = demo_build(seed=2022, scale=SCALE)
        connection.check_constraints()
        yield result
        transaction.set_rollback(True)


@pytest.fixture
def built(demo: DemoResult, db: Any) -> DemoResult:
    return demo


@pytest.fixture(scope="module")
def seed_plan() -> DemoPlan:
    return plan_demo(seed=2022, scale=1)


# The plan at the seed's scale


def test_the_seed_plan_has_the_sources_figures(seed_plan: DemoPlan) -> None:
    plan = seed_plan
    units = Counter(r.status for r in plan.unit_reports)
    assert units == {"confirmed": 200, "pending": 5}
    assert len({r.unit_code for r in plan.unit_reports}) == 205
    assert all(1 <= len(r.commitments) <= 3 and 2 <= len(r.resources) <= 4 for r in plan.unit_reports)
    in_service = [p for p in plan.party if p.category == "in_service"]
    members = Counter(r.status for r in plan.member_reports)
    live = {r.person for r in plan.member_reports if r.status in ("pending", "confirmed")}
    assert len(live) >= 5000 and members["confirmed"] > 4900
    assert 0.015 < members["pending"] / len(in_service) < 0.025
    assert 0.01 < 1 - len(live) / len(in_service) < 0.025  # not reported
    assert all(1 <= len(r.posts) <= 3 for r in plan.member_reports)
    assert len({p for r in plan.member_reports for p in r.posts}) == 10
    claimers = {int(c.claimer[2:]) for c in plan.cases if c.claimer.startswith("p:")}
    confirmed = {r.person for r in plan.member_reports if r.status == "confirmed"}
    assert claimers & {p.person for p in in_service} <= confirmed
    assert 280 <= len(plan.whistles) <= 320
    per_community = Counter(w.region_code for w in plan.whistles if len(w.region_code) == 12)
    assert len(per_community) == 27 and min(per_community.values()) >= 9
    from_cases = sum(1 for w in plan.whistles if w.case >= 0)
    assert 0.2 <= from_cases / len(plan.whistles) <= 0.3
    assert {len(w.calls) for w in plan.whistles} == {1, 2, 3}
    assert len(plan.campaigns) == 2 and {c.status for c in plan.campaigns} == {"finished", "open"}
    assert len(plan.bookings) > 1000 and len(plan.service_records) > 3000


def test_the_frontline_plan_is_deterministic() -> None:
    first = plan_demo(seed=2022, scale=0.02)
    again = plan_demo(seed=2022, scale=0.02)
    tables = ("unit_reports", "member_reports", "service_records", "campaigns", "shifts", "bookings", "whistles")
    assert first.fingerprint(*tables) == again.fingerprint(*tables)
    assert first.fingerprint(*tables) != plan_demo(seed=7, scale=0.02).fingerprint(*tables)


# The written demo


def test_counts_are_reported(built: DemoResult) -> None:
    counts = built.counts
    plan_members = plan_demo(seed=2022, scale=SCALE).member_reports
    assert counts["unit_reports.confirmed"] == 200
    assert counts["member_reports.confirmed"] == sum(1 for r in plan_members if r.status == "confirmed")
    assert counts["member_reports.pending"] == sum(1 for r in plan_members if r.status == "pending")
    in_service = PartyMembership.objects.filter(category="in_service").count()
    live = counts["member_reports.confirmed"] + counts["member_reports.pending"]
    assert counts["members_not_reported"] == in_service - live > 0
    assert counts["whistles"] == Whistle.objects.count() >= 40
    assert counts["whistle_calls"] == WhistleCall.objects.count()
    assert counts["whistle_calls.late_report"] > 0 and counts["whistle_calls.dissatisfied"] > 0
    assert counts["campaigns"] == 2 and counts["shifts"] == Shift.objects.count()
    assert counts["shift_bookings"] == ShiftBooking.objects.count()
    assert counts["points_entries"] == PointsEntry.objects.count() > 0
    assert counts["points_total"] > 0 and counts["service_hours"] > 0
    assert demo_counts() == counts


def test_reports_are_consistent(built: DemoResult) -> None:
    confirmed = MemberReport.objects.filter(status="confirmed")
    in_service = PartyMembership.objects.filter(category="in_service")
    assert not confirmed.exclude(person__in=in_service.values("person")).exists()
    assert not MemberReport.objects.exclude(
        home_unit=F("person__party_membership__home_unit")
    ).exists()  # the unit of their membership
    assert not MemberReport.objects.exclude(region__kind__in=["community", "compound"]).exists()
    live = MemberReport.objects.filter(status__in=["pending", "confirmed"])
    assert not live.exclude(community_id=F("person__community_id")).exists()  # where they live
    assert live.values("person").distinct().count() == live.count()
    assert not confirmed.filter(Q(decided_at__isnull=True) | Q(decided_at__lt=F("submitted_at"))).exists()
    assert not MemberReport.objects.filter(status="pending", decided_at__isnull=False).exists()
    assert MemberReport.objects.filter(status="rejected").exclude(decision_note="").exists() or SCALE < 0.1
    assert MemberReport.posts.through.objects.count() >= confirmed.count()
    for level in LEVELS:
        assert (
            not MemberReport.objects.exclude(**{f"{level}_id": F(f"region__{level}_id")})
            .exclude(**{f"{level}_id__isnull": True, f"region__{level}_id__isnull": True})
            .exists()
        )
        assert (
            not UnitReport.objects.exclude(**{f"{level}_id": F(f"region__{level}_id")})
            .exclude(**{f"{level}_id__isnull": True, f"region__{level}_id__isnull": True})
            .exists()
        )
    reports = UnitReport.objects.all()
    assert reports.count() == 205 and not reports.exclude(region__kind="community").exists()
    assert not reports.filter(agreement_end__lt=F("agreement_start")).exists()
    assert UnitCommitment.objects.values("report").distinct().count() == 205
    assert UnitResource.objects.values("report").distinct().count() == 205
    year = timezone.localdate().year
    done = UnitProject.objects.filter(status="done")
    assert done.exists() and not done.filter(done_on__isnull=True).exists()
    assert not done.filter(done_on__lt=F("report__agreement_start")).exists()
    assert not done.filter(done_on__gt=timezone.localdate()).exists()
    progress = Counter(
        UnitProject.objects.filter(status="done", done_on__year=year).values_list("report_id", flat=True)
    )
    assert len(set(progress.values())) > 1  # commitment progress varies
    assert not UnitProject.objects.filter(status="planned", started_on__isnull=False).exists()
    records = ServiceRecord.objects.all()
    assert records.exists() and not records.exclude(region__kind="community").exists()
    assert not records.exclude(person__member_reports__status="confirmed").exists()


def test_the_demo_logins_act_where_they_should(built: DemoResult) -> None:
    member = User.objects.select_related("person").get(username="party_member")
    assert member.person is not None
    assert PartyMembership.objects.filter(person=member.person, category="in_service").exists()
    report = MemberReport.objects.get(person=member.person, status="confirmed")
    assert report.region.kind == "community" and report.region_id == member.person.community_id
    role = RoleAssignment.objects.get(user=member)
    assert (role.role, role.region_id) == ("party_member", member.person.community_id)
    staff = RoleAssignment.objects.select_related("organization").get(user__username="department_staff")
    assert staff.organization is not None and staff.organization.name == DEMO_DEPARTMENT
    assert staff.organization.kind == "department"
    admin = RoleAssignment.objects.select_related("organization").get(user__username="unit_admin")
    assert admin.organization is not None and admin.organization.code == "UNIT-001"
    assert UnitReport.objects.filter(unit=admin.organization, status="confirmed").exists()
    # The demo department is called by whistles; the party member has room to sign up ahead.
    assert WhistleCall.objects.filter(department=staff.organization).exists()
    ahead = Shift.objects.filter(campaign__status="open", starts_at__gt=timezone.now(), booked__lt=F("needed"))
    assert ahead.exists()
    assert not ShiftBooking.objects.filter(person=member.person, starts_at__gt=timezone.now()).exists()


def test_whistles_agree_with_their_times(built: DemoResult) -> None:
    now = timezone.now()
    calls = WhistleCall.objects.select_related("whistle")
    assert Counter(Whistle.objects.values_list("status", flat=True)).keys() >= {"open", "closed"}
    for call in calls:
        whistle = call.whistle
        assert call.called_at == whistle.raised_at and call.handle_due == whistle.handle_due
        assert call.report_due - call.called_at == dt.timedelta(minutes=30 if whistle.urgency == "urgent" else 1440)
        for level in LEVELS:
            assert getattr(call, f"{level}_id") == getattr(whistle, f"{level}_id")
        if call.reported_at is not None:
            assert call.reported_on_time == (call.reported_at <= call.report_due)
            assert call.reported_at <= now and call.next_escalation_at is None
        else:
            assert call.reported_on_time is None
        if call.fed_back_at is not None:
            assert call.reported_at is not None and call.fed_back_at > call.reported_at
            assert call.handled_on_time == (call.fed_back_at <= call.handle_due)
        else:
            assert call.handled_on_time is None
        late = call.reported_at or (None if call.status == "cancelled" else now)
        if late is not None:  # escalated by the five-minute sweep while the report was missing
            assert (call.escalation_level >= 1) == (late > call.report_due + dt.timedelta(minutes=5)) or (
                late - call.report_due < dt.timedelta(minutes=5)
            )
        if call.status == "rated":
            assert call.rating and whistle.status == "closed" and call.rated_at and call.rated_at > whistle.closed_at
            assert call.rating == "satisfied" or call.rating_reason
        if whistle.status == "closed":
            assert call.status in ("fed_back", "rated") and call.fed_back_at <= whistle.closed_at  # type: ignore[operator]
    overdue = calls.filter(whistle__status="open", status__in=["called", "acknowledged"], report_due__lt=now)
    assert overdue.filter(escalation_level__gte=1).exists()
    events = Counter(WhistleEvent.objects.values_list("kind", flat=True))
    assert events["blown"] == Whistle.objects.count()
    assert events["reported"] == calls.filter(reported_at__isnull=False).count()
    assert events["fed_back"] == calls.filter(fed_back_at__isnull=False).count()
    assert events["rated"] == calls.filter(status="rated").count()
    assert events["escalated"] == sum(calls.values_list("escalation_level", flat=True))
    assert events["closed"] == Whistle.objects.filter(status="closed").count()
    assert not WhistleEvent.objects.filter(at__gt=now).exists()
    numbers = list(Whistle.objects.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers) and all(n.startswith("CS") and len(n) == 12 for n in numbers)


def test_cases_whistled_for_carry_the_whistle(built: DemoResult) -> None:
    linked = Whistle.objects.filter(origin_case__isnull=False).select_related("origin_case")
    assert linked.exists()
    for whistle in linked:
        case = whistle.origin_case
        assert case is not None and case.escalation_count > 0
        assert (case.community_id, case.street_id) == (whistle.community_id, whistle.street_id)
        whistled = case.events.get(kind="whistled")
        assert whistled.at == whistle.raised_at and whistled.data == {"whistle": whistle.number}
        assert whistled.from_status in ("pending", "open", "in_progress")
        closed_with = case.events.filter(kind="closed", data__whistle=whistle.number)
        if closed_with.exists():
            assert whistle.status == "closed" and case.status == "closed"
            assert case.closed_at == whistle.closed_at and case.rated_at is None
            assert not case.events.filter(kind="rated").exists()
    # Every case's timeline still leads to its status.
    last: dict[int, str] = {}
    for case_id, to_status in CaseEvent.objects.order_by("case_id", "at", "id").values_list("case_id", "to_status"):
        last[case_id] = to_status
    assert last == dict(Case.objects.values_list("pk", "status"))


def test_campaign_shifts_and_bookings_agree(built: DemoResult) -> None:
    now = timezone.now()
    held = Shift.objects.annotate(n=Count("bookings", filter=Q(bookings__status__in=HOLDING_STATUSES)))
    assert not held.exclude(booked=F("n")).exists()
    assert not Shift.objects.filter(booked__gt=F("needed")).exists()
    bookings = ShiftBooking.objects.filter(status__in=HOLDING_STATUSES).order_by("person_id", "starts_at")
    previous: dict[int, dt.datetime] = {}
    for person_id, starts, ends in bookings.values_list("person_id", "starts_at", "ends_at"):
        assert person_id not in previous or previous[person_id] <= starts, person_id  # no overlapping shifts
        previous[person_id] = ends
    assert not ShiftBooking.objects.exclude(starts_at=F("shift__starts_at")).exists()
    assert not ShiftBooking.objects.exclude(campaign=F("shift__campaign")).exists()
    out = ShiftBooking.objects.filter(status="checked_out")
    assert out.exists() and not out.filter(Q(hours__isnull=True) | Q(checked_out_at__gt=now)).exists()
    assert not out.filter(checked_in_at__gte=F("checked_out_at")).exists()
    assert not ShiftBooking.objects.filter(status="booked", checked_in_at__isnull=False).exists()
    assert not ShiftBooking.objects.filter(booked_at__gt=now).exists()
    assert ShiftBooking.objects.filter(squad__kind="vanguard_squad").exists()
    finished = Campaign.objects.get(status="finished")
    assert not finished.bookings.filter(status__in=["booked", "checked_in"]).exists()
    running = Campaign.objects.get(status="open")
    assert running.starts_on < timezone.localdate() < running.ends_on
    assert running.bookings.filter(status="booked").exists()
    assert running.shifts.filter(starts_at__date__gt=timezone.localdate()).exists()


def test_the_points_ledger_is_what_the_rules_give(built: DemoResult) -> None:
    def ledger() -> list[tuple[Any, ...]]:
        return sorted(PointsEntry.objects.values_list("person_id", "source_key", "points", "community_id"))

    before = ledger()
    sources = Counter(PointsEntry.objects.values_list("source", flat=True))
    assert {"member_reported", "wish_fulfilled", "hour_served"} <= set(sources)
    points_recompute()
    assert ledger() == before
    total = sum((p for _person, _key, p, _c in before), Decimal(0))
    assert round(total) == built.counts["points_total"]
