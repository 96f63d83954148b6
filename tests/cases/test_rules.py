"""Who may view, handle, claim, fulfil and rate a case: role × scope × state; and where routing sends a case."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from grassroots.accounts.enums import Role
from grassroots.accounts.models import User
from grassroots.accounts.services import role_assign, user_create
from grassroots.cases import rules
from grassroots.cases.enums import CaseKind, CaseLevel, CaseStatus, Channel, EventKind
from grassroots.cases.models import Case
from grassroots.cases.routing import route
from grassroots.cases.services import case_claim, case_fulfil, case_rate
from grassroots.catalogue.models import ServiceCategory
from grassroots.core.errors import ApplicationError
from grassroots.notifications.models import Notification
from grassroots.organizations.models import Organization
from grassroots.people.models import Person
from grassroots.territory.models import Region
from tests.cases.factories import make_case
from tests.conftest import PASSWORD, World
from tests.factories import make_person


@dataclass
class Cases:
    open_dy: Case
    pending_dy: Case
    claimed_dy: Case
    fulfilled_dy: Case
    open_bc: Case
    grid_event_dy: Case


@pytest.fixture
def people(cases_world: World) -> dict[str, User]:
    """The world's personas plus a grid worker of 北辰's grid, a party member anchored in 北辰 and a second
    resident of 东岳 who did not ask."""
    w = cases_world
    bc = w.communities["beichen"]
    dy = w.communities["dongyue"]
    extra: list[tuple[str, str, dict[str, Any], Person | None]] = [
        ("other_grid_worker", Role.GRID_WORKER, {"grid": bc.grid}, None),
        (
            "beichen_member",
            Role.PARTY_MEMBER,
            {"region": bc.region},
            make_person(name="北辰党员", household=bc.household),
        ),
        ("other_resident", Role.RESIDENT, {"region": dy.compound}, dy.persons[1]),
    ]
    for username, role, anchor, person in extra:
        user = user_create(actor=None, username=username, password=PASSWORD, person=person)
        role_assign(actor=None, user=user, role=role, **anchor)
        w.users[username] = user
    return w.users


@pytest.fixture
def cases(cases_world: World, people: dict[str, User]) -> Cases:
    w = cases_world
    member = people["party_member"]
    claimed = case_claim(case=make_case(w, accept=True), actor=member)
    fulfilled = case_claim(case=make_case(w, accept=True), actor=member)
    fulfilled = case_fulfil(case=fulfilled, actor=member, note="已完成")
    grid_event = make_case(
        w,
        kind=CaseKind.GRID_EVENT,
        category="safety",
        channel=Channel.GRID_WORKER,
        actor=people["grid_worker"],
        accept=True,
    )
    return Cases(
        open_dy=make_case(w, accept=True),
        pending_dy=make_case(w),
        claimed_dy=claimed,
        fulfilled_dy=fulfilled,
        open_bc=make_case(w, community="beichen", accept=True),
        grid_event_dy=grid_event,
    )


def fresh(user: User) -> User:
    """A new instance, so no anchor cache from an earlier call is reused."""
    return User.objects.get(pk=user.pk)


PERSONAS = [
    "district_admin",
    "street_staff",
    "community_staff",
    "sibling_staff",
    "compound_secretary",
    "grid_worker",
    "other_grid_worker",
    "department_staff",
    "unit_admin",
    "party_member",
    "beichen_member",
    "resident",
    "other_resident",
]

# persona: (view, handle, claim) of the open 东岳 wish; claim of the open 北辰 wish
OPEN_WISH: dict[str, tuple[bool, bool, bool, bool]] = {
    "district_admin": (True, True, True, True),
    "street_staff": (True, True, True, True),  # 名山街道 holds both communities
    "community_staff": (True, True, True, False),
    "sibling_staff": (False, False, False, True),
    "compound_secretary": (True, True, True, False),
    "grid_worker": (True, True, True, False),
    "other_grid_worker": (False, False, False, True),
    "department_staff": (False, False, False, False),
    "unit_admin": (False, False, True, True),  # claims for its unit district-wide, sees only what it claimed
    "party_member": (False, False, True, False),  # anchored in 东岳
    "beichen_member": (False, False, False, True),
    "resident": (True, False, False, False),  # the requester sees their own request
    "other_resident": (False, False, False, False),
}


def test_open_wish_view_handle_claim(cases: Cases, people: dict[str, User]) -> None:
    wrong = []
    for persona in PERSONAS:
        user = fresh(people[persona])
        got = (
            rules.can_view(user, cases.open_dy),
            rules.can_handle(user, cases.open_dy),
            rules.can_claim(user, cases.open_dy),
            rules.can_claim(user, cases.open_bc),
        )
        perms = (user.has_perm("cases.handle_case", cases.open_dy), user.has_perm("cases.claim_case", cases.open_dy))
        if got != OPEN_WISH[persona] or perms != (got[1], got[2]):
            wrong.append((persona, got, perms))
    assert wrong == []


def test_nobody_claims_a_case_that_is_not_open_or_not_claimable(cases: Cases, people: dict[str, User]) -> None:
    assert cases.grid_event_dy.status == CaseStatus.IN_PROGRESS
    not_open = (cases.pending_dy, cases.claimed_dy, cases.fulfilled_dy, cases.grid_event_dy)
    wrong = [
        (persona, case.number)
        for persona in PERSONAS
        for case in not_open
        if rules.can_claim(fresh(people[persona]), case)
    ]
    assert wrong == []


FULFIL = {"district_admin", "street_staff", "community_staff", "compound_secretary", "grid_worker", "party_member"}
RATE = {"district_admin", "street_staff", "community_staff", "compound_secretary", "grid_worker", "resident"}


def test_who_may_fulfil_and_rate(cases: Cases, people: dict[str, User]) -> None:
    wrong = []
    for persona in PERSONAS:
        user = fresh(people[persona])
        got = (
            user.has_perm("cases.fulfil_case", cases.claimed_dy),
            rules.is_claimer(user, cases.claimed_dy),
            user.has_perm("cases.rate_case", cases.fulfilled_dy),
            rules.is_requester(user, cases.fulfilled_dy),
        )
        expected = (persona in FULFIL, persona == "party_member", persona in RATE, persona == "resident")
        if got != expected:
            wrong.append((persona, got, expected))
    assert wrong == []


def test_the_services_enforce_the_rules_and_change_nothing_on_refusal(cases: Cases, people: dict[str, User]) -> None:
    def unchanged(case: Case) -> None:
        before = Case.objects.get(pk=case.pk)
        assert (before.status, before.claimer_user_id, before.rated_at) == (
            case.status,
            case.claimer_user_id,
            case.rated_at,
        )

    for persona in ("beichen_member", "other_resident", "resident", "department_staff"):
        with pytest.raises(ApplicationError) as err:
            case_claim(case=cases.open_dy, actor=fresh(people[persona]))
        assert err.value.code == "not_allowed" and err.value.status == 403
        unchanged(cases.open_dy)
    for persona in ("beichen_member", "unit_admin", "other_grid_worker", "resident"):
        with pytest.raises(ApplicationError) as err:
            case_fulfil(case=cases.claimed_dy, actor=fresh(people[persona]), note="我做了")
        assert err.value.code == "not_allowed"
        unchanged(cases.claimed_dy)
    for persona in ("party_member", "other_resident", "sibling_staff"):
        with pytest.raises(ApplicationError) as err:
            case_rate(case=cases.fulfilled_dy, actor=fresh(people[persona]), stars=5, satisfaction="satisfied")
        assert err.value.code == "not_allowed"
        unchanged(cases.fulfilled_dy)
    assert cases.fulfilled_dy.events.filter(kind=EventKind.RATED).count() == 0


def test_unit_admin_claims_for_its_unit(cases: Cases, people: dict[str, User], cases_world: World) -> None:
    """A unit admin must name the unit; a community's staff record a claim for a unit or volunteer team."""
    with pytest.raises(ApplicationError) as err:
        case_claim(case=cases.open_dy, actor=fresh(people["unit_admin"]))
    assert err.value.code == "claimer_required" and "claimer_org" in err.value.fields
    team = Organization.objects.create(
        kind="volunteer_team",
        name="蒲公英志愿者爱心服务站",
        code="V01",
        region=cases_world.communities["dongyue"].region,
    )
    case = case_claim(case=cases.open_dy, actor=fresh(people["community_staff"]), on_behalf_of=team)
    assert case.claimer_org == team and case.claimer_person is None
    assert case.claimer_user == people["community_staff"]


