"""Who sees which points: staff by the community reported to, a unit's admin its own members, a member their own.
北辰社区's staff and another unit's admin see none of 东岳's ledger; rankings and the feedback right follow."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from grassroots.accounts.enums import Role
from grassroots.accounts.models import User
from grassroots.accounts.services import role_assign, user_create
from grassroots.frontline.models import MemberReport, PointsEntry
from grassroots.frontline.rules.points import can_download_feedback, can_publish_points_rules, can_record_service
from grassroots.frontline.selectors.points import points_ledger, points_ranking_members, points_ranking_units
from grassroots.frontline.services.points import service_record_add
from tests.conftest import PASSWORD, World
from tests.factories import tracked_update
from tests.frontline.test_points import wish_done


def _other_unit_admin(w: World) -> User:
    """The admin of 北辰机械厂, a unit none of whose members are in the ledger."""
    user = user_create(actor=None, username="other_unit_admin", password=PASSWORD)
    role_assign(actor=None, user=user, role=Role.UNIT_ADMIN, region=w.district, organization=w.duty.other_unit)
    return user


@pytest.fixture
def ledger_world(duty_world: World, reported_member: Any) -> World:
    """王强 (reported to 东岳) has 20 points: reporting 5, a wish 10 + 5; a colleague has 8 from a service record."""
    w = duty_world
    # Mid-morning today, so the wish's fulfilment and rating (an hour or two later) stay on today's date.
    morning = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(10)))
    # ... and 王强's report confirmed before that, so what he earns is placed at the community he reported to.
    tracked_update(MemberReport.objects.filter(person=w.duty.member), decided_at=morning - dt.timedelta(hours=1))
    with time_machine.travel(morning, tick=False):
        wish_done(w)
        service_record_add(
            actor=w.users["community_staff"],
            person=w.duty.colleagues[0],
            region=w.communities["dongyue"].region,
            title="东岳社区义诊",
            served_on=timezone.localdate(),
            hours="2.5",
        )
    w.users["other_unit_admin"] = _other_unit_admin(w)
    return w


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("district_admin", 5),
        ("street_staff", 5),
        ("community_staff", 5),
        ("unit_admin", 5),  # both are members of 区税务局
        ("party_member", 3),  # their own
        # 王强's entries are placed at the community he reported to; his unreported colleague's where she lives.
        ("compound_secretary", 2),
        ("sibling_staff", 0),
        ("other_unit_admin", 0),
        ("department_staff", 0),
        ("grid_worker", 0),
        ("resident", 0),
    ],
)
def test_who_sees_which_entries(ledger_world: World, persona: str, expected: int) -> None:
    rows = points_ledger(user=ledger_world.users[persona])
    assert rows.count() == expected
    if persona == "party_member":
        assert {e.person_id for e in rows} == {ledger_world.duty.member.pk}


def test_the_ledger_filters(ledger_world: World) -> None:
    w = ledger_world
    staff = w.users["community_staff"]
    assert points_ledger(user=staff, person_id=w.duty.member.pk).count() == 3
    assert points_ledger(user=staff, unit_id=w.duty.unit.pk).count() == 5
    assert points_ledger(user=staff, unit_id=w.duty.other_unit.pk).count() == 0
    today = timezone.localdate()
    assert points_ledger(user=staff, date_from=today, date_to=today).count() == 5
    assert points_ledger(user=staff, date_to=today - dt.timedelta(days=1)).count() == 0
    assert points_ledger(user=staff, date_from=today + dt.timedelta(days=1)).count() == 0


def test_member_ranking_in_scope(ledger_world: World) -> None:
    w = ledger_world
    ranking = points_ranking_members(user=w.users["community_staff"], year=timezone.localdate().year)
    assert [(r.rank, r.name, r.points, r.unit_name) for r in ranking] == [
        (1, "东岳党员王强", Decimal("20.00"), "区税务局"),
        (2, "东岳党员赵敏", Decimal("8.00"), "区税务局"),
    ]
    assert points_ranking_members(user=w.users["community_staff"], limit=1)[0].name == "东岳党员王强"
    assert points_ranking_members(user=w.users["community_staff"], year=2001) == []
    assert points_ranking_members(user=w.users["sibling_staff"]) == []
    assert points_ranking_members(user=w.users["other_unit_admin"]) == []
    beichen = w.communities["beichen"].region.pk
    assert points_ranking_members(user=w.users["district_admin"], community_id=beichen) == []


def test_tied_members_share_a_rank(ledger_world: World) -> None:
    w = ledger_world
    tracked_update(PointsEntry.objects.filter(person=w.duty.colleagues[0]), points=Decimal(10))
    ranking = points_ranking_members(user=w.users["district_admin"])
    assert [(r.rank, r.points) for r in ranking] == [(1, Decimal("20.00")), (1, Decimal("20.00"))]


def test_unit_ranking_is_points_per_reported_member(ledger_world: World) -> None:
    w = ledger_world
    ranking = points_ranking_units(user=w.users["community_staff"])
    assert [(r.rank, r.unit_name, r.members_reported, r.points, r.index) for r in ranking] == [
        (1, "区税务局", 1, Decimal("28.00"), Decimal("28.00"))
    ]
    assert points_ranking_units(user=w.users["sibling_staff"]) == []
    assert points_ranking_units(user=w.users["other_unit_admin"]) == []
    assert [r.unit_name for r in points_ranking_units(user=w.users["unit_admin"])] == ["区税务局"]


def test_permissions(ledger_world: World) -> None:
    w = ledger_world
    unit, other = w.duty.unit, w.duty.other_unit
    dy = w.communities["dongyue"].region
    assert can_download_feedback(w.users["unit_admin"], unit)
    assert not can_download_feedback(w.users["unit_admin"], other)
    assert not can_download_feedback(w.users["other_unit_admin"], unit)
    assert can_download_feedback(w.users["district_admin"], unit)
    for persona in ("community_staff", "street_staff", "sibling_staff", "party_member"):
        assert not can_download_feedback(w.users[persona], unit), persona
    assert can_publish_points_rules(w.users["district_admin"])
    assert not can_publish_points_rules(w.users["street_staff"])
    assert can_record_service(w.users["community_staff"], dy)
    assert can_record_service(w.users["street_staff"], dy)
    assert not can_record_service(w.users["sibling_staff"], dy)
    assert w.users["unit_admin"].has_perm("frontline.download_unit_feedback", unit)
    assert not w.users["other_unit_admin"].has_perm("frontline.download_unit_feedback", unit)
