"""Cases through the REST API: who lists and opens what, the filters, and intake (``POST /api/v1/cases/``)."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

from grassroots.cases.enums import CaseKind, CaseStatus, Channel, EventKind
from grassroots.cases.models import Case, CaseEvent, CasePhoto
from grassroots.cases.services import case_note_add
from grassroots.catalogue.models import ServiceCategory
from grassroots.core.models import AuditEvent
from tests.api.conftest import assert_error, results
from tests.cases.factories import make_case
from tests.conftest import SIBLING_MARK, World

URL = "/api/v1/cases/"


def client(world: World, persona: str | None) -> APIClient:
    api = APIClient()
    if persona is not None:
        api.force_authenticate(world.users[persona])
    return api


def ids(response: Any) -> set[int]:
    return {row["id"] for row in results(response)}


def beichen_case(world: World, *, kind: str = CaseKind.MICRO_WISH, accept: bool = True) -> Case:
    """A 北辰 case taken in by 北辰 staff (so no 东岳 user is its requester)."""
    return make_case(
        world,
        community="beichen",
        kind=kind,
        channel=Channel.WALK_IN,
        actor=world.users["sibling_staff"],
        accept=accept,
        title="北辰老人想要一台收音机",
        requester_name="北辰居民",
        contact_mobile="13900000009",
    )


def staff_case(world: World, *, kind: str = CaseKind.DIFFICULTY, accept: bool = True, **extra: Any) -> Case:
    """A 东岳 case taken in by 东岳 staff for a resident who is not a user."""
    return make_case(
        world,
        kind=kind,
        channel=Channel.WALK_IN,
        actor=world.users["community_staff"],
        accept=accept,
        requester_name="东岳赵六",
        contact_mobile="13800001234",
        **extra,
    )


@pytest.fixture
def cases(cases_world: World) -> dict[str, Case]:
    """东岳: the resident's open wish and pending wish, a staff-taken difficulty in progress… and 北辰's wish."""
    w = cases_world
    return {
        "wish": make_case(w, accept=True, title="东岳想换灯泡"),
        "pending": make_case(w, title="东岳想要轮椅"),
        "event": staff_case(w, kind=CaseKind.GRID_EVENT, title="东岳楼道堆物"),
        "difficulty": staff_case(w, title="东岳路灯不亮"),
        "beichen": beichen_case(w),
    }


# ------------------------------------------------------------------------------------------------- listing


def test_community_staff_lists_their_community_only(cases_world: World, cases: dict[str, Case]) -> None:
    response = client(cases_world, "community_staff").get(URL)

    assert ids(response) == {cases[k].pk for k in ("wish", "pending", "event", "difficulty")}
    assert SIBLING_MARK not in response.content.decode()


def test_sibling_staff_lists_beichen_only(cases_world: World, cases: dict[str, Case]) -> None:
    assert ids(client(cases_world, "sibling_staff").get(URL)) == {cases["beichen"].pk}


def test_street_staff_lists_both_of_its_communities(cases_world: World, cases: dict[str, Case]) -> None:
    assert ids(client(cases_world, "street_staff").get(URL)) == {c.pk for c in cases.values()}


def test_party_member_open_list_is_the_dongyue_wall_only(cases_world: World, cases: dict[str, Case]) -> None:
    member = client(cases_world, "party_member")

    response = member.get(URL, {"status": "open"})

    rows = {row["id"]: row for row in results(response)}
    assert set(rows) == {cases["wish"].pk, cases["difficulty"].pk}  # open wishes and difficulties of 东岳
    assert rows[cases["wish"].pk]["requester_masked"] == "东***"
    assert SIBLING_MARK not in response.content.decode()
    # Without status=open a claimer sees only what they asked for or claimed: nothing yet.
    assert ids(member.get(URL)) == set()


def test_open_list_of_a_handler_is_the_open_cases_in_scope(cases_world: World, cases: dict[str, Case]) -> None:
    w = cases_world
    assert ids(client(w, "community_staff").get(URL, {"status": "open"})) == {cases["wish"].pk, cases["difficulty"].pk}
    assert ids(client(w, "sibling_staff").get(URL, {"status": "open"})) == {cases["beichen"].pk}
    # A district unit admin may claim everywhere; a resident can claim nothing.
    assert ids(client(w, "unit_admin").get(URL, {"status": "open"})) == {
        cases["wish"].pk,
        cases["difficulty"].pk,
        cases["beichen"].pk,
    }
    assert ids(client(w, "resident").get(URL, {"status": "open"})) == set()


def test_resident_lists_their_own_requests_only(cases_world: World, cases: dict[str, Case]) -> None:
    response = client(cases_world, "resident").get(URL)

    assert ids(response) == {cases["wish"].pk, cases["pending"].pk}
    assert "东岳赵六" not in response.content.decode()


def test_anonymous_gets_401(cases_world: World) -> None:
    assert_error(client(cases_world, None).get(URL), 401, "not_authenticated")


def test_list_row_shape(cases_world: World, cases: dict[str, Case]) -> None:
    case = cases["difficulty"]
    rows = results(client(cases_world, "community_staff").get(URL, {"q": str(case.number)}))

    assert rows == [
        {
            "id": case.pk,
            "number": case.number,
            "kind": "difficulty",
            "status": "open",
            "category": "elderly",
            "category_name": case.category.name,
            "item": None,
            "item_name": None,
            "title": "东岳路灯不亮",
            "need_group": "",
            "requester_masked": "东***",
            "community": case.community_id,
            "community_name": "东岳社区",
            "compound": case.compound_id,
            "compound_name": "东岳花园",
            "grid": case.grid_id,
            "level": case.level,
            "submitted_at": rows[0]["submitted_at"],
            "response_due": rows[0]["response_due"],
            "resolution_due": rows[0]["resolution_due"],
            "overdue": False,
            "claimer": "",
            "slot_start": None,
        }
    ]
    assert "13800001234" not in str(rows)


# ------------------------------------------------------------------------------------------------- filters


def test_filter_by_kind_category_and_search(cases_world: World, cases: dict[str, Case]) -> None:
    staff = client(cases_world, "community_staff")
    category = ServiceCategory.objects.get(code="elderly")

    assert ids(staff.get(URL, {"kind": "grid_event"})) == {cases["event"].pk}
    assert ids(staff.get(URL, {"kind": "micro_wish"})) == {cases["wish"].pk, cases["pending"].pk}
    assert len(ids(staff.get(URL, {"category": "elderly"}))) == 4
    assert len(ids(staff.get(URL, {"category": str(category.pk)}))) == 4
    assert ids(staff.get(URL, {"category": "environment"})) == set()
    assert ids(staff.get(URL, {"q": "轮椅"})) == {cases["pending"].pk}


def test_filter_by_status_region_and_grid(cases_world: World, cases: dict[str, Case]) -> None:
    w = cases_world
    street = client(w, "street_staff")
    dy, bc = w.communities["dongyue"], w.communities["beichen"]

    assert ids(street.get(URL, {"status": "pending"})) == {cases["pending"].pk}
    assert ids(street.get(URL, {"status": "in_progress"})) == {cases["event"].pk}
    assert ids(street.get(URL, {"region": bc.region.pk})) == {cases["beichen"].pk}
    assert ids(street.get(URL, {"grid": dy.grid.pk})) == {
        cases[k].pk for k in ("wish", "pending", "event", "difficulty")
    }
    # Another street's region simply matches nothing of what the user may see.
    assert ids(street.get(URL, {"region": w.communities["jiangbin"].region.pk})) == set()


def test_filter_overdue(cases_world: World, cases: dict[str, Case]) -> None:
    past = timezone.now() - dt.timedelta(hours=1)
    Case.objects.filter(pk=cases["pending"].pk).update(response_due=past)
    Case.objects.filter(pk=cases["beichen"].pk).update(resolution_due=past)
    staff = client(cases_world, "community_staff")

    overdue = results(staff.get(URL, {"overdue": "true"}))
    assert [row["id"] for row in overdue] == [cases["pending"].pk]
    assert overdue[0]["overdue"] is True
    assert ids(staff.get(URL, {"overdue": "false"})) == {cases[k].pk for k in ("wish", "event", "difficulty")}


def test_malformed_filters_are_a_400_with_field_errors(cases_world: World) -> None:
    body = assert_error(
        client(cases_world, "community_staff").get(URL, {"kind": "wish", "overdue": "maybe"}), 400, "invalid"
    )
    assert set(body["fields"]) == {"kind", "overdue"}


# -------------------------------------------------------------------------------------------------- detail


def test_detail_of_another_community_is_a_404(cases_world: World, cases: dict[str, Case]) -> None:
    for persona in ("community_staff", "grid_worker", "party_member", "resident"):
        response = client(cases_world, persona).get(f"{URL}{cases['beichen'].pk}/")
        assert_error(response, 404, "not_found")
        assert SIBLING_MARK not in response.content.decode()
    assert client(cases_world, "sibling_staff").get(f"{URL}{cases['beichen'].pk}/").status_code == 200


def test_staff_detail_has_full_timeline_masked_mobile_and_deadlines(cases_world: World, cases: dict[str, Case]) -> None:
    w = cases_world
    case = cases["difficulty"]
    case_note_add(case=case, actor=w.users["community_staff"], note="内部备注：已联系物业", public=False)

    response = client(w, "community_staff").get(f"{URL}{case.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["contact_mobile_masked"] == "138****1234"
    assert "13800001234" not in response.content.decode()
    assert body["requester_name"] == "东岳赵六"
    assert body["place"] == w.communities["dongyue"].entrance.pk
    assert body["place_name"] == "东岳花园1栋1单元"
    assert body["response_due"] and body["resolution_due"] and body["overdue"] is False
    assert body["level"] == case.level and body["grid_name"] == "东岳第一网格"
    assert [e["kind"] for e in body["timeline"]] == [
        EventKind.SUBMITTED,
        EventKind.ROUTED,
        EventKind.ACCEPTED,
        EventKind.NOTE,
    ]
    assert body["photos"] == [] and body["rating"] is None


def test_resident_reads_own_case_with_public_events_only(cases_world: World, cases: dict[str, Case]) -> None:
    w = cases_world
    case = cases["wish"]
    case_note_add(case=case, actor=w.users["community_staff"], note="内部备注", public=False)

    body = client(w, "resident").get(f"{URL}{case.pk}/").json()

    assert body["id"] == case.pk
    assert EventKind.NOTE not in [e["kind"] for e in body["timeline"]]
    assert "内部备注" not in str(body)
    staff_kinds = [e["kind"] for e in client(w, "community_staff").get(f"{URL}{case.pk}/").json()["timeline"]]
    assert EventKind.NOTE in staff_kinds
    # Someone else's case in the resident's own community is not theirs to read.
    assert_error(client(w, "resident").get(f"{URL}{cases['difficulty'].pk}/"), 404, "not_found")


def test_claimer_opens_a_wall_case_as_the_wall_shows_it(cases_world: World, cases: dict[str, Case]) -> None:
    w = cases_world
    member = client(w, "party_member")

    body = member.get(f"{URL}{cases['wish'].pk}/").json()

    assert body["place"] == w.communities["dongyue"].compound.pk
    assert body["place_name"] == "东岳花园"
    assert body["requester_name"] == "东***"
    assert body["contact_mobile_masked"] == "" and body["photos"] == [] and body["lat"] is None
    assert "东岳张伟" not in str(body)
    # Not on the wall: pending, in progress, another community.
    for key in ("pending", "event", "beichen"):
        assert_error(member.get(f"{URL}{cases[key].pk}/"), 404, "not_found")


# -------------------------------------------------------------------------------------------------- intake


def png(name: str = "photo.png", size: tuple[int, int] = (8, 8)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def payload(world: World, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "difficulty",
        "category": "environment",
        "title": "楼道灯坏了",
        "description": "1单元3楼的楼道灯坏了，晚上很黑",
        "place": world.communities["dongyue"].entrance.pk,
        "requester_name": "东岳赵六",
        "contact_mobile": "13800005678",
        "lat": 22.654321,
        "long": 110.123456,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def counts() -> tuple[int, int, int, int]:
    return Case.objects.count(), CaseEvent.objects.count(), CasePhoto.objects.count(), AuditEvent.objects.count()


def test_resident_submits_for_themself(cases_world: World) -> None:
    w = cases_world
    before = AuditEvent.objects.filter(action="create").count()

    response = client(w, "resident").post(URL, payload(w, requester_name="", contact_mobile=""), format="json")

    assert response.status_code == 201, response.content
    case = Case.objects.get(pk=response.json()["id"])
    assert (case.channel, case.status, case.kind) == (Channel.API, CaseStatus.PENDING, CaseKind.DIFFICULTY)
    assert case.requester_user == w.users["resident"]
    assert case.requester == w.communities["dongyue"].persons[0]
    assert case.requester_name == "东岳张伟"
    assert [e.kind for e in case.events.all()] == [EventKind.SUBMITTED, EventKind.ROUTED]
    assert AuditEvent.objects.filter(action="create").count() == before + 1
    # It is now in the resident's list.
    assert ids(client(w, "resident").get(URL)) == {case.pk}


def test_staff_submit_for_a_resident_with_photos(cases_world: World, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    w = cases_world
    data = payload(w, photos=[png("a.png"), png("b.png")], attributes="{}")

    response = client(w, "community_staff").post(URL, data, format="multipart")

    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get(pk=body["id"])
    assert case.requester_user is None and case.created_by == w.users["community_staff"]
    assert body["contact_mobile_masked"] == "138****5678"
    assert "13800005678" not in response.content.decode()
    assert len(body["photos"]) == 2
    assert all(p["url"].startswith("/cases/photos/") and p["stage"] == "intake" for p in body["photos"])
    assert body["photos"][0]["url"].rstrip("/").endswith(case.photos.order_by("id")[0].token)


def test_user_neither_handler_nor_resident_cannot_submit(cases_world: World) -> None:
    before = counts()

    response = client(cases_world, "sibling_staff").post(URL, payload(cases_world), format="json")

    assert_error(response, 403, "not_allowed")
    assert counts() == before


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"category": "no-such-category"}, "case_invalid", "category"),
        ({"item": "no-such-item"}, "case_invalid", "item"),
        ({"place": None}, "case_invalid", "place"),
        ({"place": 999999}, "case_invalid", "place"),
        ({"description": "长" * 4001}, "case_invalid", "description"),
        ({"kind": "wish"}, "case_invalid", "kind"),
        ({"kind": "micro_wish"}, "case_invalid", "need_group"),
        ({"contact_mobile": "12345"}, "case_invalid", "contact_mobile"),
        ({"lat": 95.0}, "case_invalid", "lat"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    cases_world: World, overrides: dict[str, Any], code: str, field: str
) -> None:
    before = counts()

    response = client(cases_world, "community_staff").post(URL, payload(cases_world, **overrides), format="json")

    body = assert_error(response, 400, code)
    assert field in body["fields"], body
    assert all(isinstance(m, str) and m for m in body["fields"][field])
    assert counts() == before


def test_a_place_that_is_a_community_is_refused(cases_world: World) -> None:
    w = cases_world
    body = assert_error(
        client(w, "community_staff").post(URL, payload(w, place=w.communities["dongyue"].region.pk), format="json"),
        400,
        "case_invalid",
    )
    assert set(body["fields"]) == {"place"}


@pytest.mark.parametrize("kind", ["oversized", "not_an_image"])
def test_bad_photos_are_refused_and_nothing_is_written(
    cases_world: World, settings: Any, tmp_path: Path, kind: str
) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.CASES_PHOTO_MAX_BYTES = 2000
    photo = (
        png("big.png", size=(400, 400))
        if kind == "oversized"
        else SimpleUploadedFile("fake.jpg", b"this is not a photo at all", content_type="image/jpeg")
    )
    if kind == "oversized":
        assert photo.size is not None and photo.size > 2000
    before = counts()

    response = client(cases_world, "community_staff").post(
        URL, payload(cases_world, photos=[photo]), format="multipart"
    )

    body = assert_error(response, 400, "photo_invalid")
    assert body["fields"]["photos"]
    assert counts() == before
    assert not any(tmp_path.rglob("*.*"))


def test_list_and_detail_query_counts_do_not_grow_with_rows(
    cases_world: World, cases: dict[str, Case], django_assert_max_num_queries: Any
) -> None:
    w = cases_world
    staff = client(w, "street_staff")
    staff.get(URL)  # warm the caches (content types, anchors)
    with django_assert_max_num_queries(3):
        assert len(results(staff.get(URL))) == 5
    for _ in range(5):
        staff_case(w, title="东岳又一件")
    with django_assert_max_num_queries(3):
        assert len(results(staff.get(URL))) == 10
    # The case with its related rows, the scope check, photos, the timeline with its actors.
    with django_assert_max_num_queries(7):
        assert staff.get(f"{URL}{cases['difficulty'].pk}/").status_code == 200
