"""Mobilisation campaigns: set-up, sign-up with a cap and no double booking, squads all-or-nothing, check-in
window, check-out hours, cancellation. The reads and the scope are in ``test_campaigns_scope``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils.translation import gettext

from grassroots.accounts.enums import Role
from grassroots.accounts.models import User
from grassroots.accounts.services import role_assign, user_create
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditEvent
from grassroots.frontline.enums import BookingStatus, CampaignStatus, PlaceKind
from grassroots.frontline.models import Campaign, CampaignPlace, Shift, ShiftBooking
from grassroots.frontline.services.campaigns import (
    booking_cancel,
    booking_checkin,
    booking_checkout,
    campaign_cancel,
    campaign_create,
    campaign_finish,
    campaign_open,
    place_add,
    served_hours,
    shift_add,
    shift_signup,
    squad_signup,
)
from grassroots.notifications.models import Notification
from grassroots.organizations.models import OrganizationMembership
from tests.conftest import PASSWORD, World
from tests.factories import make_person

SH = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 6, 30, 10, 0, tzinfo=SH)  # the day before the campaign starts
FIRST_DAY = dt.date(2026, 7, 1)
LAST_DAY = dt.date(2026, 7, 7)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 7, day, hour, minute, tzinfo=SH)


# Helpers (shared with the scope and concurrency tests)


def make_campaign(
    w: World,
    *,
    region: Any = None,
    actor: str = "community_staff",
    title: str = "东岳社区疫情防控卡点",
    open_: bool = True,
) -> Campaign:
    campaign = campaign_create(
        actor=w.users[actor],
        region=region or w.communities["dongyue"].region,
        title=title,
        starts_on=FIRST_DAY,
        ends_on=LAST_DAY,
    )
    return campaign_open(campaign=campaign, actor=w.users[actor]) if open_ else campaign


def make_place(
    w: World, campaign: Campaign, *, actor: str = "community_staff", name: str = "东岳花园北门"
) -> CampaignPlace:
    return place_add(campaign=campaign, actor=w.users[actor], name=name, kind=PlaceKind.CHECKPOINT)


def make_shift(
    w: World,
    campaign: Campaign,
    *,
    start: dt.datetime,
    hours: float = 4,
    needed: int = 3,
    place: CampaignPlace | None = None,
    actor: str = "community_staff",
) -> Shift:
    return shift_add(
        campaign=campaign,
        place=place or make_place(w, campaign, actor=actor),
        actor=w.users[actor],
        starts_at=start,
        ends_at=start + dt.timedelta(hours=hours),
        needed=needed,
        duty="测温、查验健康码",
    )


def members_of_dongyue(w: World, n: int, prefix: str = "东岳党员") -> list[User]:
    """Party members living in 东岳社区, each with a login and a party-member role there."""
    dy = w.communities["dongyue"]
    users = []
    for i in range(n):
        person = make_person(name=f"{prefix}{i:02d}", household=dy.household)
        user = user_create(actor=None, username=f"{prefix}{i:02d}", password=PASSWORD, person=person)
        role_assign(actor=None, user=user, role=Role.PARTY_MEMBER, region=dy.region)
        users.append(user)
    return users


def counts() -> tuple[int, ...]:
    return (
        Campaign.objects.count(),
        CampaignPlace.objects.count(),
        Shift.objects.count(),
        ShiftBooking.objects.count(),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    )


@pytest.fixture
def campaign(duty_world: World) -> Campaign:
    return make_campaign(duty_world)


# Campaigns


def test_staff_create_and_open_a_campaign_with_audit_rows(duty_world: World) -> None:
    w = duty_world
    before = AuditEvent.objects.count()
    c = campaign_create(
        actor=w.users["community_staff"],
        region=w.communities["dongyue"].region,
        title="  东岳社区核酸检测  ",
        starts_on=FIRST_DAY,
        ends_on=FIRST_DAY,
    )
    assert c.status == CampaignStatus.DRAFT and c.title == "东岳社区核酸检测"
    assert c.community_id == w.communities["dongyue"].region.pk and c.street_id == w.streets["mingshan"].pk
    assert c.created_by == w.users["community_staff"]
    c = campaign_open(campaign=c, actor=w.users["community_staff"])
    assert c.status == CampaignStatus.OPEN
    c = campaign_finish(campaign=c, actor=w.users["street_staff"])
    assert c.status == CampaignStatus.FINISHED
    assert AuditEvent.objects.count() == before + 3
    rows = AuditEvent.objects.filter(target_type__model="campaign", target_id=str(c.pk), community_id=c.community_id)
    assert rows.count() == 3


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"title": "   "}, "title_required", "title"),
        ({"title": "长" * 101}, "title_too_long", "title"),
        ({"ends_on": FIRST_DAY - dt.timedelta(days=1)}, "dates_order", "ends_on"),
        ({"region": "building"}, "region_kind", "region"),
    ],
)
def test_bad_campaign_input_writes_nothing(duty_world: World, change: dict[str, Any], code: str, field: str) -> None:
    w = duty_world
    dy = w.communities["dongyue"]
    kwargs: dict[str, Any] = {"region": dy.region, "title": "卡点", "starts_on": FIRST_DAY, "ends_on": LAST_DAY}
    kwargs.update(change)
    if kwargs["region"] == "building":
        kwargs["region"] = dy.building
    before = counts()
    with pytest.raises(ApplicationError) as err:
        campaign_create(actor=w.users["community_staff"], **kwargs)
    assert err.value.code == code and err.value.status == 400 and field in err.value.fields
    assert counts() == before


def test_state_checks_refuse_and_change_nothing(duty_world: World) -> None:
    w = duty_world
    staff = w.users["community_staff"]
    draft = make_campaign(w, open_=False)
    with pytest.raises(ApplicationError) as err:
        campaign_finish(campaign=draft, actor=staff)
    assert err.value.code == "invalid_state" and err.value.status == 409
    opened = campaign_open(campaign=draft, actor=staff)
    with pytest.raises(ApplicationError) as err:
        campaign_open(campaign=opened, actor=staff)
    assert err.value.code == "invalid_state"
    finished = campaign_finish(campaign=opened, actor=staff)
    before = counts()
    for fn in (campaign_cancel, campaign_open):
        with pytest.raises(ApplicationError) as err:
            fn(campaign=finished, actor=staff)
        assert err.value.code == "invalid_state"
    with pytest.raises(ApplicationError) as err:
        make_place(w, finished)
    assert err.value.code == "invalid_state"
    assert counts() == before
    finished.refresh_from_db()
    assert finished.status == CampaignStatus.FINISHED


# Places and shifts


def test_place_must_lie_within_the_campaign_area(campaign: Campaign, duty_world: World) -> None:
    w = duty_world
    staff = w.users["community_staff"]
    inside = place_add(
        campaign=campaign,
        actor=staff,
        name="东岳花园",
        kind=PlaceKind.COMPOUND,
        region=w.communities["dongyue"].compound,
    )
    assert inside.region == w.communities["dongyue"].compound
    before = counts()
    with pytest.raises(ApplicationError) as err:
        place_add(
            campaign=campaign,
            actor=staff,
            name="北辰花园",
            kind=PlaceKind.COMPOUND,
            region=w.communities["beichen"].compound,
        )
    assert err.value.code == "region_outside" and "region" in err.value.fields
    with pytest.raises(ApplicationError) as err:
        place_add(campaign=campaign, actor=staff, name="卡点", kind="airport")
    assert err.value.code == "place_kind"
    with pytest.raises(ApplicationError) as err:
        place_add(campaign=campaign, actor=staff, name="  ", kind=PlaceKind.OTHER)
    assert err.value.code == "name_required"
    assert counts() == before


def test_shift_checks_times_dates_needed_and_place(campaign: Campaign, duty_world: World) -> None:
    w = duty_world
    staff = w.users["community_staff"]
    place = make_place(w, campaign)
    other = make_campaign(w, title="另一个活动")
    other_place = make_place(w, other, name="别处")

    def add(**kw: Any) -> Shift:
        args: dict[str, Any] = {"starts_at": at(2, 8), "ends_at": at(2, 12), "needed": 3, "place": place}
        args.update(kw)
        return shift_add(campaign=campaign, actor=staff, **args)

    # The campaign's dates are local dates: 07-01 00:30 in Shanghai is 06-30 16:30 UTC, and is inside.
    early = add(starts_at=dt.datetime(2026, 7, 1, 0, 30, tzinfo=SH), ends_at=at(1, 4))
    assert early.starts_at.astimezone(dt.UTC).date() == dt.date(2026, 6, 30)
    assert add(needed=500).needed == 500
    before = counts()
    refusals = [
        ({"ends_at": at(2, 8)}, "times_order", "ends_at"),
        ({"starts_at": dt.datetime(2026, 6, 30, 23, 30, tzinfo=SH)}, "outside_campaign", "starts_at"),
        ({"starts_at": at(7, 22), "ends_at": dt.datetime(2026, 7, 8, 2, tzinfo=SH)}, "outside_campaign", "ends_at"),
        ({"needed": 0}, "needed_range", "needed"),
        ({"needed": 501}, "needed_range", "needed"),
        ({"place": other_place}, "place_not_in_campaign", "place"),
    ]
    for kw, code, field in refusals:
        with pytest.raises(ApplicationError) as err:
            add(**kw)
        assert (err.value.code, err.value.status) == (code, 400), kw
        assert field in err.value.fields
    assert counts() == before


# Sign-up


def test_the_cap_refuses_the_one_too_many_with_a_clear_message(campaign: Campaign, duty_world: World) -> None:
    w = duty_world
    shift = make_shift(w, campaign, start=at(2, 8), needed=2)
    a, b, c = members_of_dongyue(w, 3)
    shift_signup(shift=shift, actor=a, now=NOW)
    booking = shift_signup(shift=shift, actor=b, now=NOW)
    assert booking.person == b.person and booking.booked_by == b and booking.status == BookingStatus.BOOKED
    assert (booking.starts_at, booking.ends_at, booking.campaign) == (shift.starts_at, shift.ends_at, campaign)
    before = counts()
    with pytest.raises(ApplicationError) as err:
        shift_signup(shift=shift, actor=c, now=NOW)
    assert err.value.code == "shift_full" and err.value.status == 409
    assert err.value.message == gettext("This shift is full.")
    assert counts() == before
    shift.refresh_from_db()
    assert shift.booked == 2 and shift.bookings.count() == 2


def test_no_double_booking_across_campaigns_but_adjacent_shifts_are_fine(campaign: Campaign, duty_world: World) -> None:
    w = duty_world
    member = w.users["party_member"]
    street_campaign = make_campaign(w, region=w.streets["mingshan"], actor="street_staff", title="名山街道大排查")
    morning = make_shift(w, campaign, start=at(2, 8), hours=4)
    overlapping = make_shift(w, street_campaign, start=at(2, 11), hours=3, actor="street_staff")
    adjacent = make_shift(w, street_campaign, start=at(2, 12), hours=3, actor="street_staff")
    shift_signup(shift=morning, actor=member, now=NOW)
    before = counts()
    with pytest.raises(ApplicationError) as err:
        shift_signup(shift=morning, actor=member, now=NOW)
    assert err.value.code == "already_booked" and err.value.status == 409
    with pytest.raises(ApplicationError) as err:
        shift_signup(shift=overlapping, actor=member, now=NOW)
    assert err.value.code == "already_booked" and "person" in err.value.fields
    assert campaign.title in err.value.message
    assert counts() == before
    overlapping.refresh_from_db()
    assert overlapping.booked == 0
    assert shift_signup(shift=adjacent, actor=member, now=NOW).shift == adjacent


def test_sign_up_needs_an_open_campaign_a_future_shift_and_a_person(duty_world: World) -> None:
    w = duty_world
    member = w.users["party_member"]
    draft = make_campaign(w, open_=False)
    shift = make_shift(w, draft, start=at(2, 8))
    with pytest.raises(ApplicationError) as err:
        shift_signup(shift=shift, actor=member, now=NOW)
    assert err.value.code == "campaign_not_open" and err.value.status == 409
    campaign_open(campaign=draft, actor=w.users["community_staff"])
    with pytest.raises(ApplicationError) as err:
        shift_signup(shift=shift, actor=member, now=at(2, 8))
    assert err.value.code == "shift_started"
    with pytest.raises(ApplicationError) as err:
        shift_signup(shift=shift, actor=w.users["community_staff"], now=NOW)  # staff without a person
    assert err.value.code == "no_person" and err.value.status == 403
    assert not ShiftBooking.objects.exists()
    assert shift_signup(shift=shift, actor=member, now=at(2, 7, 59)).person == member.person


def test_staff_and_squad_leaders_sign_up_others_members_only_themselves(campaign: Campaign, duty_world: World) -> None:
    w = duty_world
    shift = make_shift(w, campaign, start=at(2, 8), needed=5)
    zhao, sun = w.duty.colleagues
    by_staff = shift_signup(shift=shift, actor=w.users["community_staff"], person=zhao, now=NOW)
    assert by_staff.person == zhao and by_staff.booked_by == w.users["community_staff"] and by_staff.squad is None
    by_leader = shift_signup(shift=shift, actor=w.users["party_member"], person=sun, now=NOW)
    assert by_leader.squad == w.duty.squad
    stranger = make_person(name="东岳居民刘洋", household=w.communities["dongyue"].household)
    plain = members_of_dongyue(w, 1)[0]
    before = counts()
    for actor, person in ((w.users["party_member"], stranger), (plain, stranger)):
        with pytest.raises(ApplicationError) as err:
            shift_signup(shift=shift, actor=actor, person=person, now=NOW)
        assert err.value.code == "not_allowed" and err.value.status == 403
    assert counts() == before


# Squads


def test_squad_signup_is_all_or_nothing_and_names_each_problem(campaign: Campaign, duty_world: World) -> None:
    w = duty_world
    leader = w.users["party_member"]
    squad = w.duty.squad
    zhao, sun = w.duty.colleagues
    shift = make_shift(w, campaign, start=at(3, 8), needed=3)
    elsewhere = make_shift(w, campaign, start=at(3, 10), hours=2, needed=5)
    shift_signup(shift=elsewhere, actor=w.users["community_staff"], person=sun, now=NOW)
    outsider = make_person(name="东岳居民刘洋", household=w.communities["dongyue"].household)
    before = counts()
    with pytest.raises(ApplicationError) as err:
        squad_signup(shift=shift, actor=leader, squad=squad, persons=[leader.person, zhao, sun, outsider], now=NOW)
    assert err.value.code == "squad_signup_refused" and err.value.status == 409
    assert set(err.value.fields) == {sun.name, outsider.name, "persons"}
    assert err.value.fields[outsider.name] == [gettext("Not a member of this squad.")]
    assert campaign.title in err.value.fields[sun.name][0]
    assert counts() == before
    shift.refresh_from_db()
    assert shift.booked == 0

    # Too few places: nobody goes either.
    small = make_shift(w, campaign, start=at(4, 8), needed=2)
    before = counts()
    with pytest.raises(ApplicationError) as err:
        squad_signup(shift=small, actor=leader, squad=squad, persons=[leader.person, zhao, sun], now=NOW)
    assert set(err.value.fields) == {"persons"}
    assert "2" in err.value.fields["persons"][0]
    assert counts() == before

    bookings = squad_signup(shift=small, actor=leader, squad=squad, persons=[leader.person, zhao], now=NOW)
    assert {b.person for b in bookings} == {leader.person, zhao}
    assert all(b.squad == squad and b.booked_by == leader for b in bookings)
    small.refresh_from_db()
    assert small.booked == 2
    assert AuditEvent.objects.filter(detail="squad sign up").count() == 2


def test_only_the_leader_or_staff_sign_up_a_squad(campaign: Campaign, duty_world: World) -> None:
    w = duty_world
    squad = w.duty.squad
    zhao, _sun = w.duty.colleagues
    shift = make_shift(w, campaign, start=at(3, 8), needed=3)
    member_user = members_of_dongyue(w, 1)[0]
    OrganizationMembership.objects.create(organization=squad, person=member_user.person, role="member")
    before = counts()
    for actor in (member_user, w.users["resident"], w.users["sibling_staff"]):
        with pytest.raises(ApplicationError) as err:
            squad_signup(shift=shift, actor=actor, squad=squad, persons=[zhao], now=NOW)
        assert err.value.code == "not_allowed"
    with pytest.raises(ApplicationError) as err:
        squad_signup(shift=shift, actor=w.users["community_staff"], squad=w.duty.unit, persons=[zhao], now=NOW)
    assert err.value.code == "not_a_squad"
    assert counts() == before
    assert len(squad_signup(shift=shift, actor=w.users["community_staff"], squad=squad, persons=[zhao], now=NOW)) == 1


# After signing up


def test_cancel_frees_the_place_before_the_shift_only(campaign: Campaign, duty_world: World) -> None:
    w = duty_world
    shift = make_shift(w, campaign, start=at(2, 8), needed=1)
    a, b = members_of_dongyue(w, 2)
    booking = shift_signup(shift=shift, actor=a, now=NOW)
    with pytest.raises(ApplicationError) as err:
        booking_cancel(booking=booking, actor=b, now=NOW)
    assert err.value.code == "not_allowed"
    with pytest.raises(ApplicationError) as err:
        booking_cancel(booking=booking, actor=a, now=at(2, 8))
    assert err.value.code == "shift_started"
    cancelled = booking_cancel(booking=booking, actor=a, now=NOW)
    assert cancelled.status == BookingStatus.CANCELLED
    shift.refresh_from_db()
    assert shift.booked == 0
    assert AuditEvent.objects.filter(
        target_type__model="shiftbooking", target_id=str(booking.pk), detail="cancel"
    ).exists()
    again = shift_signup(shift=shift, actor=b, now=NOW)
    assert again.person == b.person
    # The first member may sign up again once there is room; the cancelled row does not count.
    booking_cancel(booking=again, actor=w.users["community_staff"], now=NOW)
    assert shift_signup(shift=shift, actor=a, now=NOW).status == BookingStatus.BOOKED
    shift.refresh_from_db()
    assert shift.booked == 1 and shift.bookings.filter(person=a.person).count() == 2


def test_check_in_window_opens_30_minutes_before_and_closes_at_the_end(campaign: Campaign, duty_world: World) -> None:
    w = duty_world
    shift = make_shift(w, campaign, start=at(2, 8), hours=4)
    a, b, c = members_of_dongyue(w, 3)
    ba, bb, bc = (shift_signup(shift=shift, actor=u, now=NOW) for u in (a, b, c))
    for booking, moment in ((ba, at(2, 7, 29)), (bb, at(2, 12))):
        with pytest.raises(ApplicationError) as err:
            booking_checkin(booking=booking, actor=booking.booked_by, now=moment)
        assert err.value.code == "outside_checkin_window" and err.value.status == 409
    with pytest.raises(ApplicationError) as err:
        booking_checkin(booking=ba, actor=b, now=at(2, 8))
    assert err.value.code == "not_allowed"
    assert not ShiftBooking.objects.filter(status=BookingStatus.CHECKED_IN).exists()
    done = booking_checkin(booking=ba, actor=a, now=at(2, 7, 30))
    assert done.status == BookingStatus.CHECKED_IN and done.checked_in_at == at(2, 7, 30)
    by_staff = booking_checkin(booking=bc, actor=w.users["community_staff"], now=at(2, 11, 59))
    assert by_staff.status == BookingStatus.CHECKED_IN
    with pytest.raises(ApplicationError) as err:
        booking_checkin(booking=ba, actor=a, now=at(2, 8))
    assert err.value.code == "invalid_state"


@pytest.mark.parametrize(
    ("checked_in", "out", "hours"),
    [
        (at(2, 8), at(2, 12), "4.00"),
        (at(2, 7, 30), at(2, 12), "4.50"),
        (at(2, 8, 7), at(2, 10, 20), "2.00"),  # 2 h 13 min → 2
        (at(2, 8), at(2, 10, 15), "2.50"),  # 2 h 15 min → 2.5 (half up)
        (at(2, 7, 30), at(2, 16), "6.00"),  # counted to end + 2 h = 6.5 h, at most 4 + 2
        (at(2, 9), at(2, 18), "5.00"),  # counted to 14:00
        (at(2, 9), at(2, 8), "0.00"),  # a clock running backwards never gives negative hours
    ],
)
def test_served_hours(checked_in: dt.datetime, out: dt.datetime, hours: str) -> None:
    assert served_hours(checked_in_at=checked_in, starts_at=at(2, 8), ends_at=at(2, 12), now=out) == Decimal(hours)


def test_checkout_records_hours_and_awards_points(
    campaign: Campaign, duty_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    import grassroots.frontline.services.points as points

    awarded: list[ShiftBooking] = []
    monkeypatch.setattr(points, "points_award_for_booking", lambda *, booking: awarded.append(booking) or 1)
    w = duty_world
    member = w.users["party_member"]
    shift = make_shift(w, campaign, start=at(2, 8), hours=4)
    booking = shift_signup(shift=shift, actor=member, now=NOW)
    with pytest.raises(ApplicationError) as err:
        booking_checkout(booking=booking, actor=member, now=at(2, 12))
    assert err.value.code == "invalid_state" and not awarded
    booking_checkin(booking=booking, actor=member, now=at(2, 7, 50))
    done = booking_checkout(booking=booking, actor=member, now=at(2, 13, 5))
    assert done.status == BookingStatus.CHECKED_OUT and done.checked_out_at == at(2, 13, 5)
    assert done.hours == Decimal("5.50")  # 5 h 15 min, to the nearest half hour (half up)
    assert [b.pk for b in awarded] == [booking.pk]
    audited = AuditEvent.objects.filter(target_type__model="shiftbooking", target_id=str(booking.pk))
    assert audited.count() == 3  # sign-up, check-in, check-out
    with pytest.raises(ApplicationError):
        booking_checkout(booking=booking, actor=member, now=at(2, 14))
    assert len(awarded) == 1


def test_checkout_earns_points_in_the_ledger(campaign: Campaign, duty_world: World) -> None:
    """With the real points service: the check-out leaves the hours in the member's ledger."""
    from grassroots.frontline.models import PointsEntry

    w = duty_world
    member = w.users["party_member"]
    booking = shift_signup(shift=make_shift(w, campaign, start=at(2, 8)), actor=member, now=NOW)
    booking_checkin(booking=booking, actor=member, now=at(2, 8))
    booking_checkout(booking=booking, actor=member, now=at(2, 12))
    assert PointsEntry.objects.filter(person=member.person, booking=booking).exists()