# Routing


def _org(kind: str, name: str, code: str, region: Region) -> Organization:
    return Organization.objects.create(kind=kind, name=name, code=code, region=region)


def test_routing_by_category_first_handler(cases_world: World) -> None:
    w = cases_world
    dy, bc = w.communities["dongyue"], w.communities["beichen"]
    other_company = _org("property_company", "北辰物业", "P02", bc.region)
    other_company.served_compounds.add(bc.compound)
    company = _org("property_company", "东岳物业", "P01", dy.region)
    company.served_compounds.add(dy.compound)
    _org("branch", "北辰花园党支部", "B02", bc.compound)
    branch = _org("branch", "东岳花园党支部", "B01", dy.compound)

    def routed(code: str, place: Region = dy.entrance) -> tuple[int, Organization | None, object]:
        r = route(place=place, category=ServiceCategory.objects.get(code=code))
        return r.level, r.assignee_org, r.grid

    assert routed("environment") == (CaseLevel.GRID, company, dy.grid)  # property company serving the compound
    assert routed("convenience", dy.building) == (CaseLevel.GRID, company, dy.grid)
    assert routed("civility") == (CaseLevel.GRID, branch, dy.grid)  # the compound's party branch
    assert routed("culture", dy.compound) == (CaseLevel.GRID, branch, dy.grid)
    assert routed("safety") == (CaseLevel.GRID, None, dy.grid)  # the grid worker
    assert routed("elderly") == (CaseLevel.COMMUNITY, None, dy.grid)  # the community's own
    assert routed("environment", bc.entrance) == (CaseLevel.GRID, other_company, bc.grid)


