"""Whistle permissions as a role × scope × state matrix, and the actions a page offers."""

from __future__ import annotations

import pytest

from grassroots.whistle.models import Whistle
from grassroots.whistle.rules import (
    call_actions,
    can_answer,
    can_blow,
    can_close,
    can_rate,
    can_view,
    whistle_actions,
)
from grassroots.whistle.services import call_acknowledge, call_rate, whistle_cancel, whistle_close
from tests.conftest import World
from tests.whistle.conftest import answer, call_of, make_whistle

PERSONAS = (
    "district_admin",
    "street_staff",
    "community_staff",
    "sibling_staff",
    "compound_secretary",
    "grid_worker",
    "department_staff",
    "other_department_staff",
    "unit_admin",
    "party_member",
    "resident",
)


@pytest.mark.parametrize(
    ("place", "allowed"),
    [
        ("dongyue", {"district_admin", "street_staff", "community_staff"}),
        ("beichen", {"district_admin", "street_staff", "sibling_staff"}),
        ("nanguan", {"district_admin"}),
        ("mingshan", {"district_admin", "street_staff"}),
        ("nanjiang", {"district_admin"}),
        ("district", set()),  # the district calls departments in by other means
        ("compound", set()),
    ],
)
def test_can_blow(whistle_world: World, place: str, allowed: set[str]) -> None:
    w = whistle_world
    region = {
        "mingshan": w.streets["mingshan"],
        "nanjiang": w.streets["nanjiang"],
        "district": w.district,
        "compound": w.communities["dongyue"].compound,
    }.get(place) or w.communities[place].region
    assert {p for p in PERSONAS if can_blow(w.users[p], region)} == allowed


def test_view_answer_close_and_rate_matrix(whistle_world: World) -> None:
    w = whistle_world
    whistle = make_whistle(w)
    call = call_of(whistle)
    staff = {"district_admin", "street_staff", "community_staff"}
    assert {p for p in PERSONAS if can_view(w.users[p], whistle)} == staff | {"department_staff"}
    assert {p for p in PERSONAS if can_answer(w.users[p], call)} == {"district_admin", "department_staff"}
    assert {p for p in PERSONAS if can_close(w.users[p], whistle)} == staff
    assert {p for p in PERSONAS if can_rate(w.users[p], call)} == staff
    # never granted without an object, nor to an inactive user
    assert not can_view(w.users["district_admin"], None)
    admin = w.users["district_admin"]
    admin.is_active = False
    assert not can_view(admin, whistle) and not can_answer(admin, call)
    assert w.users["community_staff"].has_perm("whistle.view_whistle", whistle)
    assert not w.users["sibling_staff"].has_perm("whistle.view_whistle", whistle)
    assert not w.users["community_staff"].has_perm("whistle.view_whistle")


def test_a_street_whistle_is_the_streets(whistle_world: World) -> None:
    w = whistle_world
    whistle = make_whistle(w, actor="street_staff", region=w.streets["mingshan"])
    assert {p for p in PERSONAS if can_view(w.users[p], whistle)} == {
        "district_admin",
        "street_staff",
        "department_staff",
    }
    assert {p for p in PERSONAS if can_close(w.users[p], whistle)} == {"district_admin", "street_staff"}


def _fresh(whistle: Whistle) -> Whistle:
    return Whistle.objects.get(pk=whistle.pk)


def test_actions_follow_the_state(whistle_world: World) -> None:
    w = whistle_world
    staff, dept, other = w.users["community_staff"], w.users["department_staff"], w.users["other_department_staff"]
    whistle = make_whistle(w, departments=("department", "other_department"))
    mine = call_of(whistle)

    assert whistle_actions(staff, whistle) == {"cancel"}
    assert whistle_actions(dept, whistle) == {"acknowledge", "report"}
    assert call_actions(dept, call_of(whistle, "other_department")) == set()
    assert whistle_actions(w.users["sibling_staff"], whistle) == set()
    assert whistle_actions(w.users["district_admin"], whistle) == {"cancel", "acknowledge", "report"}

    call_acknowledge(call=mine, actor=dept)
    assert call_actions(dept, call_of(whistle)) == {"report"}
    answer(w, call_of(whistle), feedback=False)
    assert call_actions(dept, call_of(whistle)) == {"feedback"}
    answer(w, call_of(whistle, "other_department"))
    assert call_actions(other, call_of(whistle, "other_department")) == set()
    assert call_actions(staff, call_of(whistle, "other_department")) == {"rate"}
    assert whistle_actions(staff, _fresh(whistle)) == {"cancel", "rate"}

    call_rate(call=call_of(whistle, "other_department"), actor=staff, rating="satisfied")
    from grassroots.whistle.services import call_feedback

    call_feedback(call=call_of(whistle), actor=dept, note="好了")
    assert whistle_actions(staff, _fresh(whistle)) == {"cancel", "close", "rate"}
    whistle_close(whistle=whistle, actor=staff, note="已解决")
    assert whistle_actions(staff, _fresh(whistle)) == {"rate"}  # rating may come after closing
    assert whistle_actions(dept, _fresh(whistle)) == set()


def test_a_cancelled_whistle_offers_nothing(whistle_world: World) -> None:
    w = whistle_world
    whistle = make_whistle(w, departments=("department", "other_department"))
    answer(w, call_of(whistle, "other_department"))
    whistle_cancel(whistle=whistle, actor=w.users["community_staff"], reason="误报")
    for persona in PERSONAS:
        assert whistle_actions(w.users[persona], _fresh(whistle)) == set()
