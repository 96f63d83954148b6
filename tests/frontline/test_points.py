"""Points: exact awards for each source, versioned rules, service records, and refusals that write nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from grassroots.cases.enums import CaseKind, Satisfaction
from grassroots.cases.models import Case
from grassroots.cases.services import case_claim, case_fulfil, case_rate
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditEvent
from grassroots.frontline.enums import BookingStatus, PointsSource, ReportStatus
from grassroots.frontline.models import (
    Campaign,
    CampaignPlace,
    MemberReport,
    PointsEntry,
    PointsRuleSet,
    ServiceRecord,
    Shift,
    ShiftBooking,
)
from grassroots.frontline.services.points import (
    DEFAULT_POINTS,
    points_award_for_booking,
    points_award_for_case,
    points_award_for_report,
    points_award_for_service_record,
    points_rules_current,
    points_rules_publish,
    service_record_add,
)
from grassroots.people.models import Person
from tests.cases.factories import make_case
from tests.conftest import World
from tests.factories import tracked_update

S = PointsSource


# Helpers (shared with the recompute, scope and feedback tests) ---------------------------------------------


def ledger(person: Person) -> dict[str, tuple[str, Decimal]]:
    """A person's entries: source key → (source, points)."""
    return {e.source_key: (e.source, e.points) for e in PointsEntry.objects.filter(person=person)}


def wish_done(
    w: World,
    *,
    kind: str = CaseKind.MICRO_WISH,
    rating: str | None = Satisfaction.SATISFIED,
    claimer: str = "party_member",
    when: dt.datetime | None = None,
    **claim: Any,
) -> Case:
    """A 东岳 case claimed by ``claimer``, fulfilled, and (unless ``rating`` is None) rated by the resident."""
    case = make_case(w, kind=kind, accept=True)
    now = when or timezone.now()
    case = case_claim(case=case, actor=w.users[claimer], now=now, **claim)
    case = case_fulfil(case=case, actor=w.users[claimer], note="上门换好了灯泡", now=now + dt.timedelta(hours=1))
    if rating is not None:
        stars = {Satisfaction.SATISFIED: 5, Satisfaction.BASIC: 4, Satisfaction.DISSATISFIED: 1}[rating]
        case = case_rate(
            case=case, actor=w.users["resident"], stars=stars, satisfaction=rating, now=now + dt.timedelta(hours=2)
        )
    return case


def checked_out_booking(w: World, person: Person, hours: str, *, at: dt.datetime | None = None) -> ShiftBooking:
    """A shift of a 东岳 campaign that ``person`` served ``hours`` (written directly, as check-out leaves it)."""
    at = at or timezone.now()
    campaign = Campaign(
        region=w.communities["dongyue"].region,
        title="东岳社区防汛值守",
        starts_on=at.date() - dt.timedelta(days=1),
        ends_on=at.date() + dt.timedelta(days=1),
        status="open",
    )
    campaign.save()
    place = CampaignPlace.objects.create(campaign=campaign, name="东岳花园北门", kind="checkpoint")
    shift = Shift.objects.create(
        campaign=campaign, place=place, starts_at=at - dt.timedelta(hours=4), ends_at=at, needed=3, booked=1
    )
    booking = ShiftBooking(
        shift=shift,
        person=person,
        status=BookingStatus.CHECKED_OUT,
        booked_at=at - dt.timedelta(days=1),
        checked_in_at=at - dt.timedelta(hours=4),
        checked_out_at=at,
        hours=Decimal(hours),
    )
    booking.save()
    return booking


# Rules ------------------------------------------------------------------------------------------------------


def test_the_first_rules_are_the_defaults_and_are_made_once(db: Any) -> None:
    first = points_rules_current()
    again = points_rules_current(at=timezone.now() - dt.timedelta(days=3650))
    assert first.pk == again.pk and first.version == 1
    assert {r.source: r.points for r in first.rules.all()} == DEFAULT_POINTS
    assert DEFAULT_POINTS == {
        S.MEMBER_REPORTED: 5,
        S.WISH_FULFILLED: 10,
        S.CASE_FULFILLED: 10,
        S.RATED_SATISFIED: 5,
        S.RATED_BASIC: 2,
        S.HOUR_SERVED: 2,
        S.ACTIVITY_JOINED: 3,
    }
    assert PointsRuleSet.objects.count() == 1


