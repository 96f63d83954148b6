"""Intake refuses bad input with a clear code and field, and writes nothing: no case, no timeline row, no photo
row or file, no audit row, no notification."""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from grassroots.cases.enums import CaseKind, CaseStatus, Channel, NeedGroup
from grassroots.cases.models import DESCRIPTION_MAX, Case, CaseEvent, CasePhoto
from grassroots.cases.services import CaseInput, case_submit
from grassroots.catalogue.models import ServiceCategory, ServiceItem
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditEvent
from grassroots.notifications.models import Delivery, Notification
from tests.conftest import World

TEXT = "楼道里的灯坏了，晚上很黑，老人上下楼不方便"


def jpeg(name: str = "photo.jpg", *, size: int = 16, noise: bool = False) -> SimpleUploadedFile:
    image = Image.new("RGB", (size, size), (200, 60, 60))
    if noise:
        rng = random.Random(7)
        image.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(size * size)])
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=95)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def media(settings: LazySettings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def files_in(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def nothing_written(media: Path) -> Iterator[Callable[[], None]]:
    """Call the returned check after a refused submission: every table and the media folder are unchanged."""
    models = (Case, CaseEvent, CasePhoto, AuditEvent, Notification, Delivery)

    def counts() -> dict[str, int]:
        return {m.__name__: m.objects.count() for m in models}

    before = counts()

    def check() -> None:
        assert counts() == before
        assert files_in(media) == []

    yield check


def wish(world: World, **overrides: Any) -> CaseInput:
    values: dict[str, Any] = {
        "kind": CaseKind.MICRO_WISH,
        "place": world.communities["dongyue"].entrance,
        "description": TEXT,
        "channel": Channel.PORTAL,
        "category": ServiceCategory.objects.get(code="elderly"),
        "need_group": NeedGroup.ELDERLY_ALONE,
    }
    values.update(overrides)
    return CaseInput(**values)


def refused(world: World, data: CaseInput, **kwargs: Any) -> ApplicationError:
    actor = kwargs.pop("actor", world.users["resident"])
    with pytest.raises(ApplicationError) as err:
        case_submit(actor=actor, data=data, **kwargs)
    assert err.value.message
    return err.value


def test_a_good_wish_with_nine_photos_is_written_with_its_rows(cases_world: World, media: Path) -> None:
    """The control for the refusals below: the same input, valid, writes everything."""
    case = case_submit(
        actor=cases_world.users["resident"],
        data=wish(cases_world, description="x" * DESCRIPTION_MAX),
        photos=[jpeg(f"p{i}.jpg") for i in range(9)],
    )
    assert case.status == CaseStatus.PENDING and len(case.description) == DESCRIPTION_MAX
    assert CasePhoto.objects.filter(case=case).count() == 9
    assert len(files_in(media)) == 9
    assert CaseEvent.objects.filter(case=case).count() == 2  # submitted, routed
    assert AuditEvent.objects.filter(target_type__model="case", target_id=str(case.pk)).count() == 1


@override_settings(CASES_PHOTO_MAX_BYTES=2000)
def test_oversized_photo(cases_world: World, nothing_written: Callable[[], None]) -> None:
    big = jpeg("big.jpg", size=64, noise=True)
    assert big.size is not None and big.size > 2000
    err = refused(cases_world, wish(cases_world), photos=[jpeg("small.jpg"), big])
    assert err.code == "photo_invalid"
    assert len(err.fields["photos"]) == 1 and "big.jpg" in err.fields["photos"][0]
    nothing_written()


def test_text_file_named_jpg(cases_world: World, nothing_written: Callable[[], None]) -> None:
    fake = SimpleUploadedFile("photo.jpg", b"just some text, not a photo\n" * 20, content_type="image/jpeg")
    err = refused(cases_world, wish(cases_world), photos=[fake])
    assert err.code == "photo_invalid" and "photo.jpg" in err.fields["photos"][0]
    nothing_written()


def test_ten_photos(cases_world: World, nothing_written: Callable[[], None]) -> None:
    err = refused(cases_world, wish(cases_world), photos=[jpeg(f"p{i}.jpg") for i in range(10)])
    assert err.code == "too_many_photos" and "photos" in err.fields
    nothing_written()


def test_inactive_item(cases_world: World, nothing_written: Callable[[], None]) -> None:
    item = ServiceItem.objects.get(code="meal-delivery")
    item.is_active = False
    item.save()
    nothing_written_after_item_change = Case.objects.count()
    err = refused(cases_world, wish(cases_world, item=item))
    assert err.code == "case_invalid" and "item" in err.fields
    assert Case.objects.count() == nothing_written_after_item_change
    nothing_written()


def test_inactive_category(cases_world: World, nothing_written: Callable[[], None]) -> None:
    ServiceCategory.objects.filter(code="elderly").update(is_active=False)
    err = refused(cases_world, wish(cases_world))
    assert err.code == "case_invalid" and "category" in err.fields
    nothing_written()


def test_item_of_another_category(cases_world: World, nothing_written: Callable[[], None]) -> None:
    data = wish(cases_world, item=ServiceItem.objects.get(code="hornet-nest"), attributes={"nest_spot": "阳台"})
    err = refused(cases_world, data)
    assert err.code == "case_invalid" and list(err.fields) == ["item"]
    nothing_written()


def test_no_category_and_unknown_kind(cases_world: World, nothing_written: Callable[[], None]) -> None:
    err = refused(cases_world, wish(cases_world, category=None, kind="complaint"))
    assert err.code == "case_invalid" and {"category", "kind"} <= set(err.fields)
    nothing_written()


def test_missing_location(cases_world: World, nothing_written: Callable[[], None]) -> None:
    err = refused(cases_world, wish(cases_world, place=None))
    assert err.code == "case_invalid" and "place" in err.fields
    nothing_written()


def test_a_community_is_not_a_place(cases_world: World, nothing_written: Callable[[], None]) -> None:
    err = refused(cases_world, wish(cases_world, place=cases_world.communities["dongyue"].region))
    assert err.code == "case_invalid" and list(err.fields) == ["place"]
    nothing_written()


def test_description_of_4001_characters(cases_world: World, nothing_written: Callable[[], None]) -> None:
    err = refused(cases_world, wish(cases_world, description="长" * (DESCRIPTION_MAX + 1)))
    assert err.code == "case_invalid" and list(err.fields) == ["description"]
    assert "4000" in err.fields["description"][0] and "4001" in err.fields["description"][0]
    nothing_written()


def test_empty_description(cases_world: World, nothing_written: Callable[[], None]) -> None:
    err = refused(cases_world, wish(cases_world, description="   \n "))
    assert err.code == "case_invalid" and "description" in err.fields
    nothing_written()


def test_micro_wish_without_resident_group(cases_world: World, nothing_written: Callable[[], None]) -> None:
    err = refused(cases_world, wish(cases_world, need_group=""))
    assert err.code == "case_invalid" and list(err.fields) == ["need_group"]
    nothing_written()


def _appointment(world: World, slot: dt.datetime, **overrides: Any) -> CaseInput:
    item = ServiceItem.objects.get(code="free-clinic")  # appointment mode, 4 bookings per 30-minute slot
    return wish(
        world,
        kind=CaseKind.APPOINTMENT,
        category=item.category,
        item=item,
        need_group="",
        slot_start=slot,
        **overrides,
    )


def test_appointment_in_the_past(cases_world: World, nothing_written: Callable[[], None]) -> None:
    err = refused(cases_world, _appointment(cases_world, timezone.now() - dt.timedelta(hours=1)))
    assert err.code == "case_invalid" and list(err.fields) == ["slot_start"]
    nothing_written()


def test_appointment_in_a_fully_booked_slot(cases_world: World, media: Path) -> None:
    slot = timezone.localtime().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=2)
    booked = [case_submit(actor=cases_world.users["resident"], data=_appointment(cases_world, slot)) for _ in range(4)]
    assert all(c.slot_end == slot + dt.timedelta(minutes=30) for c in booked)
    before = (Case.objects.count(), CaseEvent.objects.count(), AuditEvent.objects.count(), Notification.objects.count())
    err = refused(cases_world, _appointment(cases_world, slot))
    assert err.code == "case_invalid" and list(err.fields) == ["slot_start"]
    assert (
        Case.objects.count(),
        CaseEvent.objects.count(),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    ) == before
    # The next slot is free.
    case_submit(actor=cases_world.users["resident"], data=_appointment(cases_world, slot + dt.timedelta(minutes=30)))


def test_appointment_needs_an_appointment_item(cases_world: World, nothing_written: Callable[[], None]) -> None:
    data = _appointment(cases_world, timezone.now() + dt.timedelta(days=1))
    data.item = ServiceItem.objects.get(code="health-talk")  # a group service
    err = refused(cases_world, data)
    assert err.code == "case_invalid" and "item" in err.fields
    nothing_written()


@pytest.mark.parametrize("mobile", ["12345", "1380013800", "02012345678", "abc"])
def test_bad_mobile(cases_world: World, nothing_written: Callable[[], None], mobile: str) -> None:
    err = refused(cases_world, wish(cases_world, contact_mobile=mobile))
    assert err.code == "case_invalid" and list(err.fields) == ["contact_mobile"]
    nothing_written()


def test_bad_email(cases_world: World, nothing_written: Callable[[], None]) -> None:
    err = refused(cases_world, wish(cases_world, contact_email="not-an-address"))
    assert err.code == "case_invalid" and list(err.fields) == ["contact_email"]
    nothing_written()


@pytest.mark.parametrize(("lat", "long"), [(22.4, None), (None, 110.1), (91, 110.1), (22.4, 181)])
def test_half_or_impossible_map_point(
    cases_world: World, nothing_written: Callable[[], None], lat: float | None, long: float | None
) -> None:
    err = refused(cases_world, wish(cases_world, lat=lat, long=long))
    assert err.code == "case_invalid" and list(err.fields) == ["lat"]
    nothing_written()


def test_missing_required_item_attribute(cases_world: World, nothing_written: Callable[[], None]) -> None:
    item = ServiceItem.objects.get(code="hornet-nest")
    data = wish(cases_world, kind=CaseKind.DIFFICULTY, need_group="", category=item.category, item=item)
    err = refused(cases_world, data)
    assert err.code == "case_invalid" and list(err.fields) == ["attribute[nest_spot]"]
    nothing_written()
    data.attributes = {"nest_spot": "3楼阳台外侧"}
    case = case_submit(actor=cases_world.users["resident"], data=data)
    assert case.attributes == {"nest_spot": "3楼阳台外侧"}


def test_list_attribute_outside_its_values(cases_world: World, nothing_written: Callable[[], None]) -> None:
    item = ServiceItem.objects.get(code="appliance-repair")
    data = _appointment(cases_world, timezone.now() + dt.timedelta(days=1))
    data.kind, data.category, data.item, data.slot_start = CaseKind.DIFFICULTY, item.category, item, None
    data.attributes = {"appliance": "spaceship"}
    err = refused(cases_world, data)
    assert err.code == "case_invalid" and list(err.fields) == ["attribute[appliance]"]
    nothing_written()


def test_every_problem_is_reported_at_once(cases_world: World, nothing_written: Callable[[], None]) -> None:
    data = wish(cases_world, place=None, need_group="", contact_mobile="123", lat=22.4, description="")
    err = refused(cases_world, data)
    assert err.code == "case_invalid"
    assert set(err.fields) == {"place", "need_group", "contact_mobile", "lat", "description"}
    nothing_written()


def test_staff_of_another_community_cannot_take_a_case_in_here(
    cases_world: World, nothing_written: Callable[[], None]
) -> None:
    data = wish(cases_world, channel=Channel.WALK_IN, requester_name="张伟")
    err = refused(cases_world, data, actor=cases_world.users["sibling_staff"])
    assert err.code == "not_allowed" and err.status == 403
    nothing_written()


def test_bad_photo_with_otherwise_good_input_leaves_no_file(
    cases_world: World, nothing_written: Callable[[], None]
) -> None:
    """The photos are checked before anything is written, so a good first photo is not stored either."""
    fake = SimpleUploadedFile("b.jpg", b"GIF89a-not-really", content_type="image/jpeg")
    err = refused(cases_world, wish(cases_world), photos=[jpeg("a.jpg"), fake])
    assert err.code == "photo_invalid"
    nothing_written()


def test_a_failure_after_the_photos_were_stored_leaves_no_file(
    cases_world: World, nothing_written: Callable[[], None]
) -> None:
    """A resident cannot accept their own request: the accept step fails after the photos were saved; the
    transaction rolls back and the saved files must go with it."""
    err = refused(cases_world, wish(cases_world), photos=[jpeg("a.jpg")], accept=True)
    assert err.code == "not_allowed"
    nothing_written()
