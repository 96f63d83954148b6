"""The campaigns API: campaigns and their shifts within scope, sign-up (self, one person, a squad) with the
refusals (full, overlapping), check-in and check-out on one's own booking or, for staff, a named one. Another
community's staff get a 404 and write nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from grassroots.core.models import AuditEvent
from grassroots.frontline.enums import BookingStatus, PlaceKind, PointsSource
from grassroots.frontline.models import Campaign, PointsEntry, Shift, ShiftBooking
from grassroots.frontline.services.campaigns import (
    booking_checkin,
    campaign_create,
    campaign_open,
    place_add,
    shift_add,
)
from tests.api.conftest import assert_error, results
from tests.conftest import World
from tests.factories import make_person

pytestmark = pytest.mark.django_db

CAMPAIGNS = "/api/v1/campaigns/"


def client(user: Any) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


@dataclass
class Drill:
    campaign: Campaign
    soon: Shift  # starts in 10 minutes (check-in open), needs 3
    overlapping: Shift  # overlaps ``soon``, needs 1
    tomorrow: Shift  # needs 1
    beichen: Campaign
    beichen_shift: Shift


def make_campaign(w: World, community: str, staff: str, title: str) -> Campaign:
    today = timezone.localdate()
    campaign = campaign_create(
        actor=w.users[staff],
        region=w.communities[community].region,
        title=title,
        starts_on=today,
        ends_on=today + dt.timedelta(days=7),
    )
    return campaign_open(campaign=campaign, actor=w.users[staff])


def add_shift(w: World, campaign: Campaign, staff: str, start: dt.datetime, hours: int, needed: int) -> Shift:
    place = campaign.places.first() or place_add(
        campaign=campaign, actor=w.users[staff], name=f"{campaign.title}卡点", kind=PlaceKind.CHECKPOINT
    )
    return shift_add(
        campaign=campaign,
        place=place,
        actor=w.users[staff],
        starts_at=start,
        ends_at=start + dt.timedelta(hours=hours),
        needed=needed,
        duty="测温登记",
    )


@pytest.fixture
def drill(duty_world: World) -> Drill:
    w = duty_world
    now = timezone.now()
    campaign = make_campaign(w, "dongyue", "community_staff", "东岳社区疫情防控")
    soon = add_shift(w, campaign, "community_staff", now + dt.timedelta(minutes=10), 2, 3)
    overlapping = add_shift(w, campaign, "community_staff", now + dt.timedelta(hours=1), 2, 1)
    tomorrow = add_shift(w, campaign, "community_staff", now + dt.timedelta(days=1), 2, 1)
    beichen = make_campaign(w, "beichen", "sibling_staff", "北辰社区疫情防控")
    beichen_shift = add_shift(w, beichen, "sibling_staff", now + dt.timedelta(hours=3), 2, 5)
    return Drill(campaign, soon, overlapping, tomorrow, beichen, beichen_shift)


def url(d: Campaign, shift: Shift | None = None, action: str = "") -> str:
    if shift is None:
        return f"{CAMPAIGNS}{d.pk}/{action}"
    return f"{CAMPAIGNS}{d.pk}/shifts/{shift.pk}/{action}/"


def written() -> tuple[int, int, list[int]]:
    return (
        ShiftBooking.objects.count(),
        AuditEvent.objects.count(),
        list(Shift.objects.order_by("pk").values_list("booked", flat=True)),
    )


def test_campaigns_are_scoped(duty_world: World, drill: Drill) -> None:
    w = duty_world
    titles = {
        persona: [c["title"] for c in results(client(w.users[persona]).get(CAMPAIGNS))]
        for persona in ("party_member", "community_staff", "sibling_staff", "resident")
    }
    assert titles == {
        "party_member": ["东岳社区疫情防控"],
        "community_staff": ["东岳社区疫情防控"],
        "sibling_staff": ["北辰社区疫情防控"],
        "resident": [],
    }
    assert sorted(c["title"] for c in results(client(w.users["street_staff"]).get(CAMPAIGNS))) == [
        "东岳社区疫情防控",
        "北辰社区疫情防控",
    ]
    assert results(client(w.users["street_staff"]).get(CAMPAIGNS, {"status": "draft"})) == []
    detail = client(w.users["party_member"]).get(url(drill.campaign))
    assert detail.status_code == 200 and detail.json()["places"][0]["name"] == "东岳社区疫情防控卡点"
    for persona in ("party_member", "community_staff"):
        assert_error(client(w.users[persona]).get(url(drill.beichen)), 404, "not_found")
        assert_error(client(w.users[persona]).get(url(drill.beichen, action="shifts/")), 404, "not_found")
    assert_error(client(w.users["sibling_staff"]).get(url(drill.campaign)), 404, "not_found")


def test_shifts_show_places_left_fill_rate_and_my_booking(duty_world: World, drill: Drill) -> None:
    w = duty_world
    member = client(w.users["party_member"])
    rows = results(member.get(url(drill.campaign, action="shifts/")))
    assert [r["id"] for r in rows] == [drill.soon.pk, drill.overlapping.pk, drill.tomorrow.pk]
    assert rows[0]["places_left"] == 3 and rows[0]["fill_rate"] == 0 and rows[0]["my_booking"] is None

    response = member.post(url(drill.campaign, drill.soon, "signup"))
    assert response.status_code == 201, response.content
    (booking,) = response.json()["bookings"]
    assert booking["person"] == w.duty.member.pk and booking["status"] == BookingStatus.BOOKED

    rows = results(member.get(url(drill.campaign, action="shifts/")))
    assert rows[0]["booked"] == 1 and rows[0]["places_left"] == 2
    assert rows[0]["fill_rate"] == pytest.approx(1 / 3)
    assert rows[0]["my_booking"]["id"] == booking["id"] and rows[1]["my_booking"] is None


def test_overlapping_and_full_shifts_are_refused_and_write_nothing(duty_world: World, drill: Drill) -> None:
    w = duty_world
    member = client(w.users["party_member"])
    assert member.post(url(drill.campaign, drill.soon, "signup")).status_code == 201

    before = written()
    overlap = member.post(url(drill.campaign, drill.overlapping, "signup"))
    assert "东岳社区疫情防控" in assert_error(overlap, 409, "already_booked")["message"]
    assert written() == before

    staff = client(w.users["community_staff"])
    response = staff.post(url(drill.campaign, drill.tomorrow, "signup"), {"person": w.duty.colleagues[0].pk})
    assert response.status_code == 201 and response.json()["bookings"][0]["person"] == w.duty.colleagues[0].pk
    before = written()
    assert_error(member.post(url(drill.campaign, drill.tomorrow, "signup")), 409, "shift_full")
    assert written() == before


def test_check_in_and_out_on_ones_own_booking(duty_world: World, drill: Drill) -> None:
    w = duty_world
    member = client(w.users["party_member"])
    assert_error(member.post(url(drill.campaign, drill.soon, "checkin")), 409, "not_booked")
    member.post(url(drill.campaign, drill.soon, "signup"))
    assert_error(member.post(url(drill.campaign, drill.soon, "checkout")), 409, "invalid_state")

    response = member.post(url(drill.campaign, drill.soon, "checkin"))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == BookingStatus.CHECKED_IN and response.json()["checked_in_at"]

    booking = ShiftBooking.objects.get(person=w.duty.member)
    ShiftBooking.objects.filter(pk=booking.pk).update(checked_in_at=timezone.now() - dt.timedelta(hours=2))
    response = member.post(url(drill.campaign, drill.soon, "checkout"))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == BookingStatus.CHECKED_OUT and response.json()["hours"] == "2.00"
    assert PointsEntry.objects.filter(booking=booking, source=PointsSource.HOUR_SERVED).exists()


def test_staff_check_a_named_booking_in_but_not_outside_the_window(duty_world: World, drill: Drill) -> None:
    w = duty_world
    staff = client(w.users["community_staff"])
    signed = staff.post(url(drill.campaign, drill.tomorrow, "signup"), {"person": w.duty.member.pk}, format="json")
    booking_id = signed.json()["bookings"][0]["id"]
    before = written()
    refused = staff.post(url(drill.campaign, drill.tomorrow, "checkin"), {"booking": booking_id}, format="json")
    assert_error(refused, 409, "outside_checkin_window")
    assert written() == before
    # a booking of another shift is not found under this shift
    wrong = staff.post(url(drill.campaign, drill.soon, "checkin"), {"booking": booking_id}, format="json")
    assert "booking" in assert_error(wrong, 400, "booking_invalid")["fields"]

    signed = staff.post(url(drill.campaign, drill.soon, "signup"), {"person": w.duty.colleagues[1].pk}, format="json")
    booking_id = signed.json()["bookings"][0]["id"]
    response = staff.post(url(drill.campaign, drill.soon, "checkin"), {"booking": booking_id}, format="json")
    assert response.status_code == 200 and response.json()["status"] == BookingStatus.CHECKED_IN
    # a member cannot check someone else in
    other = client(w.users["party_member"]).post(
        url(drill.campaign, drill.soon, "checkout"), {"booking": booking_id}, format="json"
    )
    assert_error(other, 403, "not_allowed")


def test_a_squad_leader_signs_the_squad_up_all_or_nothing(duty_world: World, drill: Drill) -> None:
    w = duty_world
    leader = client(w.users["party_member"])
    colleagues = [p.pk for p in w.duty.colleagues]
    outsider = make_person(name="东岳居民陈明", household=w.communities["dongyue"].household)
    before = written()
    bad = leader.post(
        url(drill.campaign, drill.soon, "signup"),
        {"squad": w.duty.squad.pk, "persons": [*colleagues, outsider.pk]},
        format="json",
    )
    assert "persons" in assert_error(bad, 400, "signup_invalid")["fields"]
    too_many = leader.post(
        url(drill.campaign, drill.overlapping, "signup"),
        {"squad": w.duty.squad.pk, "persons": colleagues},
        format="json",
    )
    assert_error(too_many, 409, "squad_signup_refused")
    assert written() == before

    response = leader.post(
        url(drill.campaign, drill.soon, "signup"), {"squad": w.duty.squad.pk, "persons": colleagues}, format="json"
    )
    assert response.status_code == 201, response.content
    assert sorted(b["person"] for b in response.json()["bookings"]) == sorted(colleagues)
    assert {b["squad"] for b in response.json()["bookings"]} == {w.duty.squad.pk}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"person": "me"}, "person"),
        ({"person": 999999}, "person"),
        ({"squad": 1}, "persons"),
        ({"persons": [1]}, "squad"),
        ({"squad": 999999, "persons": [1]}, "squad"),
    ],
)
def test_bad_sign_ups_are_a_400_and_write_nothing(
    duty_world: World, drill: Drill, body: dict[str, Any], field: str
) -> None:
    staff = client(duty_world.users["community_staff"])
    before = written()
    response = staff.post(url(drill.campaign, drill.soon, "signup"), body, format="json")
    assert field in assert_error(response, 400, "signup_invalid")["fields"]
    assert written() == before


def test_another_communitys_staff_get_a_404_and_change_nothing(duty_world: World, drill: Drill) -> None:
    w = duty_world
    member = client(w.users["party_member"])
    member.post(url(drill.campaign, drill.soon, "signup"))
    booking = ShiftBooking.objects.get()
    sibling = client(w.users["sibling_staff"])
    before = written()
    for action in ("signup", "checkin", "checkout"):
        response = sibling.post(url(drill.campaign, drill.soon, action), {"booking": booking.pk}, format="json")
        assert_error(response, 404, "not_found")
    # the member cannot reach 北辰's campaign, nor a 北辰 shift through their own campaign
    assert_error(member.post(url(drill.beichen, drill.beichen_shift, "signup")), 404, "not_found")
    assert_error(member.post(url(drill.campaign, drill.beichen_shift, "signup")), 404, "not_found")
    assert written() == before
    booking_checkin(booking=booking, actor=w.users["party_member"])  # still the member's to use