def test_a_new_version_applies_from_its_time_and_keeps_the_figures_left_out(world: World) -> None:
    now = timezone.now()
    v1 = points_rules_current(at=now)
    v2 = points_rules_publish(
        actor=world.users["district_admin"],
        effective_from=now + dt.timedelta(days=1),
        points={S.WISH_FULFILLED: Decimal("20"), S.HOUR_SERVED: "2.5"},
        note="提高微心愿积分",
        now=now,
    )
    assert v2.version == 2
    figures = {r.source: r.points for r in v2.rules.all()}
    assert figures == {**DEFAULT_POINTS, S.WISH_FULFILLED: Decimal("20.00"), S.HOUR_SERVED: Decimal("2.50")}
    assert {r.source: r.points for r in v1.rules.all()} == DEFAULT_POINTS  # the old set is untouched
    assert points_rules_current(at=now).pk == v1.pk
    assert points_rules_current(at=now + dt.timedelta(days=1)).pk == v2.pk
    audit = AuditEvent.objects.get(action="create", target_repr="v2")
    assert audit.changes["points"][S.WISH_FULFILLED] == "20"
    assert audit.changes["changed"] == [S.HOUR_SERVED, S.WISH_FULFILLED]


@pytest.mark.parametrize(
    ("persona", "offset_hours", "points", "code"),
    [
        ("community_staff", 1, {S.WISH_FULFILLED: 20}, "not_allowed"),
        ("street_staff", 1, {S.WISH_FULFILLED: 20}, "not_allowed"),
        ("unit_admin", 1, {S.WISH_FULFILLED: 20}, "not_allowed"),
        ("district_admin", -1, {S.WISH_FULFILLED: 20}, "points_rules_invalid"),
        ("district_admin", 1, {"bonus": 20}, "points_rules_invalid"),
        ("district_admin", 1, {S.WISH_FULFILLED: -1}, "points_rules_invalid"),
        ("district_admin", 1, {S.WISH_FULFILLED: "1.234"}, "points_rules_invalid"),
        ("district_admin", 1, {S.WISH_FULFILLED: "many"}, "points_rules_invalid"),
    ],
)
def test_publishing_is_refused_and_nothing_written(
    world: World, persona: str, offset_hours: int, points: dict[str, Any], code: str
) -> None:
    now = timezone.now()
    points_rules_current()
    with pytest.raises(ApplicationError) as caught:
        points_rules_publish(
            actor=world.users[persona], effective_from=now + dt.timedelta(hours=offset_hours), points=points, now=now
        )
    assert caught.value.code == code
    assert caught.value.status == (403 if code == "not_allowed" else 400)
    assert PointsRuleSet.objects.count() == 1
    assert not AuditEvent.objects.filter(target_repr="v2").exists()


def test_a_version_cannot_apply_before_the_latest_one(world: World) -> None:
    now = timezone.now()
    admin = world.users["district_admin"]
    points_rules_publish(actor=admin, effective_from=now + dt.timedelta(days=10), points={S.RATED_BASIC: 3}, now=now)
    with pytest.raises(ApplicationError) as caught:
        points_rules_publish(actor=admin, effective_from=now + dt.timedelta(days=5), points={}, now=now)
    assert caught.value.code == "points_rules_order" and caught.value.status == 409
    # The same moment is allowed: the higher version wins, and it starts from the latest figures.
    v3 = points_rules_publish(actor=admin, effective_from=now + dt.timedelta(days=10), points={}, now=now)
    assert points_rules_current(at=now + dt.timedelta(days=11)).pk == v3.pk
    assert {r.source: r.points for r in v3.rules.all()}[S.RATED_BASIC] == 3


# Cases ------------------------------------------------------------------------------------------------------