def test_routing_without_a_property_company_or_branch_stays_with_the_grid(cases_world: World) -> None:
    dy = cases_world.communities["dongyue"]
    for code in ("environment", "civility"):
        r = route(place=dy.entrance, category=ServiceCategory.objects.get(code=code))
        assert (r.level, r.assignee_org, r.grid) == (CaseLevel.GRID, None, dy.grid)


def test_a_routed_case_tells_its_first_rung(cases_world: World) -> None:
    w = cases_world
    dy = w.communities["dongyue"]
    company = _org("property_company", "东岳物业", "P01", dy.region)
    company.served_compounds.add(dy.compound)
    case = make_case(w, kind=CaseKind.DIFFICULTY, category="environment")
    assert (case.level, case.assignee_org, case.grid) == (CaseLevel.GRID, company, dy.grid)
    routed_event = case.events.get(kind=EventKind.ROUTED)
    assert routed_event.data == {"level": CaseLevel.GRID, "grid": dy.grid.pk, "org": company.pk}
    assert "东岳物业" in routed_event.note
    told = set(Notification.objects.filter(verb="case_new").values_list("recipient__username", flat=True))
    assert told == {"grid_worker", "compound_secretary"}
    wish = make_case(w)  # elderly: the community's own
    assert wish.level == CaseLevel.COMMUNITY
    told = set(
        Notification.objects.filter(verb="case_new", url__contains=f"/{wish.pk}/").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"community_staff"}
