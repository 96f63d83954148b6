"""Staff case pages: the inbox (scope, filters, htmx, export), the case page, intake and the photo view."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from grassroots.cases.enums import CaseKind, CaseLevel, CaseStatus, Channel, EventKind
from grassroots.cases.models import Case, CasePhoto
from grassroots.cases.services import CaseInput, case_note_add, case_submit
from grassroots.catalogue.models import ServiceCategory
from grassroots.core.models import AuditEvent
from tests.cases.factories import make_case
from tests.conftest import SIBLING_MARK, World
from tests.web.helpers import html


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def png(name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (6, 6), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def numbers(response: Any) -> set[str]:
    return {case.number for case in response.context["object_list"]}


@pytest.fixture
def spread(cases_world: World) -> dict[str, Case]:
    """One case in each of 东岳, 北辰 and 江滨, plus an accepted difficulty in 东岳."""
    w = cases_world
    return {
        "dongyue": make_case(w, title="东岳换灯泡"),
        "dongyue_open": make_case(w, kind=CaseKind.DIFFICULTY, category="safety", accept=True, title="东岳楼道堆物"),
        "beichen": make_case(w, community="beichen", title="北辰换灯泡"),
        "jiangbin": make_case(w, community="jiangbin", title="江滨换灯泡"),
    }


# The inbox


def test_inbox_lists_only_cases_in_scope(cases_world: World, spread: dict[str, Case]) -> None:
    w = cases_world
    dongyue = {spread["dongyue"].number, spread["dongyue_open"].number}
    response = w.client("community_staff").get("/cases/")
    assert response.status_code == 200
    assert numbers(response) == dongyue
    assert SIBLING_MARK not in html(response)
    assert numbers(w.client("grid_worker").get("/cases/")) == dongyue
    assert numbers(w.client("sibling_staff").get("/cases/")) == {spread["beichen"].number}
    street = numbers(w.client("street_staff").get("/cases/"))
    assert street == dongyue | {spread["beichen"].number}
    assert numbers(w.client("district_admin").get("/cases/")) == street | {spread["jiangbin"].number}


def test_inbox_needs_the_capability(cases_world: World) -> None:
    assert cases_world.client("party_member").get("/cases/").status_code == 403
    assert cases_world.client("resident").get("/cases/").status_code == 403


def test_inbox_filters(cases_world: World, spread: dict[str, Case]) -> None:
    client = cases_world.client("street_staff")
    pending, accepted = spread["dongyue"], spread["dongyue_open"]
    assert numbers(client.get("/cases/", {"kind": "difficulty"})) == {accepted.number}
    assert numbers(
        client.get("/cases/", {"status": "pending", "region": cases_world.communities["dongyue"].region.pk})
    ) == {pending.number}
    assert numbers(client.get("/cases/", {"q": accepted.number})) == {accepted.number}
    category = ServiceCategory.objects.get(code="safety")
    assert numbers(client.get("/cases/", {"category": category.pk})) == {accepted.number}
    # Overdue: the pending wish's response deadline has passed.
    Case.objects.filter(pk=pending.pk).update(response_due=timezone.now() - dt.timedelta(hours=1))
    assert numbers(client.get("/cases/", {"overdue": "yes"})) == {pending.number}
    assert pending.number not in numbers(client.get("/cases/", {"overdue": "no"}))
    assert accepted.number in numbers(client.get("/cases/", {"overdue": "no"}))
    page = html(client.get("/cases/", {"overdue": "yes"}))
    assert "text-danger" in page


def test_grid_filter_offers_only_grids_in_scope(cases_world: World, spread: dict[str, Case]) -> None:
    w = cases_world
    client = w.client("community_staff")
    own = client.get("/cases/", {"grid": w.communities["dongyue"].grid.pk})
    assert len(numbers(own)) == 2
    foreign = client.get("/cases/", {"grid": w.communities["beichen"].grid.pk})
    assert numbers(foreign) == set()
    assert SIBLING_MARK not in html(foreign)


def test_inbox_htmx_returns_the_results_partial(cases_world: World, spread: dict[str, Case]) -> None:
    client = cases_world.client("community_staff")
    full = html(client.get("/cases/"))
    assert "<html" in full and 'id="list-results"' in full
    partial = client.get("/cases/", {"kind": "micro_wish"}, headers={"HX-Request": "true"})
    body = html(partial)
    assert partial.status_code == 200
    assert "<html" not in body
    assert body.lstrip().startswith('<div id="list-results"')
    assert spread["dongyue"].number in body and spread["dongyue_open"].number not in body


def test_inbox_query_count_does_not_grow_with_rows(cases_world: World, django_assert_max_num_queries: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = cases_world
    client = w.client("community_staff")
    make_case(w, accept=True)
    with CaptureQueriesContext(connection) as few:
        client.get("/cases/")
    for _ in range(6):
        make_case(w, accept=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/cases/")
    assert len(response.context["object_list"]) == 7


def test_export_masks_mobiles_and_is_audited(cases_world: World) -> None:
    w = cases_world
    make_case(w, title="东岳有电话", contact_mobile="13912345678", requester_name="东岳张伟")
    make_case(w, community="beichen", title="北辰有电话", contact_mobile="13987654321")
    before = AuditEvent.objects.filter(action="export").count()
    response = w.client("community_staff").get("/cases/", {"export": "xlsx"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    rows = [tuple(r) for r in load_workbook(io.BytesIO(content), read_only=True).active.iter_rows(values_only=True)]
    text = repr(rows)
    assert len(rows) == 2
    assert "13912345678" not in text and "139****5678" in text
    assert "东岳张伟" in text
    assert SIBLING_MARK not in text and "13987654321" not in text
    events = AuditEvent.objects.filter(action="export")
    assert events.count() == before + 1
    assert events.latest("pk").changes["rows"] == 1


# The case page


def test_case_page_shows_the_case_masked_and_404s_for_another_community(cases_world: World) -> None:
    w = cases_world
    case = make_case(w, contact_mobile="13912345678", requester_name="东岳张伟")
    case_note_add(case=case, actor=w.users["community_staff"], note="内部备注：已电话联系")
    response = w.client("community_staff").get(f"/cases/{case.pk}/")
    assert response.status_code == 200
    page = html(response)
    assert case.title in page and "东岳张伟" in page
    assert "139****5678" in page and "13912345678" not in page
    assert "内部备注：已电话联系" in page and "bg-orange-lt" in page  # the internal note, marked
    assert {a["name"] for a in response.context["action_forms"]} == {"accept", "reject", "escalate", "cancel", "note"}
    for persona in ("sibling_staff", "party_member"):
        assert w.client(persona).get(f"/cases/{case.pk}/").status_code == 404
    # The grid worker of another grid in the same street cannot see it either.
    assert w.client("grid_worker").get(f"/cases/{make_case(w, community='beichen').pk}/").status_code == 404


def test_the_requester_is_sent_to_the_portal(cases_world: World) -> None:
    w = cases_world
    case = make_case(w)
    response = w.client("resident").get(f"/cases/{case.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/portal/requests/{case.pk}/"


def test_similar_open_cases_are_listed_on_the_case_page(cases_world: World) -> None:
    w = cases_world
    first = make_case(w, accept=True, title="东岳灯坏了")
    second = make_case(w, title="东岳灯又坏了")
    make_case(w, community="beichen", title="北辰灯坏了")
    response = w.client("street_staff").get(f"/cases/{second.pk}/")
    assert [c.pk for c in response.context["similar"]] == [first.pk]


# Intake


def intake_data(w: World, **overrides: Any) -> dict[str, Any]:
    dy = w.communities["dongyue"]
    data: dict[str, Any] = {
        "channel": Channel.WALK_IN,
        "kind": CaseKind.DIFFICULTY,
        "category": ServiceCategory.objects.get(code="safety").pk,
        "item": "",
        "compound": dy.compound.pk,
        "building": dy.building.pk,
        "entrance": dy.entrance.pk,
        "title": "",
        "description": "三楼楼道的灯坏了，晚上很黑",
        "requester_name": "东岳张伟",
        "contact_mobile": "13912345678",
        "need_group": "",
        "accept": "on",
    }
    data.update(overrides)
    return data


def test_intake_creates_an_accepted_case_with_its_scope(cases_world: World) -> None:
    w = cases_world
    dy = w.communities["dongyue"]
    data = intake_data(w, photos=[png("a.png"), png("b.png")])
    response = w.client("community_staff").post("/cases/new/", data)
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert case.place == dy.entrance
    assert (case.district_id, case.street_id, case.community_id, case.compound_id) == (
        w.district.pk,
        w.streets["mingshan"].pk,
        dy.region.pk,
        dy.compound.pk,
    )
    assert case.grid == dy.grid
    assert case.status == CaseStatus.OPEN  # an accepted difficulty can be claimed
    assert case.channel == Channel.WALK_IN and case.created_by == w.users["community_staff"]
    assert case.contact_mobile == "13912345678" and case.requester_name == "东岳张伟"
    assert case.photos.count() == 2
    assert list(case.events.values_list("kind", flat=True)) == [
        EventKind.SUBMITTED,
        EventKind.ROUTED,
        EventKind.ACCEPTED,
    ]


def test_intake_rejects_a_place_outside_the_scope(cases_world: World) -> None:
    w = cases_world
    bc = w.communities["beichen"]
    client = w.client("community_staff")
    response = client.post(
        "/cases/new/", intake_data(w, compound=bc.compound.pk, building=bc.building.pk, entrance=bc.entrance.pk)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["compound"]
    # A building of another compound is not a choice either.
    response = client.post("/cases/new/", intake_data(w, building=bc.building.pk, entrance=""))
    assert response.context["form"].errors["building"]
    assert not Case.objects.exists()


def test_intake_shows_service_errors_and_writes_nothing(cases_world: World) -> None:
    w = cases_world
    client = w.client("community_staff")
    # A micro-wish needs the resident group (checked by the service).
    response = client.post("/cases/new/", intake_data(w, kind=CaseKind.MICRO_WISH))
    assert response.status_code == 200
    assert response.context["form"].errors["need_group"]
    response = client.post("/cases/new/", intake_data(w, photos=[SimpleUploadedFile("x.png", b"not an image")]))
    assert response.context["form"].errors["photos"]
    assert not Case.objects.exists()


def test_a_grid_worker_takes_in_for_the_grid(cases_world: World) -> None:
    w = cases_world
    client = w.client("grid_worker")
    form = client.get("/cases/new/").context["form"]
    assert form.initial["channel"] == Channel.GRID_WORKER
    assert list(form.fields["compound"].queryset) == [w.communities["dongyue"].compound]
    response = client.post("/cases/new/", intake_data(w, channel=Channel.GRID_WORKER, kind=CaseKind.GRID_EVENT))
    case = Case.objects.get()
    assert response["Location"] == f"/cases/{case.pk}/"
    assert case.kind == CaseKind.GRID_EVENT and case.level == CaseLevel.GRID


def test_intake_partials(cases_world: World) -> None:
    w = cases_world
    dy, bc = w.communities["dongyue"], w.communities["beichen"]
    client = w.client("community_staff")
    places = client.get("/cases/new/places/", {"compound": dy.compound.pk}, headers={"HX-Request": "true"})
    body = html(places)
    assert "<html" not in body and dy.building.name in body
    assert SIBLING_MARK not in html(client.get("/cases/new/places/", {"compound": bc.compound.pk}))
    category = ServiceCategory.objects.get(code="convenience")
    services = html(client.get("/cases/new/services/", {"category": category.pk}))
    assert "家电维修" in services
    item = category.items.get(code="appliance-repair")
    assert "需要维修的家电" in html(client.get("/cases/new/services/", {"category": category.pk, "item": item.pk}))


def test_duplicate_suggestions_show_only_visible_cases(cases_world: World) -> None:
    w = cases_world
    dy, bc = w.communities["dongyue"], w.communities["beichen"]
    mine = make_case(w, title="东岳灯坏了")
    make_case(w, community="beichen", title="北辰灯坏了")
    client = w.client("community_staff")
    category = ServiceCategory.objects.get(code="elderly").pk
    body = html(client.get("/cases/new/similar/", {"compound": dy.compound.pk, "category": category}))
    assert mine.number in body
    body = html(client.get("/cases/new/similar/", {"compound": bc.compound.pk, "category": category}))
    assert SIBLING_MARK not in body and "case_detail" not in body and "/cases/" not in body


# Photos


def test_photo_is_served_only_to_those_who_may_see_the_case(cases_world: World) -> None:
    w = cases_world
    case = case_submit(
        actor=w.users["resident"],
        data=CaseInput(
            kind=CaseKind.DIFFICULTY,
            place=w.communities["dongyue"].entrance,
            description="门口有积水",
            channel=Channel.PORTAL,
            category=ServiceCategory.objects.get(code="safety"),
        ),
        photos=[png()],
    )
    photo = CasePhoto.objects.get(case=case)
    url = f"/cases/photos/{photo.token}/"
    response = w.client("community_staff").get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert w.client("resident").get(url).status_code == 200  # the requester
    for persona in ("sibling_staff", "party_member"):
        assert w.client(persona).get(url).status_code == 404
    from django.test import Client

    assert Client().get(url).status_code == 404
    assert w.client("community_staff").get("/cases/photos/0000/").status_code == 404
    # The case page shows it as a thumbnail.
    assert url in html(w.client("community_staff").get(f"/cases/{case.pk}/"))


def test_intake_of_an_appointment_with_its_time(cases_world: World) -> None:
    w = cases_world
    category = ServiceCategory.objects.get(code="convenience")
    item = category.items.get(code="free-haircut")
    slot = timezone.localtime() + dt.timedelta(days=3)
    data = intake_data(
        w,
        kind=CaseKind.APPOINTMENT,
        category=category.pk,
        item=item.pk,
        slot_start=slot.strftime("%Y-%m-%dT%H:%M"),
        channel=Channel.PHONE,
    )
    response = w.client("community_staff").post("/cases/new/", data)
    case = Case.objects.get()
    assert response.status_code == 302
    assert case.item == item and case.slot_start is not None
    assert timezone.localtime(case.slot_start).strftime("%Y-%m-%d %H:%M") == slot.strftime("%Y-%m-%d %H:%M")
    # Without a time the service's error is shown under the field.
    response = w.client("community_staff").post("/cases/new/", {**data, "slot_start": ""})
    assert response.context["form"].errors["slot_start"]
    assert Case.objects.count() == 1
