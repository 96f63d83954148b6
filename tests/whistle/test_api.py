"""The whistle REST API: the scoped list and detail (another community's staff and another department's staff see
nothing), blowing a whistle (bad input writes nothing), each action through its service, the department
scorecards, and the OpenAPI document."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from grassroots.cases.enums import CaseStatus, EventKind
from grassroots.core.models import AuditEvent
from grassroots.notifications.models import Notification
from grassroots.whistle.enums import CallStatus, WhistleEventKind, WhistleStatus
from grassroots.whistle.models import Whistle, WhistleCall, WhistleEvent
from tests.api.conftest import assert_error, results
from tests.cases.factories import make_case
from tests.conftest import World
from tests.whistle.conftest import answer, call_of, png

pytestmark = pytest.mark.usefixtures("_media")

LIST = "/api/v1/whistles/"


def client(world: World, persona: str) -> APIClient:
    api = APIClient()
    api.force_authenticate(world.users[persona])
    return api


def detail(whistle: Whistle, action: str = "") -> str:
    return f"{LIST}{whistle.pk}/{action + '/' if action else ''}"


def written() -> tuple[int, ...]:
    return (
        Whistle.objects.count(),
        WhistleCall.objects.count(),
        WhistleEvent.objects.count(),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    )


def blow_body(world: World, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "东岳花园违章搭建",
        "description": "东岳花园1栋楼顶有人违章搭建，需要城管到场。",
        "region": world.communities["dongyue"].region.pk,
        "urgency": "urgent",
        "handle_due": (timezone.now() + dt.timedelta(days=2)).isoformat(),
        "calls": [{"department": world.duty.department.pk, "task": "拆除违章搭建"}],
    }
    body.update(extra)
    return body


# ------------------------------------------------------------------------------------------- list / detail


def test_list_shows_each_whistle_with_its_calls(whistle_world: World, blow_whistle: Callable[..., Whistle]) -> None:
    whistle = blow_whistle(departments=("department", "other_department"))

    rows = results(client(whistle_world, "community_staff").get(LIST))

    assert [r["number"] for r in rows] == [whistle.number]
    calls = rows[0]["calls"]
    assert {c["department_name"] for c in calls} == {"区城市管理局", "区住房和城乡建设局"}
    assert set(calls[0]) >= {
        "id",
        "department",
        "department_name",
        "task",
        "status",
        "report_due",
        "handle_due",
        "reported_at",
        "reported_on_time",
        "fed_back_at",
        "handled_on_time",
        "rating",
        "rating_reason",
        "escalation_level",
    }
    assert all(c["status"] == CallStatus.CALLED and c["overdue"] is False for c in calls)


def test_another_community_and_another_department_see_nothing(
    whistle_world: World, blow_whistle: Callable[..., Whistle]
) -> None:
    whistle = blow_whistle()
    for persona in ("sibling_staff", "other_department_staff"):
        api = client(whistle_world, persona)
        assert results(api.get(LIST)) == []
        assert_error(api.get(detail(whistle)), 404, "not_found")
        assert_error(api.post(detail(whistle, "acknowledge"), {}, format="json"), 404, "not_found")
    assert results(client(whistle_world, "department_staff").get(LIST))[0]["id"] == whistle.pk
    assert results(client(whistle_world, "street_staff").get(LIST))[0]["id"] == whistle.pk


def test_users_without_whistles_get_403(whistle_world: World, blow_whistle: Callable[..., Whistle]) -> None:
    whistle = blow_whistle()
    for persona in ("resident", "party_member", "grid_worker"):
        api = client(whistle_world, persona)
        assert_error(api.get(LIST), 403, "permission_denied")
        assert_error(api.get(detail(whistle)), 403, "permission_denied")
    assert APIClient().get(LIST).status_code == 401


def test_list_filters(whistle_world: World, blow_whistle: Callable[..., Whistle]) -> None:
    late = blow_whistle(title="北门路灯不亮", now=timezone.now() - dt.timedelta(days=2), handle_hours=72)
    other = blow_whistle(title="污水外溢", departments=("other_department",))
    api = client(whistle_world, "community_staff")

    def numbers(**params: Any) -> set[str]:
        return {r["number"] for r in results(api.get(LIST, params))}

    assert numbers() == {late.number, other.number}
    assert numbers(overdue="true") == {late.number}
    assert numbers(overdue="false") == {other.number}
    assert numbers(department=whistle_world.duty.other_department.pk) == {other.number}
    assert numbers(q="路灯") == {late.number}
    assert numbers(status="open") == {late.number, other.number}
    assert numbers(status="closed") == set()
    body = assert_error(api.get(LIST, {"status": "nonsense"}), 400, "invalid")
    assert "status" in body["fields"]


def test_detail_has_the_calls_and_the_timeline(whistle_world: World, blow_whistle: Callable[..., Whistle]) -> None:
    case = make_case(whistle_world, accept=True)
    whistle = blow_whistle(origin_case=case)

    body = client(whistle_world, "community_staff").get(detail(whistle)).json()

    assert body["number"] == whistle.number and body["origin_case"] == case.pk
    assert body["origin_case_number"] == case.number
    assert [e["kind"] for e in body["timeline"]] == [WhistleEventKind.BLOWN]
    assert body["calls"][0]["photo_url"] is None


# ----------------------------------------------------------------------------------------------- create


def test_community_staff_blow_a_whistle_for_a_case(whistle_world: World) -> None:
    case = make_case(whistle_world, accept=True)
    api = client(whistle_world, "community_staff")

    response = api.post(LIST, blow_body(whistle_world, origin_case=case.pk), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    whistle = Whistle.objects.get(pk=body["id"])
    assert whistle.origin_case == case and whistle.urgency == "urgent"
    call = whistle.calls.get()
    assert call.department == whistle_world.duty.department and call.task == "拆除违章搭建"
    # urgent: on site within 30 minutes
    assert dt.timedelta(minutes=29) < call.report_due - call.called_at <= dt.timedelta(minutes=30)
    assert case.events.filter(kind=EventKind.WHISTLED).exists()
    assert AuditEvent.objects.filter(target_type__model="whistle", target_id=str(whistle.pk)).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"calls": []}, "calls"),
        ({"calls": [{"department": 999999, "task": "x"}]}, "calls"),
        ({"calls": [{"department": "dept", "task": ""}]}, "calls"),
        ({"title": ""}, "title"),
        ({"urgency": "soon"}, "urgency"),
        ({"handle_due": "yesterday"}, "handle_due"),
        ({"region": 999999}, "region"),
        ({"origin_case": 999999}, "origin_case"),
    ],
)
def test_bad_input_writes_nothing(whistle_world: World, change: dict[str, Any], field: str) -> None:
    if change.get("calls") and change["calls"][0]["department"] == "dept":
        change = {"calls": [{"department": whistle_world.duty.department.pk, "task": ""}]}
    before = written()

    response = client(whistle_world, "community_staff").post(LIST, blow_body(whistle_world, **change), format="json")

    body = assert_error(response, 400, "whistle_invalid")
    assert field in body["fields"], body
    assert written() == before


def test_service_refusals_keep_their_codes_and_write_nothing(whistle_world: World) -> None:
    api = client(whistle_world, "community_staff")
    before = written()
    past = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    body = assert_error(
        api.post(LIST, blow_body(whistle_world, handle_due=past), format="json"), 400, "whistle_invalid"
    )
    assert "handle_due" in body["fields"]
    twice = [{"department": whistle_world.duty.department.pk, "task": "a"}] * 2
    body = assert_error(api.post(LIST, blow_body(whistle_world, calls=twice), format="json"), 400, "whistle_invalid")
    assert "calls" in body["fields"]
    # A region of another community is not even known to this user.
    beichen = whistle_world.communities["beichen"].region.pk
    body = assert_error(api.post(LIST, blow_body(whistle_world, region=beichen), format="json"), 400, "whistle_invalid")
    assert "region" in body["fields"]
    # An enterprise of another community is not a department this user may call (nor learn the name of).
    foreign = [{"department": whistle_world.duty.other_unit.pk, "task": "a"}]
    response = api.post(LIST, blow_body(whistle_world, calls=foreign), format="json")
    body = assert_error(response, 400, "whistle_invalid")
    assert "calls" in body["fields"] and "北辰" not in response.content.decode()
    # Department staff may see whistles, not blow them.
    dept = client(whistle_world, "department_staff")
    district = whistle_world.district.pk
    assert dept.post(LIST, blow_body(whistle_world, region=district), format="json").status_code in (400, 403)
    assert written() == before


# ---------------------------------------------------------------------------------------------- actions


def test_department_answers_and_community_rates_and_closes(whistle_world: World) -> None:
    case = make_case(whistle_world, accept=True)
    staff = client(whistle_world, "community_staff")
    whistle = Whistle.objects.get(
        pk=staff.post(LIST, blow_body(whistle_world, origin_case=case.pk), format="json").json()["id"]
    )
    dept = client(whistle_world, "department_staff")

    # Department staff may leave out the call: only one is theirs.
    response = dept.post(detail(whistle, "acknowledge"), {}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["calls"][0]["status"] == CallStatus.ACKNOWLEDGED

    response = dept.post(
        detail(whistle, "report"),
        {"on_site_people": "王队长等2人", "note": "已到场", "photo": png()},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    call = response.json()["calls"][0]
    assert call["status"] == CallStatus.REPORTED and call["reported_on_time"] is True
    assert call["photo_url"] and call["on_site_people"] == "王队长等2人"
    # The photo is served by the pages (signed in), to those who may see the whistle.
    assert whistle_world.client("community_staff").get(call["photo_url"]).status_code == 200
    assert whistle_world.client("sibling_staff").get(call["photo_url"]).status_code == 404

    response = dept.post(detail(whistle, "feedback"), {"note": "违章搭建已拆除"}, format="json")
    assert response.status_code == 200 and response.json()["calls"][0]["status"] == CallStatus.FED_BACK

    call_id = whistle.calls.get().pk
    body = assert_error(
        staff.post(detail(whistle, "rate"), {"call": call_id, "rating": "basic"}, format="json"), 400, "whistle_invalid"
    )
    assert "reason" in body["fields"]
    response = staff.post(detail(whistle, "rate"), {"call": call_id, "rating": "satisfied"}, format="json")
    assert response.status_code == 200 and response.json()["calls"][0]["rating"] == "satisfied"

    response = staff.post(detail(whistle, "close"), {"note": "已处理完毕"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == WhistleStatus.CLOSED
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    kinds = [e["kind"] for e in response.json()["timeline"]]
    assert kinds == ["blown", "acknowledged", "reported", "fed_back", "rated", "closed"]


def test_action_refusals(whistle_world: World, blow_whistle: Callable[..., Whistle]) -> None:
    whistle = blow_whistle(departments=("department", "other_department"))
    mine, theirs = call_of(whistle, "department"), call_of(whistle, "other_department")
    dept, other = client(whistle_world, "department_staff"), client(whistle_world, "other_department_staff")
    staff = client(whistle_world, "community_staff")
    before = written()

    # Another department may see this whistle (it called them too) but not answer for 区城市管理局.
    assert_error(other.post(detail(whistle, "acknowledge"), {"call": mine.pk}, format="json"), 403, "not_allowed")
    # A call of another whistle, or none when the choice is not obvious.
    assert_error(dept.post(detail(whistle, "acknowledge"), {"call": 999999}, format="json"), 400, "call_invalid")
    assert_error(staff.post(detail(whistle, "rate"), {"rating": "satisfied"}, format="json"), 400, "call_required")
    # Feedback before reporting, report without people, closing too early, rating before feedback.
    assert_error(dept.post(detail(whistle, "feedback"), {"note": "好了"}, format="json"), 409, "report_first")
    body = assert_error(
        dept.post(detail(whistle, "report"), {"on_site_people": ""}, format="json"), 400, "whistle_invalid"
    )
    assert "on_site_people" in body["fields"]
    assert_error(staff.post(detail(whistle, "close"), {"note": "结束"}, format="json"), 409, "calls_pending")
    response = staff.post(detail(whistle, "rate"), {"call": theirs.pk, "rating": "satisfied"}, format="json")
    assert response.status_code == 409
    # Community staff cannot answer for a department.
    assert_error(staff.post(detail(whistle, "acknowledge"), {"call": mine.pk}, format="json"), 403, "not_allowed")
    assert written() == before


def test_cancel(whistle_world: World, blow_whistle: Callable[..., Whistle]) -> None:
    whistle = blow_whistle()
    staff = client(whistle_world, "community_staff")
    assert_error(staff.post(detail(whistle, "cancel"), {}, format="json"), 400, "whistle_invalid")

    response = staff.post(detail(whistle, "cancel"), {"reason": "误报"}, format="json")

    assert response.status_code == 200 and response.json()["status"] == WhistleStatus.CANCELLED
    assert response.json()["calls"][0]["status"] == CallStatus.CANCELLED


# ------------------------------------------------------------------------------------------- scorecards


def test_scorecards(whistle_world: World, blow_whistle: Callable[..., Whistle]) -> None:
    whistle = blow_whistle(departments=("department", "other_department"))
    answer(whistle_world, call_of(whistle, "department"))
    month = f"{timezone.localdate():%Y-%m}"
    api = client(whistle_world, "community_staff")

    rows = api.get("/api/v1/departments/scorecards/", {"month": month}).json()

    by_name = {r["department_name"]: r for r in rows}
    assert by_name["区城市管理局"]["received"] == 1 and by_name["区城市管理局"]["reported_on_time"] == 1
    assert by_name["区城市管理局"]["rank"] == 1 and by_name["区住房和城乡建设局"]["rank"] == 2
    assert api.get("/api/v1/departments/scorecards/", {"month": "2001-01"}).json() == []
    body = assert_error(api.get("/api/v1/departments/scorecards/", {"month": "2025-13"}), 400, "invalid")
    assert "month" in body["fields"]

    dept = whistle_world.duty.department.pk
    months = api.get(f"/api/v1/departments/{dept}/scorecard/", {"months": 3}).json()
    assert len(months) == 3 and months[-1]["received"] == 1 and months[-1]["month"].startswith(month)

    # Another community counts none of these calls; an organisation that is no department is a 404.
    sibling = client(whistle_world, "sibling_staff")
    assert sibling.get("/api/v1/departments/scorecards/", {"month": month}).json() == []
    assert [r["received"] for r in sibling.get(f"/api/v1/departments/{dept}/scorecard/").json()] == [0] * 12
    community_org = whistle_world.communities["beichen"].organization.pk
    assert_error(api.get(f"/api/v1/departments/{community_org}/scorecard/"), 404, "not_found")
    assert_error(client(whistle_world, "resident").get("/api/v1/departments/scorecards/"), 403, "permission_denied")


def test_the_schema_documents_the_whistle_routes(whistle_world: World) -> None:
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert set(paths["/api/v1/whistles/"]) >= {"get", "post"}
    for action in ("acknowledge", "report", "feedback", "rate", "close", "cancel"):
        assert "post" in paths[f"/api/v1/whistles/{{id}}/{action}/"]
    assert "get" in paths["/api/v1/departments/scorecards/"]
    assert "get" in paths["/api/v1/departments/{id}/scorecard/"]
    params = {p["name"] for p in paths["/api/v1/whistles/"]["get"]["parameters"]}
    assert params == {"page", "page_size", "status", "department", "overdue", "q"}
