"""Part-time committee members (兼职委员): seats with terms, in the community's scope only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditEvent
from grassroots.frontline.selectors.committee import committee_seat_list
from grassroots.frontline.services.committee import committee_person_find, committee_seat_add, committee_seat_end
from grassroots.organizations.models import CommitteeSeat
from tests.conftest import World


def _seat(w: World, **overrides: object) -> CommitteeSeat:
    args: dict[str, object] = {
        "actor": w.users["community_staff"],
        "community": w.communities["dongyue"].region,
        "person": w.duty.member,
        "from_organization": w.duty.unit,
        "position": "兼职委员",
        "term_start": dt.date(2025, 1, 1),
        "term_end": dt.date(2027, 12, 31),
    }
    args.update(overrides)
    return committee_seat_add(**args)  # type: ignore[arg-type]


def test_community_staff_seat_a_unit_leader_and_end_the_term(duty_world: World) -> None:
    w = duty_world
    seat = _seat(w)
    assert list(committee_seat_list(user=w.users["community_staff"], current=True)) == [seat]
    assert AuditEvent.objects.filter(target_id=str(seat.pk), action="create").exists()

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    committee_seat_end(seat=seat, actor=w.users["community_staff"], term_end=yesterday)

    seat.refresh_from_db()
    assert seat.term_end == yesterday
    assert list(committee_seat_list(user=w.users["community_staff"], current=True)) == []
    assert list(committee_seat_list(user=w.users["community_staff"], current=False)) == [seat]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"term_end": dt.date(2024, 12, 31)}, "term_end"),
        ({"position": "  "}, "position"),
        ({"from_organization": "squad"}, "from_organization"),
    ],
)
def test_bad_seats_are_refused_and_write_nothing(duty_world: World, overrides: dict[str, object], field: str) -> None:
    w = duty_world
    if overrides.get("from_organization") == "squad":
        overrides["from_organization"] = w.duty.squad
    with pytest.raises(ApplicationError) as refused:
        _seat(w, **overrides)
    assert field in refused.value.fields
    assert CommitteeSeat.objects.count() == 0


def test_an_overlapping_term_on_the_same_committee_is_refused(duty_world: World) -> None:
    _seat(duty_world)
    with pytest.raises(ApplicationError) as refused:
        _seat(duty_world, term_start=dt.date(2026, 6, 1), term_end=None)
    assert "term_start" in refused.value.fields
    assert CommitteeSeat.objects.count() == 1


def test_another_communitys_staff_can_neither_add_nor_see_nor_end_a_seat(duty_world: World) -> None:
    w = duty_world
    with pytest.raises(ApplicationError) as refused:
        _seat(w, actor=w.users["sibling_staff"])
    assert refused.value.status == 403
    seat = _seat(w)
    assert list(committee_seat_list(user=w.users["sibling_staff"])) == []
    client = w.client("sibling_staff")
    page = client.get(reverse("frontline:committee_list")).content.decode()
    assert w.duty.member.name not in page
    assert client.post(reverse("frontline:committee_end", args=[seat.pk])).status_code == 404
    seat.refresh_from_db()
    assert seat.term_end == dt.date(2027, 12, 31)


def test_the_person_is_found_only_with_the_right_name(duty_world: World) -> None:
    w = duty_world
    member = w.duty.member
    assert committee_person_find(name=member.name, id_number=member.id_number) == member
    with pytest.raises(ApplicationError) as refused:
        committee_person_find(name="别人", id_number=member.id_number)
    assert "id_number" in refused.value.fields


def test_the_pages_list_and_add_a_seat(duty_world: World) -> None:
    w = duty_world
    client = w.client("community_staff")
    form = client.get(reverse("frontline:committee_create"))
    assert form.status_code == 200
    data = {
        "community": w.communities["dongyue"].region.pk,
        "name": w.duty.member.name,
        "id_number": w.duty.member.id_number,
        "from_organization": w.duty.unit.pk,
        "position": "兼职委员",
        "term_start": "2026-01-01",
        "term_end": "2028-12-31",
    }
    bad = client.post(reverse("frontline:committee_create"), {**data, "term_end": "2025-01-01"})
    assert bad.status_code == 400
    assert gettext("The term cannot end before it starts.") in bad.content.decode()
    assert CommitteeSeat.objects.count() == 0

    done = client.post(reverse("frontline:committee_create"), data)

    assert done.status_code == 302
    page = client.get(reverse("frontline:committee_list")).content.decode()
    assert w.duty.member.name in page and w.duty.unit.name in page
    assert w.duty.member.id_number not in page


def test_people_without_frontline_rights_get_403(duty_world: World) -> None:
    assert duty_world.client("resident").get(reverse("frontline:committee_list")).status_code == 403
    assert duty_world.client("compound_secretary").get(reverse("frontline:committee_create")).status_code == 403
