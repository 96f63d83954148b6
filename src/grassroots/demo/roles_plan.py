"""Who does what in the demo district: party members (in-service and resident), squad and team members, grid
heads and "1 full-time + 2 part-time" grid workers, community secretaries and workers, building heads and their
deputies, part-time committee members, building party groups and one login per role.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable

from grassroots.demo import names as N
from grassroots.demo.org_plan import Orgs
from grassroots.demo.people_plan import Resident
from grassroots.demo.plan import AS_OF, DemoPlan, LoginRow, MemberRow, OrgRow, PartyRow, RoleRow, SeatRow
from grassroots.demo.territory_plan import Layout

IN_SERVICE_MEMBERS = 5100  # at scale 1 (the source: 5000+ party members reporting to communities)
RESIDENT_MEMBERS = 1900
COMMUNITY_WORKERS = 8  # a community, besides the secretary
COMMITTEE_TERM = (dt.date(2021, 9, 1), dt.date(2026, 8, 31))
BUILDING_HEAD_SHARE = 0.8
PARTY_GROUP_SHARE = 0.25
UNIT_WEIGHTS = {"agency": 1.5, "public_institution": 1.2, "enterprise": 0.8}
DEMO_DEPARTMENT = "玉州区城市管理监督局"  # the department the demo's department staff act for
DEMO_USERNAMES = (
    "district_admin",
    "street_staff",
    "community_dongyue",
    "community_beichen",
    "compound_secretary",
    "grid_worker",
    "department_staff",
    "unit_admin",
    "party_member",
    "resident",
)


class Pool:
    """Persons to draw from without repeating until every one has been drawn once."""

    def __init__(self, items: Iterable[int], rng: random.Random) -> None:
        self.items = list(items)
        rng.shuffle(self.items)
        self.pos = 0

    def take(self, k: int, exclude: set[int] | frozenset[int] = frozenset()) -> list[int]:
        chosen: list[int] = []
        for _ in range(len(self.items)):
            if len(chosen) == k:
                break
            item = self.items[self.pos % len(self.items)]
            self.pos += 1
            if item not in exclude and item not in chosen:
                chosen.append(item)
        return chosen

    def one(self, exclude: set[int] | frozenset[int] = frozenset()) -> int | None:
        got = self.take(1, exclude)
        return got[0] if got else None


def _since(rng: random.Random, earliest: dt.date = dt.date(2016, 1, 1)) -> dt.date:
    return earliest + dt.timedelta(days=rng.randrange((AS_OF - earliest).days))


def _joined(rng: random.Random, birth: dt.date, age: int) -> dt.date:
    join_age = rng.randint(19, max(19, min(40, age - 1)))
    joined = birth + dt.timedelta(days=round(join_age * 365.25) + rng.randrange(180))
    return min(joined, AS_OF)


class RolePlanner:
    def __init__(
        self, plan: DemoPlan, layout: Layout, orgs: Orgs, residents: list[Resident], rng: random.Random
    ) -> None:
        self.plan, self.layout, self.orgs, self.residents, self.rng = plan, layout, orgs, residents, rng
        self.compound_of = [layout.household_compound[p.household] for p in plan.persons]
        self.community_of = [layout.compounds[k].community for k in self.compound_of]
        self.building_of = [layout.household_building[p.household] for p in plan.persons]
        self.members_in: dict[int, list[int]] = {}  # community index → party members living there
        self.members_in_building: dict[str, list[int]] = {}
        self.unit_members: dict[str, list[int]] = {}
        self.party_members: set[int] = set()
        self.in_service: set[int] = set()

    def by_place(self, key: Callable[[int], object], low: int, high: int) -> dict[object, list[int]]:
        groups: dict[object, list[int]] = {}
        for i, r in enumerate(self.residents):
            if low <= r.age <= high:
                groups.setdefault(key(i), []).append(i)
        return groups

    def run(self) -> None:
        rng = self.rng
        self.adults_by_community = {
            c: Pool(p, rng) for c, p in self.by_place(lambda i: self.community_of[i], 22, 70).items()
        }
        self.adults_by_compound = {
            c: Pool(p, rng) for c, p in self.by_place(lambda i: self.compound_of[i], 18, 75).items()
        }
        self.everyone = Pool([i for i, r in enumerate(self.residents) if 22 <= r.age <= 70], rng)
        self._party()
        self._branch_secretaries()
        self._vanguard()
        self._teams()
        self._community_staff()
        self._grids()
        self._buildings()
        self._seats()
        self._logins()

    def adult_of_community(self, c: int, exclude: set[int] | frozenset[int] = frozenset()) -> int:
        pool = self.adults_by_community.get(c)
        found = pool.one(exclude) if pool else None
        if found is None:
            found = self.everyone.one(exclude)
        assert found is not None, "the demo district has no adults"
        return found

    def _party(self) -> None:
        rng, plan = self.rng, self.plan
        scale = plan.scale
        eligible = [i for i, r in enumerate(self.residents) if 23 <= r.age <= 59]
        in_service = sorted(rng.sample(eligible, min(round(IN_SERVICE_MEMBERS * scale), len(eligible) // 2)))
        chosen = set(in_service)
        older = [i for i, r in enumerate(self.residents) if r.age >= 28 and i not in chosen]
        resident = sorted(rng.sample(older, min(round(RESIDENT_MEMBERS * scale), len(older) // 3)))
        units = self.orgs.units
        weights = [UNIT_WEIGHTS[u.kind] for u in units]
        homes = rng.choices(range(len(units)), weights, k=len(in_service))
        rows: list[PartyRow] = []
        for i, u in zip(in_service, homes, strict=True):
            unit = units[u]
            p = plan.persons[i]
            rows.append(
                PartyRow(
                    i, unit.branch_code, "in_service", _joined(rng, p.birth_date, self.residents[i].age), unit.code
                )
            )
            self.unit_members.setdefault(unit.code, []).append(i)
            self.in_service.add(i)
        for i in resident:
            p = plan.persons[i]
            branch = self.orgs.compound_branch[self.layout.compounds[self.compound_of[i]].code]
            rows.append(PartyRow(i, branch, "resident", _joined(rng, p.birth_date, self.residents[i].age), None))
        rows.sort(key=lambda r: r.person)
        plan.party.extend(rows)
        for row in rows:
            self.party_members.add(row.person)
            self.members_in.setdefault(self.community_of[row.person], []).append(row.person)
            self.members_in_building.setdefault(self.building_of[row.person], []).append(row.person)

    def _branch_secretaries(self) -> None:
        """The secretary of each compound branch and unit branch leads it."""
        rng, plan = self.rng, self.plan
        residents_by_compound: dict[int, list[int]] = {}
        for row in plan.party:
            if row.category == "resident":
                residents_by_compound.setdefault(self.compound_of[row.person], []).append(row.person)
        self.compound_secretary: dict[int, int] = {}
        for k, compound in enumerate(self.layout.compounds):
            candidates = residents_by_compound.get(k) or []
            person = candidates[0] if candidates else self.adult_of_community(compound.community)
            self.compound_secretary[k] = person
            plan.memberships.append(MemberRow(self.orgs.compound_branch[compound.code], person, "leader", _since(rng)))
        self.unit_secretary: dict[str, int] = {}
        for unit in self.orgs.units:
            members = self.unit_members.get(unit.code)
            if members:
                self.unit_secretary[unit.code] = members[0]
                plan.memberships.append(MemberRow(unit.branch_code, members[0], "leader", _since(rng)))

    def _vanguard(self) -> None:
        """Every party member joins a squad where they live; the first of a squad leads it."""
        rng, plan = self.rng, self.plan
        for c, community in enumerate(self.layout.communities):
            squads = [s for corps in self.orgs.corps[community.code] for s in self.orgs.squads[corps]]
            members = self.members_in.get(c, [])
            crews: list[list[int]] = [[] for _ in squads]
            for n, person in enumerate(members):
                crews[n % len(squads)].append(person)
            for n, crew in enumerate(crews):
                if not crew:  # fewer party members than squads (small scales): someone leads two
                    crew.append(members[n % len(members)] if members else self.adult_of_community(c))
            for squad, crew in zip(squads, crews, strict=True):
                since = _since(rng, dt.date(2020, 2, 1))
                for n, person in enumerate(crew):
                    plan.memberships.append(MemberRow(squad, person, "leader" if n == 0 else "member", since))
            for corps in self.orgs.corps[community.code]:
                first_squad = self.orgs.squads[corps][0]
                leader = crews[squads.index(first_squad)][0]
                plan.memberships.append(MemberRow(corps, leader, "leader", _since(rng, dt.date(2020, 2, 1))))

    def _teams(self) -> None:
        """Owners' committees, volunteer teams, social organisations and property companies get people."""
        rng, plan, layout = self.rng, self.plan, self.layout
        for k, compound in enumerate(layout.compounds):
            pool = self.adults_by_compound.get(k)
            people = pool.take(5) if pool else []
            for n, person in enumerate(people):
                role = "leader" if n == 0 else "member"
                plan.memberships.append(MemberRow(self.orgs.owners_committee[compound.code], person, role, _since(rng)))
        self.owners_chair = {
            m.organization_code: m.person for m in plan.memberships if m.organization_code.startswith("OC-")
        }
        for c, community in enumerate(layout.communities):
            pool = self.adults_by_community.get(c)
            for n, person in enumerate(pool.take(12) if pool else []):
                role = "leader" if n == 0 else "member"
                plan.memberships.append(MemberRow(self.orgs.volunteer_team[community.code], person, role, _since(rng)))
        codes = {c.code: i for i, c in enumerate(layout.communities)}
        for code, region_code in self.orgs.social:
            pool = self.adults_by_community.get(codes[region_code]) if region_code in codes else self.everyone
            for n, person in enumerate(pool.take(5) if pool else []):
                plan.memberships.append(MemberRow(code, person, "leader" if n == 0 else "member", _since(rng)))
        for code in self.orgs.property_companies:
            manager = self.everyone.one()
            if manager is not None:
                plan.memberships.append(MemberRow(code, manager, "leader", _since(rng)))

    def _community_staff(self) -> None:
        rng, plan = self.rng, self.plan
        self.secretary: dict[int, int] = {}
        self.workers: dict[int, list[int]] = {}
        for c, community in enumerate(self.layout.communities):
            members = [m for m in self.members_in.get(c, []) if 30 <= self.residents[m].age <= 58]
            secretary = members[0] if members else self.adult_of_community(c)
            self.secretary[c] = secretary
            plan.roles.append(RoleRow(secretary, "community_secretary", "full_time", community.code, None, _since(rng)))
            plan.memberships.append(
                MemberRow(self.orgs.community_committee[community.code], secretary, "leader", _since(rng))
            )
            pool = self.adults_by_community.get(c)
            workers = pool.take(COMMUNITY_WORKERS, {secretary}) if pool else []
            self.workers[c] = workers
            for person in workers:
                plan.roles.append(RoleRow(person, "community_worker", "full_time", community.code, None, _since(rng)))

    def _grids(self) -> None:
        """Each grid: a head, one full-time and two part-time grid workers, all living in the community."""
        rng, plan = self.rng, self.plan
        self.full_time: dict[str, int] = {}
        for c, community in enumerate(self.layout.communities):
            staff = {self.secretary[c], *self.workers[c]}
            for grid in community.grid_codes:
                people: list[int] = []
                while len(people) < 4:
                    people.append(self.adult_of_community(c, staff | set(people)))
                head, full, *part = people
                self.full_time[grid] = full
                plan.roles.append(RoleRow(head, "grid_head", "", None, grid, _since(rng)))
                plan.roles.append(RoleRow(full, "grid_worker", "full_time", None, grid, _since(rng)))
                for person in part:
                    plan.roles.append(RoleRow(person, "grid_worker", "part_time", None, grid, _since(rng)))

    def _buildings(self) -> None:
        """Building heads (an owner party member where there is one) with two deputies; some party groups."""
        rng, plan, layout = self.rng, self.plan, self.layout
        adults_in_building: dict[str, list[int]] = {}
        for i, r in enumerate(self.residents):
            if 18 <= r.age <= 75:
                adults_in_building.setdefault(self.building_of[i], []).append(i)
        for k, compound in enumerate(layout.compounds):
            compound_pool = self.adults_by_compound.get(k)
            for b, building in enumerate(compound.building_codes, start=1):
                adults = adults_in_building.get(building, [])
                members = self.members_in_building.get(building, [])
                if len(adults) >= 3 and rng.random() < BUILDING_HEAD_SHARE:
                    head = members[0] if members else adults[0]
                    owner = next(a for a in adults if a != head)
                    taken = {head, owner}
                    agent = compound_pool.one(taken) if compound_pool else None
                    since = _since(rng)
                    plan.roles.append(RoleRow(head, "building_head", "", building, None, since))
                    plan.roles.append(RoleRow(owner, "deputy_building_head_owner", "", building, None, since))
                    if agent is not None:
                        plan.roles.append(RoleRow(agent, "deputy_building_head_property", "", building, None, since))
                if len(members) >= 3 and rng.random() < PARTY_GROUP_SHARE:
                    theme = N.PARTY_GROUP_THEMES[b % len(N.PARTY_GROUP_THEMES)]
                    code = f"PG-{building}"
                    plan.organizations.append(
                        OrgRow(
                            "party_group",
                            f"{compound.name}{b}栋“{theme}”党小组",
                            code,
                            building,
                            self.orgs.compound_branch[compound.code],
                        )
                    )
                    since = _since(rng)
                    for n, person in enumerate(members):
                        plan.memberships.append(MemberRow(code, person, "leader" if n == 0 else "member", since))

    def _seats(self) -> None:
        """Four part-time committee members a community: two unit leaders, a property and an owners' delegate."""
        rng, plan, layout, orgs = self.rng, self.plan, self.layout, self.orgs
        start, end = COMMITTEE_TERM
        unit_pools = {code: Pool(members, rng) for code, members in self.unit_members.items()}
        for c, community in enumerate(layout.communities):
            first_compound = layout.compounds[community.compounds[0]].code
            seats: list[tuple[str, int]] = []
            for unit in rng.sample(orgs.units, 2):
                pool = unit_pools.get(unit.code)
                person = pool.one() if pool else None
                seats.append((unit.code, person if person is not None else self.adult_of_community(c)))
            seats.append((orgs.property_of_compound[first_compound], self.adult_of_community(c)))
            owners = orgs.owners_committee[first_compound]
            seats.append((owners, self.owners_chair.get(owners) or self.adult_of_community(c)))
            for from_code, person in seats:
                plan.seats.append(SeatRow(community.code, person, from_code, "兼职委员", start, end))

    def _logins(self) -> None:
        """One login per role, spread over streets and communities, each linked to a fitting person."""
        layout, plan = self.layout, self.plan
        used: set[int] = set()

        def first_free(*candidates: Iterable[int]) -> int | None:
            for group in candidates:
                for person in group:
                    if person not in used:
                        used.add(person)
                        return person
            return None

        def index_of(name: str) -> int:
            return next(i for i, c in enumerate(layout.communities) if c.name == name)

        dongyue, beichen = index_of("东岳社区"), index_of("北辰社区")
        jiangbin, qingwan = index_of("江滨社区"), index_of(N.MODEL_ETHNIC_COMMUNITY)
        qianlong = layout.compound_by_name("乾隆苑小区")
        biguiyuan = layout.compound_by_name("碧桂园小区")
        qianlong_k = layout.compounds.index(qianlong)
        biguiyuan_k = layout.compounds.index(biguiyuan)
        mingshan = layout.communities[dongyue].street_code
        grid = layout.communities[jiangbin].grid_codes[0]
        first_unit = self.orgs.units[0].code
        department = self.orgs.departments[N.DEPARTMENTS.index(DEMO_DEPARTMENT)]

        def living_in(pred: Callable[[int], bool], party: bool | None = None, in_service: bool = False) -> list[int]:
            return [
                i
                for i, r in enumerate(self.residents)
                if 22 <= r.age <= 65
                and pred(i)
                and (party is None or (i in self.party_members) == party)
                and (not in_service or i in self.in_service)
            ]

        street_people = living_in(lambda i: layout.communities[self.community_of[i]].street_code == mingshan)
        rows = [
            LoginRow("district_admin", "district_admin", layout.district_code, None, first_free(self.everyone.items), True),
            LoginRow("street_staff", "street_staff", mingshan, None, first_free(street_people)),
            LoginRow("community_dongyue", "community_staff", layout.communities[dongyue].code, None,
                     first_free(self.workers[dongyue], [self.secretary[dongyue]])),
            LoginRow("community_beichen", "community_staff", layout.communities[beichen].code, None,
                     first_free(self.workers[beichen], [self.secretary[beichen]])),
            LoginRow("compound_secretary", "compound_secretary", qianlong.code, None,
                     first_free([self.compound_secretary[qianlong_k]])),
            LoginRow("grid_worker", "grid_worker", None, grid, first_free([self.full_time[grid]])),
            LoginRow("department_staff", "department_staff", layout.district_code, None, first_free(self.everyone.items),
                     organization_code=department),
            LoginRow("unit_admin", "unit_admin", layout.district_code, None,
                     first_free([self.unit_secretary[first_unit]] if first_unit in self.unit_secretary else []),
                     organization_code=first_unit),
            # An in-service member living in the community (who reports to it in the demo's frontline data).
            LoginRow("party_member", "party_member", layout.communities[qingwan].code, None,
                     first_free(living_in(lambda i: self.community_of[i] == qingwan, in_service=True),
                                living_in(lambda i: self.community_of[i] == qingwan, party=True))),
            LoginRow("resident", "resident", biguiyuan.code, None,
                     first_free(living_in(lambda i: self.compound_of[i] == biguiyuan_k, party=False))),
        ]  # fmt: skip
        assert tuple(r.username for r in rows) == DEMO_USERNAMES
        plan.logins.extend(rows)
        for row in rows[:2]:
            if row.person is not None:
                place = row.region_code
                plan.roles.append(RoleRow(row.person, "cadre", "full_time", place, None, _since(self.rng)))


def plan_roles(plan: DemoPlan, layout: Layout, orgs: Orgs, residents: list[Resident], rng: random.Random) -> None:
    RolePlanner(plan, layout, orgs, residents, rng).run()
