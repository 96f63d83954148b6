"""Scope rules, role by role, on the model layer (the endpoint matrix lives in tests/test_scope_matrix.py)."""

import pytest

from grassroots.accounts.services import role_assign, user_create
from grassroots.core.errors import ApplicationError
from grassroots.organizations.models import Organization
from grassroots.people.models import Person
from grassroots.territory.models import Grid, Region
from tests.conftest import World


def names(qs) -> set[str]:  # type: ignore[no-untyped-def]
    return {o.name for o in qs}


def test_community_staff_sees_only_their_community(world: World) -> None:
    user = world.users["community_staff"]
    assert names(Person.objects.visible_to(user)) == {"东岳张伟", "东岳李娜"}
    assert names(Region.objects.visible_to(user)) == {"东岳社区", "东岳花园", "东岳花园1栋", "东岳花园1栋1单元"}
    assert names(Grid.objects.visible_to(user)) == {"东岳第一网格"}
    assert names(Organization.objects.visible_to(user)) == {"东岳社区党委"}


def test_street_staff_sees_their_street_only(world: World) -> None:
    user = world.users["street_staff"]
    assert {p.name[:2] for p in Person.objects.visible_to(user)} == {"东岳", "北辰"}


def test_grid_worker_sees_their_grid(world: World) -> None:
    user = world.users["grid_worker"]
    assert names(Person.objects.visible_to(user)) == {"东岳张伟", "东岳李娜"}
    assert names(Grid.objects.visible_to(user)) == {"东岳第一网格"}


@pytest.mark.parametrize("persona", ["resident", "unit_admin", "department_staff", "party_member"])
def test_roles_without_people_capability_see_no_persons(world: World, persona: str) -> None:
    assert Person.objects.visible_to(world.users[persona]).count() == 0


def test_district_admin_sees_everything(world: World) -> None:
    assert Person.objects.visible_to(world.users["district_admin"]).count() == Person.objects.count() == 8


def test_anonymous_sees_nothing(world: World) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert Person.objects.visible_to(AnonymousUser()).count() == 0


def test_capability_comes_from_the_role_that_grants_it(world: World) -> None:
    """A party member of 北辰 who is also grid worker in 东岳 sees persons of 东岳 only."""
    user = user_create(actor=None, username="mixed", password="Mixed-Passw0rd!")
    role_assign(actor=None, user=user, role="party_member", region=world.communities["beichen"].region)
    role_assign(actor=None, user=user, role="grid_worker", grid=world.communities["dongyue"].grid)
    assert {p.name[:2] for p in Person.objects.visible_to(user)} == {"东岳"}
    assert {r.name[:2] for r in Region.objects.visible_to(user, "view_territory")} == {"东岳", "北辰"}


def test_role_must_be_anchored_at_its_level(world: World) -> None:
    user = user_create(actor=None, username="x1", password="Xx-Passw0rd!")
    with pytest.raises(ApplicationError) as info:
        role_assign(actor=None, user=user, role="community_staff", region=world.streets["mingshan"])
    assert info.value.code == "role_anchor_level"
    assert not user.role_assignments.exists()


def test_password_complexity_is_enforced(db: None) -> None:
    with pytest.raises(ApplicationError) as info:
        user_create(actor=None, username="weak", password="alllowercaseletters")
    assert info.value.code == "password_invalid"