def test_a_wish_claimed_fulfilled_and_rated_satisfied_earns_exactly_fifteen(duty_world: World) -> None:
    w = duty_world
    member = w.duty.member
    case = wish_done(w)
    assert ledger(member) == {
        f"case:{case.pk}:fulfilled": (S.WISH_FULFILLED, Decimal("10.00")),
        f"case:{case.pk}:rated": (S.RATED_SATISFIED, Decimal("5.00")),
    }
    fulfilled = PointsEntry.objects.get(source_key=f"case:{case.pk}:fulfilled")
    assert fulfilled.at == case.deed_at and fulfilled.case_id == case.pk
    assert fulfilled.home_unit_id == w.duty.unit.pk
    # Not reported yet: placed where the member lives.
    assert fulfilled.community_id == w.communities["dongyue"].region.pk
    assert fulfilled.rule.rule_set.version == 1
    rated = PointsEntry.objects.get(source_key=f"case:{case.pk}:rated")
    assert rated.at == case.rated_at
    # Awarding again adds nothing.
    assert points_award_for_case(case=case) == 0
    assert PointsEntry.objects.count() == 2


def test_a_difficulty_rated_basically_satisfied(duty_world: World) -> None:
    case = wish_done(duty_world, kind=CaseKind.DIFFICULTY, rating=Satisfaction.BASIC)
    assert ledger(duty_world.duty.member) == {
        f"case:{case.pk}:fulfilled": (S.CASE_FULFILLED, Decimal("10.00")),
        f"case:{case.pk}:rated": (S.RATED_BASIC, Decimal("2.00")),
    }


def test_a_dissatisfied_rating_earns_nothing_until_a_good_one(duty_world: World) -> None:
    w = duty_world
    case = wish_done(w, rating=Satisfaction.DISSATISFIED)
    assert ledger(w.duty.member) == {f"case:{case.pk}:fulfilled": (S.WISH_FULFILLED, Decimal("10.00"))}
    case = case_fulfil(case=case, actor=w.users["party_member"], note="重新换了一个更亮的灯泡")
    case = case_rate(case=case, actor=w.users["resident"], stars=4, satisfaction=Satisfaction.BASIC)
    assert ledger(w.duty.member) == {
        f"case:{case.pk}:fulfilled": (S.WISH_FULFILLED, Decimal("10.00")),
        f"case:{case.pk}:rated": (S.RATED_BASIC, Decimal("2.00")),
    }


def test_a_claim_made_for_an_organisation_earns_no_member_points(duty_world: World) -> None:
    w = duty_world
    wish_done(w, claimer="unit_admin", on_behalf_of=w.duty.unit)
    assert PointsEntry.objects.count() == 0


def test_an_entry_earned_under_a_new_version_uses_it_and_older_entries_keep_theirs(duty_world: World) -> None:
    w = duty_world
    now = timezone.now()
    first = wish_done(w, rating=None, when=now)
    points_rules_publish(
        actor=w.users["district_admin"],
        effective_from=now + dt.timedelta(days=1),
        points={S.WISH_FULFILLED: 20},
        now=now,
    )
    second = wish_done(w, rating=None, when=now + dt.timedelta(days=2))
    old = PointsEntry.objects.get(source_key=f"case:{first.pk}:fulfilled")
    new = PointsEntry.objects.get(source_key=f"case:{second.pk}:fulfilled")
    assert (old.points, old.rule.rule_set.version) == (Decimal("10.00"), 1)
    assert (new.points, new.rule.rule_set.version) == (Decimal("20.00"), 2)
    # Awarding the first case again does not re-price it.
    assert points_award_for_case(case=first) == 0
    old.refresh_from_db()
    assert old.points == Decimal("10.00")


# Reports, bookings, service records --------------------------------------------------------------------------


def test_a_confirmed_report_earns_five_and_places_later_entries_there(duty_world: World, reported_member: Any) -> None:
    w = duty_world
    report: MemberReport = reported_member
    entry = PointsEntry.objects.get(source_key=f"report:{report.pk}")
    assert (entry.source, entry.points, entry.at) == (S.MEMBER_REPORTED, Decimal("5.00"), report.decided_at)
    assert entry.member_report_id == report.pk and entry.community_id == report.community_id
    assert points_award_for_report(report=report) == 0
    booking = checked_out_booking(w, w.duty.member, "3.5")
    assert points_award_for_booking(booking=booking) == 1
    hours = PointsEntry.objects.get(source_key=f"booking:{booking.pk}")
    assert (hours.source, hours.quantity, hours.points) == (S.HOUR_SERVED, Decimal("3.50"), Decimal("7.00"))
    assert hours.community_id == report.community_id and hours.home_unit_id == w.duty.unit.pk
    assert points_award_for_booking(booking=booking) == 0


