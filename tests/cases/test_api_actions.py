"""The case actions through the REST API: each calls its service, leaves a timeline row and an audit row, and
maps the service's errors to 400/403/404/409 with their codes. Also: the catalogue and the OpenAPI paths."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from rest_framework.test import APIClient

from grassroots.accounts.enums import Role
from grassroots.accounts.services import role_assign, user_create
from grassroots.cases.enums import CaseKind, CaseLevel, CaseStatus, Channel, EventKind, Satisfaction
from grassroots.cases.models import Case, CaseClaim
from grassroots.cases.services import case_claim, case_fulfil
from grassroots.core.models import AuditEvent
from tests.api.conftest import assert_error, results
from tests.cases.factories import make_case
from tests.conftest import PASSWORD, SIBLING_MARK, World
from tests.factories import make_person


def client(world: World, persona: str) -> APIClient:
    api = APIClient()
    api.force_authenticate(world.users[persona])
    return api


def url(case: Case, action: str) -> str:
    return f"/api/v1/cases/{case.pk}/{action}/"


def audits(case: Case, detail: str) -> int:
    return AuditEvent.objects.filter(target_id=str(case.pk), target_type__model="case", detail=detail).count()


def last_event(case: Case) -> str:
    return str(case.events.order_by("-at", "-id").values_list("kind", flat=True)[0])


def snapshot(case: Case) -> tuple[Any, ...]:
    fresh = Case.objects.get(pk=case.pk)
    return (fresh.status, fresh.level, fresh.claimer_user_id, fresh.events.count(), AuditEvent.objects.count())


def act(api: APIClient, case: Case, action: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
    return api.post(url(case, action), data or {}, format=kwargs.pop("format", "json"), **kwargs)


def photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 10)).save(buffer, format="JPEG")
    return SimpleUploadedFile("done.jpg", buffer.getvalue(), content_type="image/jpeg")


# ------------------------------------------------------------------------------------------ accept / reject


def test_accept_puts_a_wish_on_the_wall(cases_world: World) -> None:
    case = make_case(cases_world)

    response = act(client(cases_world, "community_staff"), case, "accept", {"note": "已核实"})

    assert response.status_code == 200, response.content
    assert response.json()["status"] == CaseStatus.OPEN
    assert Case.objects.get(pk=case.pk).status == CaseStatus.OPEN
    assert last_event(case) == EventKind.ACCEPTED and audits(case, "accept") == 1


def test_reject_needs_a_reason(cases_world: World) -> None:
    case = make_case(cases_world)
    staff = client(cases_world, "community_staff")
    before = snapshot(case)

    body = assert_error(act(staff, case, "reject", {"reason": "  "}), 400, "reason_required")
    assert "reason" in body["fields"]
    assert snapshot(case) == before

    response = act(staff, case, "reject", {"reason": "不属于服务范围"})
    assert response.status_code == 200
    assert response.json()["reject_reason"] == "不属于服务范围"
    assert last_event(case) == EventKind.REJECTED and audits(case, "reject") == 1


def test_resident_cannot_accept_their_own_case(cases_world: World) -> None:
    case = make_case(cases_world)
    before = snapshot(case)

    assert_error(act(client(cases_world, "resident"), case, "accept"), 403, "not_allowed")
    assert snapshot(case) == before


def test_accepting_twice_is_a_409(cases_world: World) -> None:
    case = make_case(cases_world, accept=True)

    assert_error(act(client(cases_world, "community_staff"), case, "accept"), 409, "invalid_state")


# ---------------------------------------------------------------------------------------- claim / release


def test_party_member_claims_from_the_wall(cases_world: World) -> None:
    w = cases_world
    case = make_case(w, accept=True)

    response = act(client(w, "party_member"), case, "claim", {"note": "周六上门"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == CaseStatus.IN_PROGRESS and body["claimer"] == "东岳党员王强"
    # Now the claimer's own case: the place in full, to go there.
    assert body["place"] == w.communities["dongyue"].entrance.pk
    assert last_event(case) == EventKind.CLAIMED and audits(case, "claim") == 1
    assert CaseClaim.objects.filter(case=case, claimed_by=w.users["party_member"]).count() == 1
    assert results(client(w, "party_member").get("/api/v1/cases/"))[0]["id"] == case.pk


def test_claiming_twice_is_a_409_already_claimed(cases_world: World) -> None:
    w = cases_world
    case = make_case(w, accept=True)
    assert act(client(w, "party_member"), case, "claim").status_code == 200
    second = user_create(actor=None, username="member2", password=PASSWORD)
    second.person = make_person(name="东岳党员刘芳", household=w.communities["dongyue"].household)
    second.save()
    role_assign(actor=None, user=second, role=Role.PARTY_MEMBER, region=w.communities["dongyue"].region)
    other = APIClient()
    other.force_authenticate(second)
    before = snapshot(case)

    assert_error(act(other, case, "claim"), 409, "already_claimed")
    assert_error(act(client(w, "party_member"), case, "claim"), 409, "already_claimed")
    staff = client(w, "community_staff")
    org = w.communities["dongyue"].organization
    assert_error(act(staff, case, "claim", {"claimer_org": org.pk}), 409, "already_claimed")
    assert snapshot(case) == before
    assert CaseClaim.objects.filter(case=case).count() == 1


def test_staff_claims_for_an_organisation(cases_world: World) -> None:
    w = cases_world
    case = make_case(w, accept=True)
    staff = client(w, "community_staff")

    assert_error(act(staff, case, "claim", {"claimer_org": 999999}), 400, "claimer_invalid")
    response = act(staff, case, "claim", {"claimer_org": w.communities["dongyue"].organization.pk})

    assert response.status_code == 200, response.content
    assert response.json()["claimer_org_name"] == "东岳社区党委"


def test_member_cannot_claim_or_see_another_communitys_wish(cases_world: World) -> None:
    w = cases_world
    case = make_case(w, community="beichen", channel=Channel.WALK_IN, actor=w.users["sibling_staff"], accept=True)
    before = snapshot(case)

    response = act(client(w, "party_member"), case, "claim")

    assert_error(response, 404, "not_found")
    assert SIBLING_MARK not in response.content.decode()
    assert snapshot(case) == before


def test_claimer_releases_and_the_case_returns_to_the_wall(cases_world: World) -> None:
    w = cases_world
    member = client(w, "party_member")
    case = make_case(w, accept=True)
    act(member, case, "claim")

    assert_error(act(member, case, "release", {}), 400, "reason_required")
    response = act(member, case, "release", {"reason": "临时出差"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == CaseStatus.OPEN and body["claimer"] == ""
    assert body["place"] == w.communities["dongyue"].compound.pk  # the wall's view again
    assert last_event(case) == EventKind.RELEASED and audits(case, "release") == 1
    assert [r["id"] for r in results(member.get("/api/v1/cases/", {"status": "open"}))] == [case.pk]


# ------------------------------------------------------------------------------------------ fulfil / rate


def test_claimer_fulfils_with_a_photo(cases_world: World, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    w = cases_world
    case = case_claim(case=make_case(w, accept=True), actor=w.users["party_member"])
    member = client(w, "party_member")

    assert_error(act(member, case, "fulfil", {"note": ""}), 400, "fulfilment_invalid")
    assert_error(act(member, case, "fulfil", {"note": "做了", "residents_served": "many"}), 400, "fulfilment_invalid")
    data = {"note": "换好了灯泡", "residents_served": 2, "photos": [photo()]}
    response = act(member, case, "fulfil", data, format="multipart")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == CaseStatus.FULFILLED and body["residents_served"] == 2
    assert [p["stage"] for p in body["photos"]] == ["fulfilment"]
    assert last_event(case) == EventKind.FULFILLED and audits(case, "fulfil") == 1


def test_resident_rates_and_closes(cases_world: World) -> None:
    w = cases_world
    member = w.users["party_member"]
    case = case_fulfil(
        case=case_claim(case=make_case(w, accept=True), actor=member), actor=member, note="好了", residents_served=1
    )
    resident = client(w, "resident")
    before = snapshot(case)

    body = assert_error(act(resident, case, "rate", {"stars": 6, "satisfaction": "great"}), 400, "rating_invalid")
    assert set(body["fields"]) == {"stars", "satisfaction"}
    assert snapshot(case) == before
    response = act(resident, case, "rate", {"stars": 5, "satisfaction": Satisfaction.SATISFIED, "comment": "谢谢"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == CaseStatus.CLOSED
    assert body["rating"]["stars"] == 5 and body["rating"]["satisfaction"] == "satisfied"
    assert body["rating"]["resolved"] is True
    assert last_event(case) == EventKind.RATED and audits(case, "rate") == 1


def test_party_member_cannot_rate(cases_world: World) -> None:
    w = cases_world
    member = w.users["party_member"]
    case = case_fulfil(
        case=case_claim(case=make_case(w, accept=True), actor=member), actor=member, note="好了", residents_served=1
    )

    assert_error(
        act(client(w, "party_member"), case, "rate", {"stars": 5, "satisfaction": "satisfied"}), 403, "not_allowed"
    )


# --------------------------------------------------------------------------------------------- escalate


def test_staff_escalates_one_rung(cases_world: World) -> None:
    w = cases_world
    case = make_case(
        w, kind=CaseKind.GRID_EVENT, channel=Channel.WALK_IN, actor=w.users["community_staff"], accept=True
    )
    level = Case.objects.get(pk=case.pk).level
    staff = client(w, "community_staff")

    assert_error(act(staff, case, "escalate", {"reason": ""}), 400, "reason_required")
    response = act(staff, case, "escalate", {"reason": "涉及多个小区"})

    assert response.status_code == 200, response.content
    assert response.json()["level"] == level + 1
    assert response.json()["escalation_count"] == 1
    assert last_event(case) == EventKind.ESCALATED and audits(case, f"escalate {level}->{level + 1}") == 1
    if level + 1 < CaseLevel.STREET:
        act(staff, case, "escalate", {"reason": "再上报"})
    assert_error(act(staff, case, "escalate", {"reason": "再上报"}), 409, "top_level")


@pytest.mark.parametrize("action", ["accept", "reject", "release", "fulfil", "rate", "escalate", "claim"])
def test_actions_on_another_communitys_case_are_a_404(cases_world: World, action: str) -> None:
    w = cases_world
    case = make_case(w, community="beichen", channel=Channel.WALK_IN, actor=w.users["sibling_staff"])
    before = snapshot(case)

    assert_error(act(client(w, "community_staff"), case, action, {"reason": "x", "note": "x"}), 404, "not_found")
    assert snapshot(case) == before


# ---------------------------------------------------------------------------------------- catalogue, schema


def test_catalogue_items_for_any_signed_in_user(cases_world: World) -> None:
    resident = client(cases_world, "resident")

    rows = results(resident.get("/api/v1/catalogue/items/", {"page_size": 100}))

    assert len(rows) == 52
    hornet = next(r for r in rows if r["code"] == "hornet-nest")
    assert hornet["category"] == "environment" and hornet["mode"] == "door_to_door"
    assert set(hornet["provider_kinds"]) == {"unit", "volunteer_team"}
    assert set(hornet["sla_policy"]) == {"code", "name", "response_hours", "resolution_hours", "hours_kind"}
    assert {r["code"] for r in results(resident.get("/api/v1/catalogue/items/", {"category": "environment"}))} >= {
        "hornet-nest"
    }
    assert all(
        r["mode"] == "appointment" for r in results(resident.get("/api/v1/catalogue/items/", {"mode": "appointment"}))
    )
    detail = resident.get(f"/api/v1/catalogue/items/{hornet['id']}/")
    assert detail.status_code == 200 and detail.json()["code"] == "hornet-nest"
    categories = results(resident.get("/api/v1/catalogue/categories/"))
    assert len(categories) == 10 and sum(c["item_count"] for c in categories) == 52
    assert APIClient().get("/api/v1/catalogue/items/").status_code == 401


def test_schema_has_the_case_and_catalogue_paths(cases_world: World) -> None:
    schema = Client().get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]

    assert set(paths["/api/v1/cases/"]) >= {"get", "post"}
    assert "get" in paths["/api/v1/cases/{id}/"]
    for action in ("accept", "reject", "claim", "release", "fulfil", "rate", "escalate"):
        operation = paths[f"/api/v1/cases/{{id}}/{action}/"]["post"]
        assert operation["description"] and {"200", "400", "403", "404", "409"} <= set(operation["responses"])
    for path in ("/api/v1/catalogue/items/", "/api/v1/catalogue/items/{id}/", "/api/v1/catalogue/categories/"):
        assert "get" in paths[path]
    params = {p["name"] for p in paths["/api/v1/cases/"]["get"]["parameters"]}
    assert params == {"page", "page_size", "kind", "status", "category", "region", "grid", "overdue", "q"}
    components = schema["components"]["schemas"]
    assert "contact_mobile_masked" in components["CaseDetail"]["properties"]
    assert "contact_mobile" not in components["CaseDetail"]["properties"]
    assert set(components["CaseKindEnum"]["enum"]) == {"micro_wish", "difficulty", "appointment", "grid_event"}
