"""Reads and scope of campaigns: fill figures, shifts, my sign-ups, squads; staff of a sibling community (北辰社区)
neither see nor run a 东岳社区 campaign; who may create where; members see only open campaigns meant for them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from grassroots.accounts.services import user_create
from grassroots.core.errors import ApplicationError
from grassroots.frontline.enums import BookingStatus, CampaignStatus, PlaceKind
from grassroots.frontline.models import Campaign
from grassroots.frontline.rules.campaigns import campaign_actions, can_manage_campaign, can_view_campaign
from grassroots.frontline.selectors.campaigns import (
    campaign_fill,
    campaign_get,
    campaign_list,
    my_bookings,
    open_campaigns_for,
    shift_list,
    squad_list,
)
from grassroots.frontline.services.campaigns import (
    booking_cancel,
    booking_checkin,
    booking_checkout,
    campaign_cancel,
    campaign_create,
    campaign_finish,
    place_add,
    shift_add,
    shift_signup,
    squad_signup,
)
from grassroots.organizations.models import OrganizationMembership
from grassroots.people.models import Person
from tests.conftest import PASSWORD, SIBLING_MARK, World
from tests.frontline.test_campaigns import (
    FIRST_DAY,
    LAST_DAY,
    NOW,
    at,
    counts,
    make_campaign,
    make_shift,
    members_of_dongyue,
)


@pytest.fixture
def dongyue_campaign(duty_world: World) -> Campaign:
    return make_campaign(duty_world)


def test_sibling_staff_cannot_see_a_dongyue_campaign(dongyue_campaign: Campaign, duty_world: World) -> None:
    w = duty_world
    sibling = w.users["sibling_staff"]
    ours = make_campaign(w, region=w.communities["beichen"].region, actor="sibling_staff", title="北辰社区卡点")
    shift = make_shift(w, dongyue_campaign, start=at(2, 8))
    booking = shift_signup(shift=shift, actor=w.users["party_member"], now=NOW)
    assert list(campaign_list(user=sibling)) == [ours]
    with pytest.raises(Campaign.DoesNotExist):
        campaign_get(user=sibling, pk=dongyue_campaign.pk)
    assert not shift_list(user=sibling, campaign=dongyue_campaign).exists()
    assert not can_view_campaign(sibling, dongyue_campaign)
    assert campaign_actions(sibling, dongyue_campaign) == set()
    assert list(squad_list(user=sibling)) == []
    assert booking not in my_bookings(user=sibling)
    # And the other way round: nothing of 北辰 reaches 东岳's staff or members.
    for persona in ("community_staff", "party_member"):
        names = [c.title for c in campaign_list(user=w.users[persona])]
        assert names and not any(SIBLING_MARK in n for n in names)


def test_sibling_staff_cannot_run_a_dongyue_campaign(dongyue_campaign: Campaign, duty_world: World) -> None:
    w = duty_world
    sibling = w.users["sibling_staff"]
    shift = make_shift(w, dongyue_campaign, start=at(2, 8))
    place = shift.place
    booking = shift_signup(shift=shift, actor=w.users["party_member"], now=NOW)
    zhao = w.duty.colleagues[0]
    before = counts()
    attempts: list[Any] = [
        lambda: campaign_create(
            actor=sibling, region=w.communities["dongyue"].region, title="越界", starts_on=FIRST_DAY, ends_on=LAST_DAY
        ),
        lambda: campaign_finish(campaign=dongyue_campaign, actor=sibling),
        lambda: campaign_cancel(campaign=dongyue_campaign, actor=sibling),
        lambda: place_add(campaign=dongyue_campaign, actor=sibling, name="北辰卡点", kind=PlaceKind.CHECKPOINT),
        lambda: shift_add(
            campaign=dongyue_campaign, place=place, actor=sibling, starts_at=at(3, 8), ends_at=at(3, 12), needed=2
        ),
        lambda: shift_signup(shift=shift, actor=sibling, person=zhao, now=NOW),
        lambda: squad_signup(shift=shift, actor=sibling, squad=w.duty.squad, persons=[zhao], now=NOW),
        lambda: booking_cancel(booking=booking, actor=sibling, now=NOW),
        lambda: booking_checkin(booking=booking, actor=sibling, now=at(2, 8)),
    ]
    for attempt in attempts:
        with pytest.raises(ApplicationError) as err:
            attempt()
        assert (err.value.code, err.value.status) == ("not_allowed", 403)
    assert counts() == before
    dongyue_campaign.refresh_from_db()
    assert dongyue_campaign.status == CampaignStatus.OPEN


@pytest.mark.parametrize(
    ("persona", "where", "allowed"),
    [
        ("district_admin", "district", True),
        ("street_staff", "mingshan", True),
        ("street_staff", "dongyue", True),
        ("street_staff", "nanjiang", False),
        ("community_staff", "dongyue", True),
        ("community_staff", "dongyue_compound", True),
        ("community_staff", "mingshan", False),
        ("community_staff", "beichen", False),
        ("compound_secretary", "dongyue_compound", False),
        ("grid_worker", "dongyue", False),
        ("department_staff", "dongyue", False),
        ("party_member", "dongyue", False),
    ],
)
def test_who_may_create_where(duty_world: World, persona: str, where: str, allowed: bool) -> None:
    w = duty_world
    regions = {
        "district": w.district,
        "mingshan": w.streets["mingshan"],
        "nanjiang": w.streets["nanjiang"],
        "dongyue": w.communities["dongyue"].region,
        "dongyue_compound": w.communities["dongyue"].compound,
        "beichen": w.communities["beichen"].region,
    }
    kwargs: dict[str, Any] = {"region": regions[where], "title": "卡点", "starts_on": FIRST_DAY, "ends_on": LAST_DAY}
    if allowed:
        assert campaign_create(actor=w.users[persona], **kwargs).region == regions[where]
    else:
        before = counts()
        with pytest.raises(ApplicationError) as err:
            campaign_create(actor=w.users[persona], **kwargs)
        assert err.value.code == "not_allowed"
        assert counts() == before


def test_viewers_and_managers(dongyue_campaign: Campaign, duty_world: World) -> None:
    w = duty_world
    users = w.users
    for persona in ("district_admin", "street_staff", "community_staff"):
        assert can_manage_campaign(users[persona], dongyue_campaign), persona
        assert dongyue_campaign in campaign_list(user=users[persona])
    for persona in ("compound_secretary", "grid_worker", "department_staff", "unit_admin", "resident"):
        assert not can_manage_campaign(users[persona], dongyue_campaign), persona
        assert dongyue_campaign not in campaign_list(user=users[persona]), persona
    street_staff_actions = campaign_actions(users["street_staff"], dongyue_campaign)
    assert {"finish", "cancel", "add_shift"} <= street_staff_actions
    assert campaign_actions(users["party_member"], dongyue_campaign) == {"sign_up", "sign_up_squad"}
    # A compound secretary sees a campaign of their compound, without running it.
    compound = make_campaign(w, region=w.communities["dongyue"].compound, title="东岳花园")
    assert list(campaign_list(user=users["compound_secretary"])) == [compound]
    assert not can_manage_campaign(users["compound_secretary"], compound)


def test_members_see_only_open_campaigns_meant_for_them(duty_world: World) -> None:
    w = duty_world
    member = w.users["party_member"]
    draft = make_campaign(w, open_=False)
    beichen = make_campaign(w, region=w.communities["beichen"].region, actor="sibling_staff", title="北辰社区")
    assert draft not in campaign_list(user=member)
    with pytest.raises(Campaign.DoesNotExist):
        campaign_get(user=member, pk=draft.pk)
    with pytest.raises(Campaign.DoesNotExist):
        campaign_get(user=member, pk=beichen.pk)
    assert not shift_list(user=member, campaign=beichen).exists()
    # Nor may they sign up for it (a shift id guessed from elsewhere).
    shift = make_shift(w, beichen, start=at(2, 8), actor="sibling_staff")
    before = counts()
    with pytest.raises(ApplicationError) as err:
        shift_signup(shift=shift, actor=member, now=NOW)
    assert err.value.code == "not_allowed"
    # Nor may they take their 东岳 squad there as its leader.
    with pytest.raises(ApplicationError) as err:
        squad_signup(shift=shift, actor=member, squad=w.duty.squad, persons=[member.person], now=NOW)
    assert err.value.code == "not_allowed"
    assert counts() == before
    assert beichen not in open_campaigns_for(user=members_of_dongyue(w, 1)[0])


# Reads


def test_fill_shifts_and_my_bookings(
    dongyue_campaign: Campaign, duty_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    campaign = dongyue_campaign
    import grassroots.frontline.services.points as points

    monkeypatch.setattr(points, "points_award_for_booking", lambda *, booking: 0)
    w = duty_world
    member = w.users["party_member"]
    one = make_shift(w, campaign, start=at(2, 8), needed=4)
    two = make_shift(w, campaign, start=at(2, 14), needed=2)
    a, b = members_of_dongyue(w, 2)
    mine = shift_signup(shift=one, actor=member, now=NOW)
    shift_signup(shift=one, actor=a, now=NOW)
    shift_signup(shift=two, actor=b, now=NOW)
    booking_checkin(booking=mine, actor=member, now=at(2, 8))
    booking_checkout(booking=mine, actor=member, now=at(2, 11))

    fill = campaign_fill(campaign=campaign)
    assert (fill.shifts, fill.needed, fill.booked, fill.checked_in, fill.checked_out) == (2, 6, 3, 1, 1)
    assert fill.hours == Decimal("3.00") and fill.fill_rate == 0.5

    rows = {s.pk: s for s in shift_list(user=member, campaign=campaign)}
    assert rows[one.pk].fill == 0.5 and rows[two.pk].fill == 0.5
    assert rows[one.pk].my_booking_id == mine.pk and rows[one.pk].my_booking_status == BookingStatus.CHECKED_OUT
    assert rows[two.pk].my_booking_id is None
    staff_rows = list(shift_list(user=w.users["community_staff"], campaign=campaign))
    assert len(staff_rows) == 2 and all(r.my_booking_id is None for r in staff_rows)

    assert list(my_bookings(user=member)) == [mine]
    assert list(my_bookings(user=w.users["community_staff"])) == []

    listed = campaign_list(user=w.users["community_staff"]).get(pk=campaign.pk)
    assert (listed.shift_count, listed.needed_total, listed.booked_total) == (2, 6, 3)


def test_members_see_open_campaigns_that_reach_their_community(duty_world: World) -> None:
    w = duty_world
    member = w.users["party_member"]
    ours = make_campaign(w)
    street = make_campaign(w, region=w.streets["mingshan"], actor="street_staff", title="名山街道")
    district = make_campaign(w, region=w.district, actor="district_admin", title="全区")
    compound = make_campaign(w, region=w.communities["dongyue"].compound, title="东岳花园")
    make_campaign(w, open_=False, title="草稿")
    make_campaign(w, region=w.communities["beichen"].region, actor="sibling_staff", title="北辰社区")
    make_campaign(w, region=w.streets["nanjiang"], actor="district_admin", title="南江街道")
    assert set(open_campaigns_for(user=member)) == {ours, street, district, compound}
    assert set(campaign_list(user=member)) == {ours, street, district, compound}
    assert campaign_get(user=member, pk=street.pk) == street
    assert not open_campaigns_for(user=w.users["resident"]).exists()
    assert not open_campaigns_for(user=w.users["community_staff"]).exists()


def test_a_member_living_elsewhere_is_reached_where_they_live(duty_world: World) -> None:
    """A party member with no role anchor (only a membership) is reached where they live."""
    w = duty_world
    zhao = w.duty.colleagues[0]
    user = user_create(actor=None, username="zhao", password=PASSWORD, person=zhao)
    ours = make_campaign(w)
    make_campaign(w, region=w.communities["beichen"].region, actor="sibling_staff", title="北辰社区")
    assert list(open_campaigns_for(user=user)) == [ours]
    shift = make_shift(w, ours, start=at(2, 8))
    assert shift_signup(shift=shift, actor=user, now=NOW).person == zhao


def test_squad_list_in_one_query(duty_world: World, django_assert_num_queries: Any) -> None:
    w = duty_world
    squad = w.duty.squad
    second_leader = Person.objects.get(pk=w.duty.colleagues[0].pk)
    OrganizationMembership.objects.filter(organization=squad, person=second_leader).update(role="leader")
    staff = w.users["community_staff"]
    squad_list(user=staff)  # reads the user's role assignments once (cached on the user)
    with django_assert_num_queries(1):
        rows = list(squad_list(user=staff))
        assert [r.pk for r in rows] == [squad.pk]
        row = rows[0]
        assert row.parent is not None and row.parent.name == "东岳党员先锋总队"
    assert row.member_count == 3
    assert set(row.leader_names.split("、")) == {"东岳党员王强", second_leader.name}
    assert [r.pk for r in squad_list(user=w.users["party_member"])] == [squad.pk]  # the leader sees their squad
    assert list(squad_list(user=w.users["community_staff"], q="一分队")) == [squad]
    assert not squad_list(user=w.users["community_staff"], q="二分队").exists()