def test_a_report_no_longer_confirmed_gives_its_points_back(duty_world: World, reported_member: Any) -> None:
    report: MemberReport = reported_member
    tracked_update(MemberReport.objects.filter(pk=report.pk), status=ReportStatus.WITHDRAWN)
    assert points_award_for_report(report=report) == 0
    assert not PointsEntry.objects.filter(member_report=report).exists()


def test_a_booking_not_checked_out_earns_nothing(duty_world: World) -> None:
    booking = checked_out_booking(duty_world, duty_world.duty.member, "2")
    tracked_update(ShiftBooking.objects.filter(pk=booking.pk), status=BookingStatus.NO_SHOW)
    assert points_award_for_booking(booking=booking) == 0
    assert PointsEntry.objects.count() == 0


def test_staff_record_service_which_earns_the_activity_and_its_hours(duty_world: World) -> None:
    w = duty_world
    dy = w.communities["dongyue"]
    served = timezone.localdate() - dt.timedelta(days=1)
    record = service_record_add(
        actor=w.users["community_staff"],
        person=w.duty.member,
        region=dy.region,
        title="东岳社区政策宣讲",
        served_on=served,
        hours="2.5",
    )
    assert ledger(w.duty.member) == {
        f"record:{record.pk}:activity": (S.ACTIVITY_JOINED, Decimal("3.00")),
        f"record:{record.pk}:hours": (S.HOUR_SERVED, Decimal("5.00")),
    }
    entry = PointsEntry.objects.get(source_key=f"record:{record.pk}:activity")
    assert timezone.localtime(entry.at).date() == served
    assert AuditEvent.objects.filter(action="create", target_id=str(record.pk), community=dy.region).exists()
    assert points_award_for_service_record(record=record) == 0


@pytest.mark.parametrize(
    ("persona", "region", "person", "changes", "code"),
    [
        ("community_staff", "dongyue", "member", {"hours": "0"}, "service_record_invalid"),
        ("community_staff", "dongyue", "member", {"hours": "24.5"}, "service_record_invalid"),
        ("community_staff", "dongyue", "member", {"hours": "1.25"}, "service_record_invalid"),
        ("community_staff", "dongyue", "member", {"title": " "}, "service_record_invalid"),
        ("community_staff", "dongyue", "member", {"served_on": "tomorrow"}, "service_record_invalid"),
        ("community_staff", "dongyue", "member", {"kind": "party"}, "service_record_invalid"),
        ("sibling_staff", "dongyue", "member", {}, "not_allowed"),
        ("compound_secretary", "dongyue", "member", {}, "not_allowed"),
        ("unit_admin", "dongyue", "member", {}, "not_allowed"),
        ("sibling_staff", "beichen", "member", {}, "person_out_of_scope"),
        ("community_staff", "dongyue", "beichen_resident", {}, "person_out_of_scope"),
    ],
)
def test_recording_service_is_refused_and_nothing_written(
    duty_world: World, persona: str, region: str, person: str, changes: dict[str, Any], code: str
) -> None:
    w = duty_world
    people = {"member": w.duty.member, "beichen_resident": w.communities["beichen"].persons[0]}
    args: dict[str, Any] = {
        "title": "政策宣讲",
        "served_on": timezone.localdate(),
        "hours": "2",
        **changes,
    }
    if args["served_on"] == "tomorrow":
        args["served_on"] = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ApplicationError) as caught:
        service_record_add(actor=w.users[persona], person=people[person], region=w.communities[region].region, **args)
    assert caught.value.code == code
    assert not ServiceRecord.objects.exists() and not PointsEntry.objects.exists()
    assert not AuditEvent.objects.filter(target_type__model="servicerecord").exists()
