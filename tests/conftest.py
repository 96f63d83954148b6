"""Shared personas on a small hierarchy.

玉州区 → 名山街道 (东岳社区, 北辰社区) and 南江街道 (江滨社区, 南观社区); each community has a compound, a
building, an entrance, a household, a grid and two residents. Everything in 北辰社区 carries "北辰" in its name,
so a test can assert that a 东岳社区 user never sees that word.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
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
    duty: Any = None  # a ``Duty`` once the ``duty_world`` fixture ran

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


@pytest.fixture
def midday() -> Iterator[None]:
    """Run the test from noon of today, Beijing time (the clock keeps ticking).

    Tests that do a day's work in a few hours ("claimed now, fulfilled an hour later, rated two hours later") and
    then count "today" would spill over midnight when the suite runs late in the evening.
    """
    import datetime as dt

    import time_machine
    from django.utils import timezone

    noon = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(12)))
    with time_machine.travel(noon, tick=True):
        yield


@pytest.fixture
def catalogue(db: Any) -> int:
    """The default service catalogue (10 categories, 52 items): the service posts members take."""
    from grassroots.catalogue.services import catalogue_install_defaults

    return catalogue_install_defaults()


@dataclass
class Duty:
    """Organisations and people the whistle and frontline tests share (see ``duty_world``)."""

    department: Organization  # 区城市管理局: ``department_staff`` acts for it
    other_department: Organization  # 区住房和城乡建设局: ``other_department_staff`` acts for it
    unit: Organization  # 区税务局 (an agency): ``unit_admin`` acts for it
    unit_branch: Organization
    other_unit: Organization  # 北辰机械厂 (an enterprise), nobody's
    member: Person  # in-service member of ``unit``, living in 东岳社区, the ``party_member`` login
    colleagues: list[Person]  # two more members of ``unit`` living in 东岳社区, not reported
    squad: Organization  # a vanguard squad of 东岳社区 with ``member`` as leader


@pytest.fixture
def duty_world(world: World, catalogue: int) -> World:
    """The shared world plus departments, units, in-service party members and a vanguard squad.

    ``department_staff`` acts for 区城市管理局 and ``unit_admin`` for 区税务局 (``RoleAssignment.organization``);
    ``other_department_staff`` is a second department's staff member. The ``party_member`` login is linked to an
    in-service member of 区税务局 who lives in 东岳社区. ``world.duty`` holds the objects.
    """
    import datetime as dt

    from grassroots.accounts.models import RoleAssignment
    from grassroots.organizations.models import OrganizationMembership
    from grassroots.people.models import PartyMembership

    d = world.district
    dy = world.communities["dongyue"]
    bc = world.communities["beichen"]
    department = Organization.objects.create(kind="department", name="区城市管理局", code="D-CG", region=d)
    other_department = Organization.objects.create(kind="department", name="区住房和城乡建设局", code="D-ZJ", region=d)
    unit = Organization.objects.create(kind="agency", name="区税务局", code="U-SW", region=d)
    branch = Organization.objects.create(kind="branch", name="区税务局党支部", code="U-SW-B", region=d, parent=unit)
    other_unit = Organization.objects.create(kind="enterprise", name="北辰机械厂", code="U-BC", region=bc.region)
    RoleAssignment.objects.filter(user=world.users["department_staff"]).update(organization=department)
    RoleAssignment.objects.filter(user=world.users["unit_admin"]).update(organization=unit)
    other = user_create(actor=None, username="other_department_staff", password=PASSWORD)
    role_assign(actor=None, user=other, role=Role.DEPARTMENT_STAFF, region=d, organization=other_department)
    world.users["other_department_staff"] = other
    for persona in ("department_staff", "unit_admin"):
        world.users[persona].refresh_scope()

    def in_service(name: str) -> Person:
        p = make_person(name=name, household=dy.household)
        PartyMembership.objects.create(
            person=p, organization=branch, joined_on=dt.date(2005, 7, 1), category="in_service", home_unit=unit
        )
        return p

    member = in_service("东岳党员王强")
    user = world.users["party_member"]
    user.person = member
    user.save()
    colleagues = [in_service("东岳党员赵敏"), in_service("东岳党员孙磊")]
    corps = Organization.objects.create(kind="vanguard_corps", name="东岳党员先锋总队", code="V-DY", region=dy.region)
    squad = Organization.objects.create(
        kind="vanguard_squad", name="东岳党员先锋一分队", code="V-DY-1", region=dy.region, parent=corps
    )
    OrganizationMembership.objects.create(organization=squad, person=member, role="leader")
    for p in colleagues:
        OrganizationMembership.objects.create(organization=squad, person=p, role="member")
    world.duty = Duty(department, other_department, unit, branch, other_unit, member, colleagues, squad)
    return world


@pytest.fixture(autouse=True)
def _fail_on_error_logs(caplog: pytest.LogCaptureFixture) -> Any:
    """A test that logged an ERROR fails, even if its assertions passed."""
    yield
    errors = [r for r in caplog.get_records("call") if r.levelno >= logging.ERROR and r.name != "django.request"]
    assert not errors, [r.getMessage() for r in errors]


_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def _metrics_on(tables: set[str]) -> list[str] | None:
    """The figures whose rows live in (or are followed through) the tables written; None: all of them."""
    from django.apps import apps

    from grassroots.cockpit.registry import all_metrics

    if "cockpit_rollup" in tables:
        return None
    keys = []
    for metric in all_metrics():
        if metric.rule == "rate":
            continue
        models = [metric.model, *(label for label, _lookup in metric.watch)]
        if any(apps.get_model(label)._meta.db_table in tables for label in models):
            keys.append(metric.key)
    return keys


@pytest.fixture(autouse=True)
def _rollups_agree(request: pytest.FixtureRequest) -> Any:
    """After every test that wrote to the database, the cockpit's roll-ups equal a recomputation from the records
    of the figures it touched: a write that slipped past them (an ``update()`` with no ``tracking``) fails the test
    that made it. Every SQL write of the test's own connection is seen, the services' and any bypass alike; tests
    with other threads or processes (live servers, races) check every figure."""
    uses_db = "_django_db_helper" in request.fixturenames or request.node.get_closest_marker("django_db")
    if not uses_db or request.node.get_closest_marker("rollups_unchecked"):
        yield
        return
    request.getfixturevalue("_django_db_helper")  # tear down before the database does
    from django.db import connection

    from grassroots.cockpit.rollups.rebuild import verify

    written: set[str] = set()

    def spy(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        found = _WRITE.match(sql)
        if found:
            written.add(found.group(1).lower())
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        yield
    threaded = {"transactional_db", "live_server"} & set(request.fixturenames)
    keys = None if threaded else _metrics_on(written)
    if keys == []:
        return
    differences = verify(keys)
    assert not differences, [str(d) for d in differences[:5]]
