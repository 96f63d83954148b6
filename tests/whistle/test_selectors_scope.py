"""Who sees which whistles: region scope for staff, the called department for department staff, nothing for
anyone else; a sibling community (北辰) never sees a 东岳 whistle in a list, a detail or a scorecard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.whistle.enums import CallStatus, WhistleStatus
from grassroots.whistle.models import Whistle
from grassroots.whistle.selectors import (
    call_list_for_department,
    department_scorecards,
    timeline,
    whistle_get,
    whistle_list,
)
from grassroots.whistle.services import whistle_cancel
from tests.conftest import SIBLING_MARK, World
from tests.whistle.conftest import answer, call_of, make_whistle


@pytest.fixture
def three(whistle_world: World) -> dict[str, Whistle]:
    """东岳 calls 区城市管理局; 北辰 calls 区住房和城乡建设局; 南观 (another street) calls both."""
    w = whistle_world
    return {
        "dongyue": make_whistle(w, title="东岳污水外溢"),
        "beichen": make_whistle(
            w,
            actor="sibling_staff",
            region="beichen",
            title="北辰路灯不亮",
            description="北辰花园路灯不亮，需要住建部门到场。",
            departments=("other_department",),
        ),
        "nanguan": make_whistle(
            w,
            actor="district_admin",
            region="nanguan",
            title="南观占道",
            departments=("department", "other_department"),
        ),
    }


@pytest.mark.parametrize(
    ("persona", "seen"),
    [
        ("district_admin", {"dongyue", "beichen", "nanguan"}),
        ("street_staff", {"dongyue", "beichen"}),
        ("community_staff", {"dongyue"}),
        ("sibling_staff", {"beichen"}),
        ("department_staff", {"dongyue", "nanguan"}),
        ("other_department_staff", {"beichen", "nanguan"}),
        ("compound_secretary", set()),
        ("grid_worker", set()),
        ("unit_admin", set()),
        ("party_member", set()),
        ("resident", set()),
    ],
)
def test_list_and_detail_follow_scope(
    whistle_world: World, three: dict[str, Whistle], persona: str, seen: set[str]
) -> None:
    user = whistle_world.users[persona]
    listed = list(whistle_list(user=user))
    assert {k for k, v in three.items() if v in listed} == seen
    assert len(listed) == len(seen)  # no duplicates from the department join
    for key, whistle in three.items():
        if key in seen:
            assert whistle_get(user=user, pk=whistle.pk) == whistle
        else:
            with pytest.raises(Whistle.DoesNotExist):
                whistle_get(user=user, pk=whistle.pk)


def test_sibling_staff_never_sees_a_dongyue_whistle(whistle_world: World, three: dict[str, Whistle]) -> None:
    sibling = whistle_world.users["sibling_staff"]
    assert all(SIBLING_MARK in w.title for w in whistle_list(user=sibling))
    assert not whistle_list(user=sibling, q="东岳").exists()
    with pytest.raises(Whistle.DoesNotExist):
        whistle_get(user=sibling, pk=three["dongyue"].pk)
    month = timezone.localdate().replace(day=1)
    rows = department_scorecards(user=sibling, month=month)
    assert [(r.department_name, r.received) for r in rows] == [("区住房和城乡建设局", 1)]
    assert not any(r.department_name == "区城市管理局" for r in rows)


def test_an_inactive_user_sees_nothing(whistle_world: World, three: dict[str, Whistle]) -> None:
    for persona in ("district_admin", "department_staff"):
        user = User.objects.get(pk=whistle_world.users[persona].pk)
        user.is_active = False
        assert not whistle_list(user=user).exists()
        assert not call_list_for_department(user=user).exists()


def test_filters(whistle_world: World, three: dict[str, Whistle]) -> None:
    w = whistle_world
    admin = w.users["district_admin"]
    assert {x.pk for x in whistle_list(user=admin, department_id=w.duty.other_department.pk)} == {
        three["beichen"].pk,
        three["nanguan"].pk,
    }
    assert [x.pk for x in whistle_list(user=admin, q="占道")] == [three["nanguan"].pk]
    assert [x.pk for x in whistle_list(user=admin, q=three["dongyue"].number)] == [three["dongyue"].pk]
    whistle_cancel(whistle=three["beichen"], actor=admin, reason="误报")
    assert {x.pk for x in whistle_list(user=admin, status=WhistleStatus.OPEN)} == {
        three["dongyue"].pk,
        three["nanguan"].pk,
    }
    assert [x.pk for x in whistle_list(user=admin, status=WhistleStatus.CANCELLED)] == [three["beichen"].pk]


def test_overdue_filter(whistle_world: World, three: dict[str, Whistle]) -> None:
    w = whistle_world
    admin = w.users["district_admin"]
    later = timezone.now() + dt.timedelta(hours=25)  # past the 24 h report deadline, before the 72 h handling one
    assert not whistle_list(user=admin, overdue=True, now=timezone.now()).exists()
    answer(w, call_of(three["dongyue"]), feedback=False)
    assert {x.pk for x in whistle_list(user=admin, overdue=True, now=later)} == {
        three["beichen"].pk,
        three["nanguan"].pk,
    }
    assert [x.pk for x in whistle_list(user=admin, overdue=False, now=later)] == [three["dongyue"].pk]
    # on site but not fed back by the handling deadline: late too
    much_later = timezone.now() + dt.timedelta(hours=73)
    assert three["dongyue"].pk in {x.pk for x in whistle_list(user=admin, overdue=True, now=much_later)}


def test_a_departments_inbox(whistle_world: World, three: dict[str, Whistle]) -> None:
    w = whistle_world
    mine = list(call_list_for_department(user=w.users["department_staff"]))
    assert [(c.whistle_id, c.department_id) for c in mine] == [
        (three["nanguan"].pk, w.duty.department.pk),
        (three["dongyue"].pk, w.duty.department.pk),
    ]
    theirs = call_list_for_department(user=w.users["other_department_staff"])
    assert {c.whistle_id for c in theirs} == {three["beichen"].pk, three["nanguan"].pk}
    answer(w, call_of(three["dongyue"]), feedback=False)
    reported = call_list_for_department(user=w.users["department_staff"], status=CallStatus.REPORTED)
    assert [c.whistle_id for c in reported] == [three["dongyue"].pk]
    for persona in ("community_staff", "district_admin", "sibling_staff", "unit_admin"):
        assert not call_list_for_department(user=w.users[persona]).exists()


def test_timeline(whistle_world: World, three: dict[str, Whistle]) -> None:
    w = whistle_world
    answer(w, call_of(three["dongyue"]))
    whistle = whistle_get(user=w.users["department_staff"], pk=three["dongyue"].pk)
    events = list(timeline(whistle=whistle))
    assert [e.kind for e in events] == ["blown", "reported", "fed_back"]
    assert events[1].call is not None and events[1].call.department.name == "区城市管理局"


def test_the_admin_is_read_only_and_scoped(whistle_world: World, three: dict[str, Whistle]) -> None:
    from django.test import Client
    from django.urls import reverse

    user = whistle_world.users["community_staff"]
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(user)
    for model in ("whistle", "whistlecall"):
        listing = client.get(reverse(f"admin:whistle_{model}_changelist"))
        assert listing.status_code == 200
        body = listing.content.decode()
        assert three["dongyue"].number in body and SIBLING_MARK not in body
    mine = client.get(reverse("admin:whistle_whistle_change", args=[three["dongyue"].pk]))
    assert mine.status_code == 200 and b'name="_save"' not in mine.content
    other = client.get(reverse("admin:whistle_whistle_change", args=[three["beichen"].pk]))
    assert other.status_code in (302, 404) and SIBLING_MARK.encode() not in other.content
    assert client.get(reverse("admin:whistle_whistle_add")).status_code == 403
    # department staff have no view_whistles capability: the admin shows them nothing
    dept = whistle_world.users["department_staff"]
    dept.is_staff = True
    dept.save(update_fields=["is_staff"])
    client.force_login(dept)
    assert client.get(reverse("admin:whistle_whistle_changelist")).status_code == 403
