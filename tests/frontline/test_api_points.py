"""The points ledger API: read only, scoped (staff by the community reported to, a unit's admin by home unit, a
member their own lines), filtered by person, unit and period, each line naming its source and rule version."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from grassroots.accounts.enums import Role
from grassroots.accounts.models import User
from grassroots.accounts.services import role_assign, user_create
from grassroots.catalogue.models import ServiceCategory
from grassroots.frontline.enums import PointsSource
from grassroots.frontline.models import MemberReport
from grassroots.frontline.services.reporting import member_report_decide, member_report_submit
from grassroots.people.models import PartyMembership, Person
from tests.api.conftest import assert_error, results
from tests.conftest import PASSWORD, World
from tests.factories import make_person

pytestmark = pytest.mark.django_db

LEDGER = "/api/v1/frontline/points/"


def client(user: Any) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def beichen_member(w: World) -> Person:
    """An in-service member of 北辰机械厂 living in 北辰社区, reported by its staff and confirmed."""
    bc = w.communities["beichen"]
    person = make_person(name="北辰党员李华", household=bc.household)
    PartyMembership.objects.create(
        person=person,
        organization=w.duty.unit_branch,
        joined_on=dt.date(2010, 7, 1),
        category="in_service",
        home_unit=w.duty.other_unit,
    )
    report = member_report_submit(
        actor=w.users["sibling_staff"],
        region=bc.region,
        posts=list(ServiceCategory.objects.filter(code="safety")),
        person=person,
        channel="staff",
    )
    member_report_decide(report=report, actor=w.users["sibling_staff"], confirm=True)
    return person


def other_unit_admin(w: World) -> User:
    user = user_create(actor=None, username="other_unit_admin", password=PASSWORD)
    role_assign(actor=None, user=user, role=Role.UNIT_ADMIN, region=w.district, organization=w.duty.other_unit)
    return user


def people(response: Any) -> list[str]:
    return [row["person_name"] for row in results(response)]


def test_each_sees_the_lines_of_their_scope(duty_world: World, reported_member: MemberReport) -> None:
    w = duty_world
    beichen_member(w)

    assert people(client(w.users["community_staff"]).get(LEDGER)) == ["东岳党员王强"]
    assert people(client(w.users["sibling_staff"]).get(LEDGER)) == ["北辰党员李华"]
    assert sorted(people(client(w.users["street_staff"]).get(LEDGER))) == ["东岳党员王强", "北辰党员李华"]
    assert people(client(w.users["unit_admin"]).get(LEDGER)) == ["东岳党员王强"]
    assert people(client(other_unit_admin(w)).get(LEDGER)) == ["北辰党员李华"]
    assert people(client(w.users["party_member"]).get(LEDGER)) == ["东岳党员王强"]
    assert results(client(w.users["resident"]).get(LEDGER)) == []
    assert_error(APIClient().get(LEDGER), 401, "not_authenticated")


def test_a_line_names_its_source_and_rule(duty_world: World, reported_member: MemberReport) -> None:
    w = duty_world
    (line,) = results(client(w.users["party_member"]).get(LEDGER))
    assert line["person"] == w.duty.member.pk and line["home_unit_name"] == "区税务局"
    assert line["source"] == PointsSource.MEMBER_REPORTED and line["source_label"]
    assert line["points"] == "5.00" and line["rule_version"] == 1
    assert line["member_report"] == reported_member.pk and line["what"] == "东岳社区"
    assert line["community"] == w.communities["dongyue"].region.pk


def test_filters_by_person_unit_and_period(duty_world: World, reported_member: MemberReport) -> None:
    w = duty_world
    other = beichen_member(w)
    street = client(w.users["street_staff"])
    today = timezone.localdate()

    assert people(street.get(LEDGER, {"person": other.pk})) == ["北辰党员李华"]
    assert people(street.get(LEDGER, {"unit": w.duty.unit.pk})) == ["东岳党员王强"]
    assert len(results(street.get(LEDGER, {"from": today.isoformat(), "to": today.isoformat()}))) == 2
    assert results(street.get(LEDGER, {"from": (today + dt.timedelta(days=1)).isoformat()})) == []
    assert results(street.get(LEDGER, {"to": (today - dt.timedelta(days=1)).isoformat()})) == []
    # a member asking for someone else's lines gets none
    assert results(client(w.users["party_member"]).get(LEDGER, {"person": other.pk})) == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-02-01", "to": "2026-01-01"}, "to"),
        ({"from": "yesterday"}, "from"),
        ({"person": "someone"}, "person"),
        ({"unit": 0}, "unit"),
    ],
)
def test_bad_filters_are_a_400(duty_world: World, params: dict[str, Any], field: str) -> None:
    response = client(duty_world.users["community_staff"]).get(LEDGER, params)
    assert field in assert_error(response, 400, "invalid")["fields"]


def test_the_ledger_is_read_only(duty_world: World, reported_member: MemberReport) -> None:
    staff = client(duty_world.users["community_staff"])
    assert_error(staff.post(LEDGER, {"person": duty_world.duty.member.pk, "points": 100}), 405, "method_not_allowed")
