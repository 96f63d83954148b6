"""The reporting API: unit and member reports listed and shown within scope, submitted, confirmed or returned;
bad input is a ``{code, message, fields}`` error and writes nothing; another community's staff and another
unit's admin see nothing and get a 404."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from grassroots.accounts.enums import Role
from grassroots.accounts.models import RoleAssignment, User
from grassroots.accounts.services import role_assign, user_create
from grassroots.core.models import AuditEvent
from grassroots.frontline.enums import PointsSource, ReportChannel, ReportStatus
from grassroots.frontline.models import MemberReport, PointsEntry, UnitReport
from tests.api.conftest import assert_error, results
from tests.conftest import PASSWORD, World

pytestmark = pytest.mark.django_db

UNITS = "/api/v1/frontline/unit-reports/"
MEMBERS = "/api/v1/frontline/member-reports/"


def client(user: Any) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def as_(w: World, persona: str) -> APIClient:
    return client(w.users[persona])


def other_unit_admin(w: World) -> User:
    """The admin of 北辰机械厂, another unit."""
    user = user_create(actor=None, username="other_unit_admin", password=PASSWORD)
    role_assign(actor=None, user=user, role=Role.UNIT_ADMIN, region=w.district, organization=w.duty.other_unit)
    return user


def unit_body(w: World, **overrides: Any) -> dict[str, Any]:
    return {
        "community": w.communities["dongyue"].region.pk,
        "agreement_title": "共驻共建协议",
        "agreement_start": "2026-01-01",
        "agreement_end": "2026-12-31",
        "contact_name": "刘主任",
        "commitments": [{"text": "每年为社区办实事3件", "yearly_target": 3}],
        "resources": [{"kind": "venue", "description": "党员活动室", "quantity": "1间"}],
        **overrides,
    }


def member_body(w: World, **overrides: Any) -> dict[str, Any]:
    return {
        "region": w.communities["dongyue"].region.pk,
        "posts": ["policy", "safety"],
        "skills": "税务咨询",
        **overrides,
    }


def counts() -> tuple[int, int, int, int]:
    return (
        UnitReport.objects.count(),
        MemberReport.objects.count(),
        PointsEntry.objects.count(),
        AuditEvent.objects.count(),
    )


# Unit reports


def test_a_unit_admin_reports_the_unit_and_the_community_confirms(duty_world: World) -> None:
    w = duty_world
    response = as_(w, "unit_admin").post(UNITS, unit_body(w), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["unit"] == w.duty.unit.pk and body["unit_name"] == "区税务局"  # the admin's unit by default
    assert body["region_name"] == "东岳社区" and body["status"] == ReportStatus.PENDING
    assert [c["text"] for c in body["commitments"]] == ["每年为社区办实事3件"]
    assert body["resources"] == [
        {"id": body["resources"][0]["id"], "kind": "venue", "description": "党员活动室", "quantity": "1间"}
    ]
    report = UnitReport.objects.get()
    assert AuditEvent.objects.filter(target_id=str(report.pk), target_type__model="unitreport").count() == 1

    detail = as_(w, "unit_admin").get(f"{UNITS}{report.pk}/")
    assert detail.status_code == 200 and detail.json()["agreement_title"] == "共驻共建协议"

    denied = as_(w, "unit_admin").post(f"{UNITS}{report.pk}/confirm/", {"accept": True}, format="json")
    assert_error(denied, 403, "not_allowed")

    confirmed = as_(w, "community_staff").post(
        f"{UNITS}{report.pk}/confirm/", {"accept": True, "note": "欢迎"}, format="json"
    )
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["status"] == ReportStatus.CONFIRMED and confirmed.json()["decision_note"] == "欢迎"
    again = as_(w, "community_staff").post(f"{UNITS}{report.pk}/confirm/", {"accept": False}, format="json")
    assert_error(again, 409, "invalid_state")


def test_a_unit_report_can_be_returned_with_a_note(duty_world: World) -> None:
    w = duty_world
    pk = as_(w, "unit_admin").post(UNITS, unit_body(w), format="json").json()["id"]
    response = as_(w, "street_staff").post(
        f"{UNITS}{pk}/confirm/", {"accept": False, "note": "协议缺少盖章"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == ReportStatus.REJECTED and response.json()["decision_note"] == "协议缺少盖章"


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"community": None}, "unit_report_invalid", "community"),
        ({"community": 999999}, "unit_report_invalid", "community"),
        ({"agreement_end": "2025-12-31"}, "report_invalid", "agreement_end"),
        ({"agreement_start": "soon"}, "unit_report_invalid", "agreement_start"),
        ({"commitments": []}, "report_invalid", "commitments"),
        ({"resources": [{"kind": "spaceship", "description": "x"}]}, "unit_report_invalid", "resources"),
        ({"unit": 999999}, "unit_report_invalid", "unit"),
    ],
)
def test_bad_unit_reports_are_refused_and_write_nothing(
    duty_world: World, overrides: dict[str, Any], code: str, field: str
) -> None:
    w = duty_world
    before = counts()
    body = {k: v for k, v in unit_body(w, **overrides).items() if v is not None}
    response = as_(w, "unit_admin").post(UNITS, body, format="json")
    error = assert_error(response, 400, code)
    assert field in error["fields"]
    assert counts() == before


def test_staff_must_say_which_unit(duty_world: World) -> None:
    w = duty_world
    response = as_(w, "community_staff").post(UNITS, unit_body(w), format="json")
    assert "unit" in assert_error(response, 400, "unit_report_invalid")["fields"]
    response = as_(w, "community_staff").post(UNITS, unit_body(w, unit=w.duty.unit.pk), format="json")
    assert response.status_code == 201 and response.json()["unit"] == w.duty.unit.pk


def test_unit_reports_are_scoped(duty_world: World) -> None:
    w = duty_world
    pk = as_(w, "unit_admin").post(UNITS, unit_body(w), format="json").json()["id"]
    outsider_admin = client(other_unit_admin(w))

    assert [r["id"] for r in results(as_(w, "community_staff").get(UNITS))] == [pk]
    assert [r["id"] for r in results(as_(w, "unit_admin").get(UNITS))] == [pk]
    assert [r["id"] for r in results(as_(w, "street_staff").get(UNITS, {"status": "pending"}))] == [pk]
    assert results(as_(w, "street_staff").get(UNITS, {"status": "confirmed"})) == []
    for outsider in (as_(w, "sibling_staff"), outsider_admin, as_(w, "resident")):
        assert results(outsider.get(UNITS)) == []
        assert_error(outsider.get(f"{UNITS}{pk}/"), 404, "not_found")
    before = counts()
    assert_error(
        as_(w, "sibling_staff").post(f"{UNITS}{pk}/confirm/", {"accept": True}, format="json"), 404, "not_found"
    )
    assert_error(outsider_admin.post(f"{UNITS}{pk}/withdraw/"), 404, "not_found")
    assert counts() == before
    assert UnitReport.objects.get(pk=pk).status == ReportStatus.PENDING
    assert_error(APIClient().get(UNITS), 401, "not_authenticated")


def test_a_unit_report_to_another_community_by_its_staff_is_refused(duty_world: World) -> None:
    w = duty_world
    before = counts()
    body = unit_body(w, unit=w.duty.unit.pk)
    assert_error(as_(w, "sibling_staff").post(UNITS, body, format="json"), 403, "not_allowed")
    assert counts() == before


def test_the_unit_admin_withdraws_a_pending_report(duty_world: World) -> None:
    w = duty_world
    pk = as_(w, "unit_admin").post(UNITS, unit_body(w), format="json").json()["id"]
    response = as_(w, "unit_admin").post(f"{UNITS}{pk}/withdraw/")
    assert response.status_code == 200 and response.json()["status"] == ReportStatus.WITHDRAWN


# Member reports


def test_a_member_reports_on_the_api_and_the_community_confirms(duty_world: World) -> None:
    w = duty_world
    member = w.users["party_member"]
    response = client(member).post(MEMBERS, member_body(w), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["person"] == w.duty.member.pk and body["home_unit_name"] == "区税务局"
    assert body["channel"] == ReportChannel.SELF and body["status"] == ReportStatus.PENDING
    assert sorted(p["code"] for p in body["posts"]) == ["policy", "safety"]
    pk = body["id"]
    assert [r["id"] for r in results(client(member).get(MEMBERS))] == [pk]  # the member sees their own

    bad = as_(w, "community_staff").post(f"{MEMBERS}{pk}/confirm/", {"note": "?"}, format="json")
    assert "confirm" in assert_error(bad, 400, "invalid")["fields"]

    confirmed = as_(w, "community_staff").post(f"{MEMBERS}{pk}/confirm/", {"confirm": True}, format="json")
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["status"] == ReportStatus.CONFIRMED
    assert PointsEntry.objects.filter(person=w.duty.member, source=PointsSource.MEMBER_REPORTED).count() == 1
    assert RoleAssignment.objects.filter(
        user=member, role=Role.PARTY_MEMBER, region=w.communities["dongyue"].region
    ).exists()


def test_a_returned_member_report_carries_the_note(duty_world: World) -> None:
    w = duty_world
    pk = client(w.users["party_member"]).post(MEMBERS, member_body(w), format="json").json()["id"]
    response = as_(w, "community_staff").post(
        f"{MEMBERS}{pk}/confirm/", {"confirm": False, "note": "请到居住地社区报到"}, format="json"
    )
    assert response.json()["status"] == ReportStatus.REJECTED
    mine = client(w.users["party_member"]).get(f"{MEMBERS}{pk}/")
    assert mine.json()["decision_note"] == "请到居住地社区报到"
    assert PointsEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"posts": []}, "report_invalid", "posts"),
        ({"posts": ["policy", "safety", "elderly", "mediation"]}, "report_invalid", "posts"),
        ({"posts": ["no-such-post"]}, "member_report_invalid", "posts"),
        ({"region": 999999}, "member_report_invalid", "region"),
        ({"region": "here"}, "member_report_invalid", "region"),
        ({"skills": "长" * 201}, "member_report_invalid", "skills"),
    ],
)
def test_bad_member_reports_are_refused_and_write_nothing(
    duty_world: World, overrides: dict[str, Any], code: str, field: str
) -> None:
    w = duty_world
    before = counts()
    response = client(w.users["party_member"]).post(MEMBERS, member_body(w, **overrides), format="json")
    assert field in assert_error(response, 400, code)["fields"]
    assert counts() == before


def test_a_street_is_not_a_place_to_report_to(duty_world: World) -> None:
    w = duty_world
    before = counts()
    response = client(w.users["party_member"]).post(
        MEMBERS, member_body(w, region=w.streets["mingshan"].pk), format="json"
    )
    assert "region" in assert_error(response, 400, "report_invalid")["fields"]
    assert counts() == before


def test_staff_report_a_member_of_their_community_only(duty_world: World) -> None:
    w = duty_world
    colleague = w.duty.colleagues[0]
    before = counts()
    response = as_(w, "sibling_staff").post(MEMBERS, member_body(w, person=colleague.pk), format="json")
    assert "person" in assert_error(response, 400, "member_report_invalid")["fields"]
    assert counts() == before

    response = as_(w, "community_staff").post(MEMBERS, member_body(w, person=colleague.pk), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["person"] == colleague.pk and response.json()["channel"] == ReportChannel.STAFF

    roster = as_(w, "unit_admin").post(MEMBERS, member_body(w, person=w.duty.colleagues[1].pk), format="json")
    assert roster.status_code == 201 and roster.json()["channel"] == ReportChannel.ROSTER


def test_a_login_without_a_person_cannot_report_itself(duty_world: World) -> None:
    w = duty_world
    before = counts()
    assert_error(as_(w, "resident").post(MEMBERS, member_body(w), format="json"), 403, "no_person")
    assert counts() == before


def test_member_reports_are_scoped(duty_world: World) -> None:
    w = duty_world
    pk = client(w.users["party_member"]).post(MEMBERS, member_body(w), format="json").json()["id"]
    outsider_admin = client(other_unit_admin(w))

    assert [r["id"] for r in results(as_(w, "community_staff").get(MEMBERS))] == [pk]
    assert [r["id"] for r in results(as_(w, "unit_admin").get(MEMBERS, {"post": "policy"}))] == [pk]
    assert results(as_(w, "unit_admin").get(MEMBERS, {"post": "elderly"})) == []
    assert [r["id"] for r in results(as_(w, "community_staff").get(MEMBERS, {"q": "王强"}))] == [pk]
    for outsider in (as_(w, "sibling_staff"), outsider_admin, as_(w, "resident")):
        assert results(outsider.get(MEMBERS)) == []
        assert_error(outsider.get(f"{MEMBERS}{pk}/"), 404, "not_found")
    before = counts()
    sibling = as_(w, "sibling_staff")
    assert_error(sibling.post(f"{MEMBERS}{pk}/confirm/", {"confirm": True}, format="json"), 404, "not_found")
    assert_error(sibling.post(f"{MEMBERS}{pk}/withdraw/"), 404, "not_found")
    assert counts() == before
    assert MemberReport.objects.get(pk=pk).status == ReportStatus.PENDING


def test_the_member_withdraws_their_report(duty_world: World) -> None:
    w = duty_world
    member = client(w.users["party_member"])
    pk = member.post(MEMBERS, member_body(w), format="json").json()["id"]
    response = member.post(f"{MEMBERS}{pk}/withdraw/")
    assert response.status_code == 200 and response.json()["status"] == ReportStatus.WITHDRAWN
    assert_error(member.post(f"{MEMBERS}{pk}/withdraw/"), 409, "invalid_state")
