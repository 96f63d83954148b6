"""Fixtures for the case tests: the default catalogue, and persona users linked to persons."""

from __future__ import annotations

import pytest

from tests.conftest import World
from tests.factories import make_person


@pytest.fixture
def cases_world(world: World, catalogue: int) -> World:
    """The shared world with the default catalogue; the resident and the party member are linked to persons
    living in 东岳社区."""
    dy = world.communities["dongyue"]
    resident = world.users["resident"]
    resident.person = dy.persons[0]
    resident.save()
    member = world.users["party_member"]
    member.person = make_person(name="东岳党员王强", household=dy.household)
    member.save()
    return world
