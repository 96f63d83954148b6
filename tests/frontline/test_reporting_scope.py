"""Who sees which reports: staff by region, a unit's admin by organisation, a member their own."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Sum
from django.utils.translation import gettext as _

from grassroots.accounts.enums import Role
from grassroots.accounts.models import User
from grassroots.accounts.services import role_assign, user_create
from grassroots.catalogue.models import ServiceCategory
from grassroots.frontline.models import MemberReport, PointsEntry, UnitReport
from grassroots.frontline.rules import reporting as rules
from grassroots.frontline.selectors.reporting import (
    member_report_get,
    member_report_list,
    member_roster,
    my_member_report,
    unit_members,
    unit_report_get,
    unit_report_list,
)
from grassroots.frontline.services.reporting import CommitmentInput, member_report_submit, unit_report_submit
from tests.conftest import PASSWORD, World
from tests.frontline.conftest import REPORTED_POSTS

pytestmark = pytest.mark.django_db


def other_unit_admin(w: World) -> User:
    """The admin of 北辰机械厂, another unit."""
    user = user_create(actor=None, username="other_unit_admin", password=PASSWORD)
    role_assign(actor=None, user=user, role=Role.UNIT_ADMIN, region=w.district, organization=w.duty.other_unit)
    return user


def unit_report(w: World, community: str, actor: str) -> UnitReport:
    return unit_report_submit(
        actor=w.users[actor],
        unit=w.duty.unit,
        community=w.communities[community].region,
        agreement_title="共驻共建协议",
        agreement_start=dt.date(2026, 1, 1),
        agreement_end=dt.date(2026, 12, 31),
        commitments=[CommitmentInput("每年办实事3件", 3)],
    )


def ids(rows: Any) -> set[int]:
    return {r.pk for r in rows}


def test_unit_reports_by_region_and_by_unit(duty_world: World) -> None:
    w = duty_world
    dongyue = unit_report(w, "dongyue", "unit_admin")
    beichen = unit_report(w, "beichen", "sibling_staff")
    other = other_unit_admin(w)

    assert ids(unit_report_list(user=w.users["community_staff"])) == {dongyue.pk}
    assert ids(unit_report_list(user=w.users["sibling_staff"])) == {beichen.pk}
    assert ids(unit_report_list(user=w.users["street_staff"])) == {dongyue.pk, beichen.pk}
    assert ids(unit_report_list(user=w.users["district_admin"])) == {dongyue.pk, beichen.pk}
    # The unit's admin sees its unit's reports wherever they went; another unit's admin sees none.
    assert ids(unit_report_list(user=w.users["unit_admin"])) == {dongyue.pk, beichen.pk}
    assert ids(unit_report_list(user=other)) == set()
    for persona in ("party_member", "resident", "grid_worker", "department_staff"):
        assert ids(unit_report_list(user=w.users[persona])) == set(), persona

    assert unit_report_get(user=w.users["community_staff"], pk=dongyue.pk) == dongyue
    for user, pk in (
        (w.users["sibling_staff"], dongyue.pk),
        (other, beichen.pk),
        (w.users["party_member"], dongyue.pk),
    ):
        with pytest.raises(UnitReport.DoesNotExist):
            unit_report_get(user=user, pk=pk)

    assert ids(unit_report_list(user=w.users["street_staff"], q="北辰")) == {beichen.pk}
    assert ids(unit_report_list(user=w.users["street_staff"], status="confirmed")) == set()


def test_unit_report_actions_follow_role_scope_and_state(duty_world: World) -> None:
    w = duty_world
    report = unit_report(w, "dongyue", "unit_admin")
    assert rules.unit_report_actions(w.users["community_staff"], report) == {"confirm", "reject"}
    assert rules.unit_report_actions(w.users["unit_admin"], report) == {"withdraw"}
    assert rules.unit_report_actions(w.users["sibling_staff"], report) == set()
    assert rules.unit_report_actions(other_unit_admin(w), report) == set()
    assert not rules.can_view_unit_report(w.users["sibling_staff"], report)
    assert w.users["community_staff"].has_perm("frontline.decide_unit_report", report)
    assert not w.users["sibling_staff"].has_perm("frontline.decide_unit_report", report)


def test_member_reports_by_region_by_unit_and_own(reported_member: MemberReport, duty_world: World) -> None:
    w = duty_world
    zhao = w.duty.colleagues[0]
    pending_beichen = member_report_submit(
        actor=w.users["unit_admin"],
        region=w.communities["beichen"].compound,
        posts=list(ServiceCategory.objects.filter(code="policy")),
        person=zhao,
        channel="roster",
    )
    other = other_unit_admin(w)
    mine = reported_member.pk

    assert ids(member_report_list(user=w.users["community_staff"])) == {mine}
    assert ids(member_report_list(user=w.users["sibling_staff"])) == {pending_beichen.pk}
    assert ids(member_report_list(user=w.users["street_staff"])) == {mine, pending_beichen.pk}
    assert ids(member_report_list(user=w.users["unit_admin"])) == {mine, pending_beichen.pk}
    assert ids(member_report_list(user=other)) == set()
    assert ids(member_report_list(user=w.users["party_member"])) == {mine}
    assert ids(member_report_list(user=w.users["resident"])) == set()
    # The compound's secretary of 东岳花园 sees reports to that compound only.
    assert ids(member_report_list(user=w.users["compound_secretary"])) == set()

    assert ids(member_report_list(user=w.users["street_staff"], status="pending")) == {pending_beichen.pk}
    assert ids(member_report_list(user=w.users["street_staff"], q="赵敏")) == {pending_beichen.pk}
    assert ids(member_report_list(user=w.users["street_staff"], post="safety")) == {mine}
    safety = ServiceCategory.objects.get(code="safety")
    assert ids(member_report_list(user=w.users["street_staff"], post=str(safety.pk))) == {mine}

    assert member_report_get(user=w.users["party_member"], pk=mine) == reported_member
    for user, pk in ((w.users["sibling_staff"], mine), (other, mine), (w.users["party_member"], pending_beichen.pk)):
        with pytest.raises(MemberReport.DoesNotExist):
            member_report_get(user=user, pk=pk)

    assert my_member_report(user=w.users["party_member"]) == reported_member
    assert my_member_report(user=w.users["resident"]) is None
    assert rules.member_report_actions(w.users["party_member"], reported_member) == {"withdraw"}
    assert rules.member_report_actions(w.users["sibling_staff"], pending_beichen) == {"confirm", "reject", "withdraw"}
    assert rules.member_report_actions(w.users["community_staff"], pending_beichen) == set()


def test_unit_members_shows_who_has_reported(reported_member: MemberReport, duty_world: World) -> None:
    w = duty_world
    zhao, sun = w.duty.colleagues
    member_report_submit(
        actor=w.users["unit_admin"],
        region=w.communities["dongyue"].region,
        posts=list(ServiceCategory.objects.filter(code="policy")),
        person=zhao,
        channel="roster",
    )
    rows = unit_members(user=w.users["unit_admin"])
    by_name = {row.person.name: (row.status_label, row.status, row.report) for row in rows}
    assert set(by_name) == {"东岳党员王强", "东岳党员赵敏", "东岳党员孙磊"}
    assert by_name["东岳党员王强"][:2] == (_("Reported"), "reported")
    assert by_name["东岳党员王强"][2] == reported_member
    assert by_name["东岳党员赵敏"][:2] == (_("Awaiting confirmation"), "pending")
    assert by_name["东岳党员孙磊"] == (_("Not reported"), "not_reported", None)
    assert sun.pk in {row.person.pk for row in rows}

    unit = w.duty.unit.pk
    assert len(unit_members(user=w.users["unit_admin"], unit_id=unit)) == 3
    assert len(unit_members(user=w.users["district_admin"], unit_id=unit)) == 3
    other = other_unit_admin(w)
    assert unit_members(user=other, unit_id=unit) == []
    assert unit_members(user=other) == []  # 北辰机械厂 has no in-service members here
    for persona in ("community_staff", "sibling_staff", "street_staff", "party_member"):
        assert unit_members(user=w.users[persona], unit_id=unit) == [], persona
    assert unit_members(user=w.users["district_admin"]) == []


def test_member_roster_lists_confirmed_members_with_posts_and_points(
    reported_member: MemberReport, duty_world: World
) -> None:
    w = duty_world
    pending = member_report_submit(
        actor=w.users["unit_admin"],
        region=w.communities["dongyue"].region,
        posts=list(ServiceCategory.objects.filter(code="policy")),
        person=w.duty.colleagues[0],
        channel="roster",
    )
    rows = list(member_roster(user=w.users["community_staff"]))
    assert [r.pk for r in rows] == [reported_member.pk]
    assert pending.pk not in {r.pk for r in rows}
    row = rows[0]
    assert sorted(p.code for p in row.posts.all()) == sorted(REPORTED_POSTS)
    expected = PointsEntry.objects.filter(person=w.duty.member).aggregate(total=Sum("points"))["total"] or Decimal(0)
    assert expected > 0  # the reporting points
    assert row.points_total == expected

    assert list(member_roster(user=w.users["sibling_staff"])) == []
    assert [r.pk for r in member_roster(user=w.users["unit_admin"])] == [reported_member.pk]
    assert list(member_roster(user=other_unit_admin(w))) == []
    assert [r.pk for r in member_roster(user=w.users["street_staff"], post="policy")] == [reported_member.pk]
    assert list(member_roster(user=w.users["street_staff"], post="mediation")) == []
    assert list(member_roster(user=w.users["street_staff"], q="赵敏")) == []


def test_member_roster_points_are_zero_without_entries(reported_member: MemberReport, duty_world: World) -> None:
    PointsEntry.objects.filter(person=duty_world.duty.member).delete()
    (row,) = member_roster(user=duty_world.users["community_staff"])
    assert row.points_total == Decimal(0)