def test_cancelling_a_campaign_cancels_what_was_not_served_and_tells_people(
    campaign: Campaign, duty_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    import grassroots.frontline.services.points as points

    monkeypatch.setattr(points, "points_award_for_booking", lambda *, booking: 0)
    w = duty_world
    early = make_shift(w, campaign, start=at(1, 8), needed=3)
    late = make_shift(w, campaign, start=at(5, 8), needed=3)
    a, b, c = members_of_dongyue(w, 3)
    served = shift_signup(shift=early, actor=a, now=NOW)
    on_duty = shift_signup(shift=early, actor=b, now=NOW)
    waiting = shift_signup(shift=late, actor=c, now=NOW)
    booking_checkin(booking=served, actor=a, now=at(1, 8))
    booking_checkout(booking=served, actor=a, now=at(1, 12))
    booking_checkin(booking=on_duty, actor=b, now=at(1, 8))
    notes = Notification.objects.count()
    cancelled = campaign_cancel(campaign=campaign, actor=w.users["community_staff"], reason="疫情解除")
    assert cancelled.status == CampaignStatus.CANCELLED
    statuses = dict(ShiftBooking.objects.values_list("pk", "status"))
    assert statuses == {
        served.pk: BookingStatus.CHECKED_OUT,
        on_duty.pk: BookingStatus.CANCELLED,
        waiting.pk: BookingStatus.CANCELLED,
    }
    early.refresh_from_db()
    late.refresh_from_db()
    assert (early.booked, late.booked) == (1, 0)
    assert Notification.objects.count() == notes + 2
    assert set(Notification.objects.filter(verb="campaign_cancelled").values_list("recipient", flat=True)) == {
        b.pk,
        c.pk,
    }
