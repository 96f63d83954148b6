"""The residents' request pages: submit (with photos, places, slots, duplicate hints), follow, withdraw, rate."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from grassroots.accounts.enums import Role
from grassroots.accounts.services import role_assign, user_create
from grassroots.cases.enums import CaseKind, CaseStatus, EventKind, Satisfaction
from grassroots.cases.models import Case, CaseEvent, CasePhoto
from grassroots.cases.services import case_claim, case_fulfil
from grassroots.catalogue.models import ServiceCategory, ServiceItem
from grassroots.core.models import AuditEvent
from grassroots.portal.forms_cases import appointment_slots
from tests.cases.conftest import cases_world  # noqa: F401
from tests.cases.factories import make_case
from tests.conftest import World

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def client_for(user: Any) -> Client:
    client = Client(**EN)
    client.force_login(user)
    return client


def png(name: str = "photo.png", size: tuple[int, int] = (16, 16)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def wish_post(w: World, **overrides: Any) -> dict[str, Any]:
    dy = w.communities["dongyue"]
    data: dict[str, Any] = {
        "kind": CaseKind.MICRO_WISH,
        "category": ServiceCategory.objects.get(code="elderly").pk,
        "need_group": "elderly_alone",
        "description": "想请人帮忙换一个灯泡",
        "compound": dy.compound.pk,
        "building": dy.building.pk,
        "entrance": dy.entrance.pk,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def other_resident(cases_world: World) -> Any:  # noqa: F811
    dy = cases_world.communities["dongyue"]
    user = user_create(actor=None, username="resident2", password="", person=dy.persons[1], check_password=False)
    role_assign(actor=None, user=user, role=Role.RESIDENT, region=dy.compound)
    return user


def test_the_form_defaults_to_the_residents_own_entrance(cases_world: World) -> None:  # noqa: F811
    dy = cases_world.communities["dongyue"]
    html = client_for(cases_world.users["resident"]).get("/portal/requests/new/").content.decode()
    assert f'<option value="{dy.entrance.pk}" selected>' in html
    assert f'<option value="{dy.compound.pk}" selected>' in html
    assert "北辰" not in html  # only the resident's own community's places
    assert 'name="photos"' in html and "multiple" in html


def test_submit_with_a_photo_creates_the_case(cases_world: World) -> None:  # noqa: F811
    w = cases_world
    client = client_for(w.users["resident"])
    response = client.post("/portal/requests/new/", {**wish_post(w), "photos": [png()]})
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get()
    assert response["Location"] == f"/portal/requests/{case.pk}/"
    assert case.kind == CaseKind.MICRO_WISH and case.status == CaseStatus.PENDING
    assert case.channel == "portal" and case.requester_user == w.users["resident"]
    assert case.place == w.communities["dongyue"].entrance
    assert CasePhoto.objects.filter(case=case).count() == 1
    html = client.get(response["Location"]).content.decode()
    assert case.number in html and "Awaiting acceptance" in html


def test_an_appointment_books_a_listed_slot(cases_world: World) -> None:  # noqa: F811
    w = cases_world
    item = ServiceItem.objects.get(code="free-haircut")
    slot = appointment_slots(item=item, community_id=w.communities["dongyue"].region.pk)[0].slots[0]
    data = wish_post(
        w, kind=CaseKind.APPOINTMENT, category=item.category_id, item=item.pk, need_group="", slot_start=slot.value
    )
    response = client_for(w.users["resident"]).post("/portal/requests/new/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get()
    assert case.slot_start == slot.start and case.item == item


def test_a_time_that_was_not_offered_is_refused(cases_world: World) -> None:  # noqa: F811
    w = cases_world
    item = ServiceItem.objects.get(code="free-haircut")
    late = timezone.localtime() + dt.timedelta(days=2)
    night = late.replace(hour=3, minute=0, second=0, microsecond=0).isoformat()
    data = wish_post(w, kind=CaseKind.APPOINTMENT, category=item.category_id, item=item.pk, slot_start=night)
    response = client_for(w.users["resident"]).post("/portal/requests/new/", data)
    assert response.status_code == 200 and "Choose one of the listed times." in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("oversized photo", "is larger than"),
        ("text file", "is not a JPEG, PNG or WebP photo"),
        ("no place", "Choose where: a compound, building or entrance."),
        ("4001 characters", "The description can be at most 4000 characters (it has 4001)."),
        ("ten photos", "At most 9 photos can be attached."),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(
    cases_world: World,  # noqa: F811
    settings: Any,
    case: str,
    expected: str,
) -> None:
    w = cases_world
    settings.CASES_PHOTO_MAX_BYTES = 2000
    data = wish_post(w)
    photos: list[SimpleUploadedFile] = []
    if case == "oversized photo":
        big = io.BytesIO()
        Image.effect_noise((200, 200), 80).convert("RGB").save(big, format="PNG")
        photos = [SimpleUploadedFile("big.png", big.getvalue(), content_type="image/png")]
        assert len(big.getvalue()) > 2000
    elif case == "text file":
        photos = [SimpleUploadedFile("notes.png", b"just some text", content_type="image/png")]
    elif case == "no place":
        data = wish_post(w, compound=None, building=None, entrance=None)
    elif case == "4001 characters":
        data = wish_post(w, description="灯" * 4001)
    elif case == "ten photos":
        photos = [png(f"p{i}.png") for i in range(10)]
    events, audits = CaseEvent.objects.count(), AuditEvent.objects.filter(action="create").count()
    response = client_for(w.users["resident"]).post("/portal/requests/new/", {**data, "photos": photos})
    html = response.content.decode()
    assert response.status_code == 200
    assert expected in html
    assert not Case.objects.exists() and not CasePhoto.objects.exists()
    assert CaseEvent.objects.count() == events
    assert AuditEvent.objects.filter(action="create").count() == audits


def test_a_place_of_another_community_is_not_a_choice(cases_world: World) -> None:  # noqa: F811
    w = cases_world
    bc = w.communities["beichen"]
    data = wish_post(w, compound=bc.compound.pk, building=None, entrance=None)
    response = client_for(w.users["resident"]).post("/portal/requests/new/", data)
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Case.objects.exists()


def test_a_resident_sees_only_their_own_requests(cases_world: World, other_resident: Any) -> None:  # noqa: F811
    w = cases_world
    mine = make_case(w, description="我的灯泡坏了")
    theirs = make_case(w, actor=other_resident, description="邻居的水管漏了")
    client = client_for(w.users["resident"])
    html = client.get("/portal/requests/").content.decode()
    assert mine.title in html and theirs.title not in html
    assert client.get(f"/portal/requests/{mine.pk}/").status_code == 200
    assert client.get(f"/portal/requests/{theirs.pk}/").status_code == 404
    assert client.get(f"/portal/requests/{theirs.pk}/", HTTP_HX_REQUEST="true").status_code == 404
    assert client.post(f"/portal/requests/{theirs.pk}/withdraw/").status_code == 404
    assert client.post(f"/portal/requests/{theirs.pk}/rate/", {"stars": 5}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == CaseStatus.PENDING


def test_my_requests_are_newest_first_and_need_a_sign_in(cases_world: World) -> None:  # noqa: F811
    w = cases_world
    first = make_case(w, description="第一个请求")
    second = make_case(w, description="第二个请求")
    html = client_for(w.users["resident"]).get("/portal/requests/").content.decode()
    assert html.index(second.title) < html.index(first.title)
    response = Client().get("/portal/requests/")
    assert response.status_code == 302 and response["Location"].startswith("/portal/login/")


def test_the_live_part_polls_and_asks_for_a_reload_when_the_status_changes(cases_world: World) -> None:  # noqa: F811
    w = cases_world
    case = make_case(w)
    client = client_for(w.users["resident"])
    page = client.get(f"/portal/requests/{case.pk}/").content.decode()
    assert 'hx-trigger="every 15s"' in page
    part = client.get(f"/portal/requests/{case.pk}/?status=pending", HTTP_HX_REQUEST="true")
    assert part.status_code == 200 and "<html" not in part.content.decode()
    assert "Submitted" in part.content.decode() and "HX-Refresh" not in part
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.OPEN)
    stale = client.get(f"/portal/requests/{case.pk}/?status=pending", HTTP_HX_REQUEST="true")
    assert stale["HX-Refresh"] == "true"


def test_withdraw_a_pending_request(cases_world: World) -> None:  # noqa: F811
    w = cases_world
    case = make_case(w)
    client = client_for(w.users["resident"])
    response = client.post(f"/portal/requests/{case.pk}/withdraw/", {"reason": "已自行解决"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CANCELLED
    assert case.events.filter(kind=EventKind.CANCELLED, note="已自行解决").exists()
    html = client.get(f"/portal/requests/{case.pk}/").content.decode()
    assert "Withdraw this request" not in html and "hx-trigger" not in html


def _fulfilled(w: World) -> Case:
    member = w.users["party_member"]
    case = case_claim(case=make_case(w, accept=True), actor=member)
    return case_fulfil(case=case, actor=member, note="灯泡换好了", residents_served=1)


def test_rating_a_fulfilled_case_closes_it(cases_world: World) -> None:  # noqa: F811
    w = cases_world
    case = _fulfilled(w)
    client = client_for(w.users["resident"])
    assert "Is it done? Please confirm and rate" in client.get(f"/portal/requests/{case.pk}/").content.decode()
    response = client.post(
        f"/portal/requests/{case.pk}/rate/",
        {"stars": "5", "satisfaction": Satisfaction.SATISFIED, "resolved": "yes", "comment": "谢谢"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert (case.rating_stars, case.satisfaction, case.rating_resolved) == (5, "satisfied", True)


def test_a_dissatisfied_rating_reopens_the_case(cases_world: World) -> None:  # noqa: F811
    w = cases_world
    case = _fulfilled(w)
    response = client_for(w.users["resident"]).post(
        f"/portal/requests/{case.pk}/rate/",
        {"stars": "1", "satisfaction": Satisfaction.DISSATISFIED, "resolved": "no"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS and case.reopen_count == 1 and case.rating_resolved is False


def test_a_rating_without_stars_shows_the_services_error(cases_world: World) -> None:  # noqa: F811
    w = cases_world
    case = _fulfilled(w)
    response = client_for(w.users["resident"]).post(f"/portal/requests/{case.pk}/rate/", {"satisfaction": "satisfied"})
    assert response.status_code == 200 and "Give 1 to 5 stars." in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.FULFILLED and case.rated_at is None


def test_htmx_parts_offer_items_slots_and_places(cases_world: World) -> None:  # noqa: F811
    w = cases_world
    dy = w.communities["dongyue"]
    client = client_for(w.users["resident"])
    item = ServiceItem.objects.get(code="free-haircut")
    htmx = {"HTTP_HX_REQUEST": "true"}
    part = client.get(
        "/portal/requests/new/",
        {"part": "item", "kind": "appointment", "category": item.category_id},
        **htmx,
    ).content.decode()
    assert item.name in part and "家电维修" not in part  # appointment items only
    # Fill one slot to capacity: it is shown, disabled.
    first = appointment_slots(item=item, community_id=dy.region.pk)[0].slots[0]
    for i in range(item.slot_capacity or 0):
        make_case(
            w,
            kind=CaseKind.APPOINTMENT,
            category=item.category.code,
            item=item.code,
            slot_start=first.start,
            description=f"预约{i}",
        )
    part = client.get(
        "/portal/requests/new/",
        {"part": "item", "kind": "appointment", "category": item.category_id, "item": item.pk},
        **htmx,
    ).content.decode()
    assert f'value="{first.value}" disabled' in part
    place = client.get("/portal/requests/new/", {"part": "place", "compound": dy.compound.pk}, **htmx).content.decode()
    assert dy.building.name in place and 'id="part-place"' in place and "<html" not in place


def test_duplicate_hints_show_only_title_and_status(cases_world: World, other_resident: Any) -> None:  # noqa: F811
    w = cases_world
    dy = w.communities["dongyue"]
    other = make_case(w, actor=other_resident, description="楼道灯坏了很久")
    part = (
        client_for(w.users["resident"])
        .get(
            "/portal/requests/new/",
            {"part": "place", "category": other.category_id, "compound": dy.compound.pk, "building": dy.building.pk},
            HTTP_HX_REQUEST="true",
        )
        .content.decode()
    )
    assert other.title in part and 'hx-swap-oob="true"' in part
    assert other.requester_name not in part and other.number not in part


def test_an_account_without_a_registration_is_told_so(world: World) -> None:
    html = client_for(world.users["community_staff"]).get("/portal/requests/new/").content.decode()
    assert "not linked to a resident" in html


def test_my_requests_queries_do_not_grow_with_the_list(cases_world: World) -> None:  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = cases_world
    client = client_for(w.users["resident"])
    counts = []
    for n in (2, 5):
        while Case.objects.count() < n:
            make_case(w, description=f"请求{Case.objects.count()}")
        client.get("/portal/requests/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/portal/requests/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_resident_of_another_community_sees_nothing_of_dongyue(cases_world: World) -> None:  # noqa: F811
    w = cases_world
    bc = w.communities["beichen"]
    user = user_create(actor=None, username="bc-resident", password="", person=bc.persons[0], check_password=False)
    role_assign(actor=None, user=user, role=Role.RESIDENT, region=bc.compound)
    mine = make_case(w, description="东岳居民的请求")
    client = client_for(user)
    assert client.get(f"/portal/requests/{mine.pk}/").status_code == 404
    assert mine.title not in client.get("/portal/requests/").content.decode()
    form = client.get("/portal/requests/new/").content.decode()
    assert bc.compound.name in form and "东岳" not in form
    dy = w.communities["dongyue"]
    response = client.post("/portal/requests/new/", wish_post(w, compound=dy.compound.pk, building=None, entrance=None))
    assert response.status_code == 200 and Case.objects.count() == 1
