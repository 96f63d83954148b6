"""Shared personas on a small hierarchy.

玉州区 → 名山街道 (东岳社区, 北辰社区) and 南江街道 (江滨社区, 南观社区); each community has a compound, a
building, an entrance, a household, a grid and two residents. Everything in 北辰社区 carries "北辰" in its name,
so a test can assert that a 东岳社区 user never sees that word.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

from grassroots.accounts.enums import Role
from grassroots.accounts.models import User
from grassroots.accounts.services import role_assign, user_create
from grassroots.organizations.models import Organization
from grassroots.people.models import Person
from grassroots.territory.models import Grid, Household, Region
from grassroots.territory.services import grid_create, household_create, region_create
from tests.factories import make_person

PASSWORD = "Test-Passw0rd!"
SIBLING_MARK = "北辰"


@dataclass
class Community:
    region: Region
    compound: Region
    building: Region
    entrance: Region
    household: Household
    grid: Grid
    persons: list[Person]
    organization: Organization


@dataclass
class World:
    district: Region
    streets: dict[str, Region]
    communities: dict[str, Community]
    users: dict[str, User] = field(default_factory=dict)

    def client(self, persona: str) -> Client:
        client = Client()
        client.force_login(self.users[persona])
        return client


def _community(street: Region, name: str, code: str) -> Community:
    c = region_create(actor=None, kind="community", name=name, code=code, parent=street)
    prefix = name.removesuffix("社区")
    compound = region_create(actor=None, kind="compound", name=f"{prefix}花园", code=f"{code}01", parent=c)
    building = region_create(actor=None, kind="building", name=f"{prefix}花园1栋", code=f"{code}0101", parent=compound)
    entrance = region_create(
        actor=None, kind="entrance", name=f"{prefix}花园1栋1单元", code=f"{code}010101", parent=building
    )
    grid = grid_create(actor=None, community=c, code=f"G{code}", name=f"{prefix}第一网格", areas=[compound])
    household = household_create(actor=None, entrance=entrance, number="101", grid=grid)
    persons = [
        make_person(name=f"{prefix}张伟", household=household),
        make_person(name=f"{prefix}李娜", household=household, male=False),
    ]
    org = Organization.objects.create(kind="community_committee", name=f"{prefix}社区党委", code=f"O{code}", region=c)
    return Community(c, compound, building, entrance, household, grid, persons, org)


@pytest.fixture
def world(db: Any) -> World:
    district = region_create(actor=None, kind="district", name="玉州区", code="450902")
    s1 = region_create(actor=None, kind="street", name="名山街道", code="45090201", parent=district)
    s2 = region_create(actor=None, kind="street", name="南江街道", code="45090202", parent=district)
    communities = {
        "dongyue": _community(s1, "东岳社区", "4509020101"),
        "beichen": _community(s1, "北辰社区", "4509020102"),
        "jiangbin": _community(s2, "江滨社区", "4509020201"),
        "nanguan": _community(s2, "南观社区", "4509020202"),
    }
    w = World(district=district, streets={"mingshan": s1, "nanjiang": s2}, communities=communities)
    dy = communities["dongyue"]
    personas: list[tuple[str, str, dict[str, Any]]] = [
        ("district_admin", Role.DISTRICT_ADMIN, {"region": district}),
        ("street_staff", Role.STREET_STAFF, {"region": s1}),
        ("community_staff", Role.COMMUNITY_STAFF, {"region": dy.region}),
        ("sibling_staff", Role.COMMUNITY_STAFF, {"region": communities["beichen"].region}),
        ("compound_secretary", Role.COMPOUND_SECRETARY, {"region": dy.compound}),
        ("grid_worker", Role.GRID_WORKER, {"grid": dy.grid}),
        ("department_staff", Role.DEPARTMENT_STAFF, {"region": district}),
        ("unit_admin", Role.UNIT_ADMIN, {"region": district}),
        ("party_member", Role.PARTY_MEMBER, {"region": dy.region}),
        ("resident", Role.RESIDENT, {"region": dy.compound}),
    ]
    for username, role, anchor in personas:
        user = user_create(actor=None, username=username, password=PASSWORD)
        role_assign(actor=None, user=user, role=role, **anchor)
        w.users[username] = user
    return w


@pytest.fixture(autouse=True)
def _fail_on_error_logs(caplog: pytest.LogCaptureFixture) -> Any:
    """A test that logged an ERROR fails, even if its assertions passed."""
    yield
    errors = [r for r in caplog.get_records("call") if r.levelno >= logging.ERROR and r.name != "django.request"]
    assert not errors, [r.getMessage() for r in errors]
