"""Build the demo district: plan it (pure, deterministic), then write the plan through the services.

Regions go through ``region_tree_load``, persons through ``persons_bulk_create`` (validation, encryption, lookup
hashes, pinyin and scope columns in one path), logins through ``user_create`` and ``role_assign``. The other rows
are bulk-inserted with their scope columns copied from their region, exactly as their ``save`` would. Everything
happens in one transaction, so a failure leaves nothing behind.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, Model, Sum
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.accounts.services import role_assign, user_create
from grassroots.cases.models import Case, CaseClaim, CaseEvent
from grassroots.cases.services import open311_client_create
from grassroots.catalogue.models import RedRopeStation, ServiceBrand, ServiceItem
from grassroots.cockpit.rollups.engine import suspended as rollups_suspended
from grassroots.cockpit.rollups.rebuild import rebuild as rollups_rebuild
from grassroots.core.audit import audit_record
from grassroots.core.models import AuditAction
from grassroots.core.personal_data import lookup_hash
from grassroots.demo.campaign_plan import plan_campaigns
from grassroots.demo.cases_build import write_needs
from grassroots.demo.cases_plan import plan_cases
from grassroots.demo.catalogue_plan import plan_catalogue
from grassroots.demo.frontline_build import Where, frontline_counts, write_frontline
from grassroots.demo.frontline_plan import plan_frontline
from grassroots.demo.org_plan import plan_organizations
from grassroots.demo.people_plan import NamePools, plan_persons
from grassroots.demo.plan import DemoPlan
from grassroots.demo.roles_plan import DEMO_USERNAMES, plan_roles
from grassroots.demo.territory_plan import plan_territory
from grassroots.demo.whistle_build import write_whistles
from grassroots.demo.whistle_plan import plan_whistles
from grassroots.frontline.services.points import points_recompute
from grassroots.organizations.models import CommitteeSeat, Organization, OrganizationMembership
from grassroots.people.data.ethnicities import ETHNICITIES
from grassroots.people.models import Ethnicity, PartyMembership, Person, PersonRole
from grassroots.people.services import PersonData, persons_bulk_create
from grassroots.territory.models import Grid, Household, Region
from grassroots.territory.services import RegionNode, grid_validate_boundary, region_tree_load

PERSONS_AT_SCALE_1 = 50_000
MIN_PERSONS = 400  # below this the seed's places (80 compounds, 259 grids) would stand empty
DEMO_PASSWORD = "Demo-Only-2026!"  # printed on start: the demo holds no real data
BATCH = 2000

Progress = Callable[[str], None]


@dataclass
class DemoResult:
    seed: int
    scale: float
    fingerprint: str
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


def plan_demo(*, seed: int = 2022, scale: float = 1.0) -> DemoPlan:
    """The whole demo district as rows, without touching the database. Same arguments, same plan."""
    if not scale > 0:
        raise ValueError("scale must be positive")
    plan = DemoPlan(seed=seed, scale=scale)
    persons = max(MIN_PERSONS, round(PERSONS_AT_SCALE_1 * scale))
    layout = plan_territory(plan, persons=persons, rng=random.Random(f"{seed}:territory"))
    residents = plan_persons(plan, layout, rng=random.Random(f"{seed}:people"), pools=NamePools.from_faker(seed))
    orgs = plan_organizations(plan, layout, rng=random.Random(f"{seed}:organizations"), seed=seed)
    plan_roles(plan, layout, orgs, residents, random.Random(f"{seed}:roles"))
    stations = plan_catalogue(plan, layout, orgs, random.Random(f"{seed}:catalogue"))
    plan_cases(plan, layout, orgs, stations, random.Random(f"{seed}:cases"))
    plan_frontline(plan, layout, orgs, random.Random(f"{seed}:frontline"))
    plan_campaigns(plan, layout, random.Random(f"{seed}:campaigns"))
    plan_whistles(plan, layout, orgs, random.Random(f"{seed}:whistles"))
    return plan


def district_exists() -> bool:
    return Region.objects.filter(kind="district").exists()


def demo_build(
    *, seed: int = 2022, scale: float = 1.0, rebuild: bool = False, progress: Progress | None = None
) -> DemoResult:
    """Plan and write the demo district in one transaction (after wiping the database when ``rebuild``)."""
    say = progress or (lambda _message: None)
    started = time.perf_counter()
    timings: dict[str, float] = {}
    mark = started

    def lap(name: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        timings[name] = round(now - mark, 3)
        say(f"{name}: {now - mark:.1f} s")
        mark = now

    plan = plan_demo(seed=seed, scale=scale)
    lap("plan")
    with transaction.atomic():
        if rebuild:
            # Settle deferred constraint checks first: PostgreSQL refuses to TRUNCATE tables with pending ones.
            connection.check_constraints()
            call_command("flush", interactive=False, verbosity=0)
            lap("wipe")
        _ensure_ethnicities()
        with rollups_suspended():  # bulk writes: the figures are computed once, at the end
            write_plan(plan, lap=lap)
        rollups_rebuild()
        lap("roll-ups")
    result = DemoResult(seed, scale, plan.fingerprint(), round(time.perf_counter() - started, 3), timings)
    result.counts = demo_counts()
    return result


def _ensure_ethnicities() -> None:
    """The data migration's rows: gone after a flush, so put them back."""
    if not Ethnicity.objects.exists():
        Ethnicity.objects.bulk_create([Ethnicity(code=code, name=name) for code, name in ETHNICITIES])


def _read_back(objs: list[Any], model: type[Model], key: Callable[[Any], Any], fields: tuple[str, ...]) -> None:
    """Backends that cannot return ids from a bulk insert: read them back by a natural key."""
    if objs and objs[0].pk is None:
        found = {tuple(row[:-1]): row[-1] for row in model._default_manager.values_list(*fields, "pk")}
        for obj in objs:
            obj.pk = found[key(obj)]


def write_plan(plan: DemoPlan, *, lap: Callable[[str], None]) -> None:
    regions = region_tree_load(actor=None, nodes=[RegionNode(*row) for row in plan.regions])
    region = {r.code: r for r in regions}
    lap("regions")

    grids: list[Grid] = []
    for row in plan.grids:
        west, south, east, north = row.bbox
        boundary = {
            "type": "Polygon",
            "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]],
        }
        grid_validate_boundary(boundary)
        community = region[row.community_code]
        grids.append(
            Grid(
                community=community,
                district_id=community.district_id,
                street_id=community.street_id,
                code=row.code,
                name=row.name,
                boundary=boundary,
            )
        )
    Grid.objects.bulk_create(grids, batch_size=BATCH)
    _read_back(grids, Grid, lambda g: (g.code,), ("code",))
    grid = {g.code: g for g in grids}
    Area = Grid.areas.through
    Area.objects.bulk_create(
        [Area(grid_id=grid[g.code].pk, region_id=region[code].pk) for g in plan.grids for code in g.area_codes],
        batch_size=BATCH,
    )
    households: list[Household] = []
    for hrow in plan.households:
        entrance = region[hrow.entrance_code]
        household = Household(entrance=entrance, number=hrow.number, grid=grid[hrow.grid_code])
        household.copy_scope_from(entrance)
        households.append(household)
    Household.objects.bulk_create(households, batch_size=BATCH)
    _read_back(households, Household, lambda h: (h.entrance_id, h.number), ("entrance_id", "number"))
    lap("grids and households")

    ethnicity = {e.code: e for e in Ethnicity.objects.all()}

    def person_rows() -> Iterator[PersonData]:
        for p in plan.persons:
            yield PersonData(
                name=p.name,
                gender=p.gender,
                ethnicity=ethnicity[p.ethnicity_code],
                birth_date=p.birth_date,
                id_number=p.id_number,
                mobile=p.mobile,
                address=p.address,
                household=households[p.household],
            )

    persons_bulk_create(actor=None, rows=person_rows(), batch_size=BATCH)
    by_hash = dict(Person.objects.values_list("id_number_hash", "pk"))
    person = [by_hash[lookup_hash(p.id_number)] for p in plan.persons]
    lap("persons")

    org: dict[str, Organization] = {}
    pending = list(plan.organizations)
    while pending:  # parents before children
        ready = [o for o in pending if o.parent_code is None or o.parent_code in org]
        layer: list[Organization] = []
        for orow in ready:
            place = region[orow.region_code]
            o = Organization(
                kind=orow.kind,
                name=orow.name,
                code=orow.code,
                credit_code=orow.credit_code,
                parent=org[orow.parent_code] if orow.parent_code else None,
                region=place,
                grid=grid[orow.grid_code] if orow.grid_code else None,
                formation=orow.formation,
            )
            o.copy_scope_from(place)
            layer.append(o)
        Organization.objects.bulk_create(layer, batch_size=BATCH)
        _read_back(layer, Organization, lambda o: (o.code,), ("code",))
        org.update((o.code, o) for o in layer)
        done = {o.code for o in ready}
        pending = [o for o in pending if o.code not in done]
    Served = Organization.served_compounds.through
    Served.objects.bulk_create(
        [
            Served(organization_id=org[orow.code].pk, region_id=region[code].pk)
            for orow in plan.organizations
            for code in orow.served_compounds
        ],
        batch_size=BATCH,
    )
    lap("organisations")

    PartyMembership.objects.bulk_create(
        [
            PartyMembership(
                person_id=person[row.person],
                organization=org[row.organization_code],
                joined_on=row.joined_on,
                category=row.category,
                home_unit=org[row.home_unit_code] if row.home_unit_code else None,
            )
            for row in plan.party
        ],
        batch_size=BATCH,
    )
    OrganizationMembership.objects.bulk_create(
        [
            OrganizationMembership(
                organization=org[row.organization_code], person_id=person[row.person], role=row.role, since=row.since
            )
            for row in plan.memberships
        ],
        batch_size=BATCH,
    )
    roles: list[PersonRole] = []
    for rrow in plan.roles:
        g = grid[rrow.grid_code] if rrow.grid_code else None
        r = region[rrow.region_code] if rrow.region_code else None
        role = PersonRole(
            person_id=person[rrow.person],
            kind=rrow.kind,
            employment=rrow.employment,
            region=r,
            grid=g,
            since=rrow.since,
        )
        role.copy_scope_from(r if r is not None else g.community if g is not None else None)
        roles.append(role)
    PersonRole.objects.bulk_create(roles, batch_size=BATCH)
    seats: list[CommitteeSeat] = []
    for srow in plan.seats:
        community = region[srow.community_code]
        seat = CommitteeSeat(
            community_region=community,
            person_id=person[srow.person],
            from_organization=org[srow.from_organization_code],
            position=srow.position,
            term_start=srow.term_start,
            term_end=srow.term_end,
        )
        seat.copy_scope_from(community)
        seats.append(seat)
    CommitteeSeat.objects.bulk_create(seats, batch_size=BATCH)
    lap("memberships and roles")

    linked = Person.objects.in_bulk([person[row.person] for row in plan.logins if row.person is not None])
    users: dict[str, User] = {}
    for lrow in plan.logins:
        user = users[lrow.username] = user_create(
            actor=None,
            username=lrow.username,
            password=DEMO_PASSWORD,
            person=linked[person[lrow.person]] if lrow.person is not None else None,
            check_password=True,
            is_superuser=lrow.superuser,
        )
        role_assign(
            actor=None,
            user=user,
            role=lrow.role,
            region=region[lrow.region_code] if lrow.region_code else None,
            grid=grid[lrow.grid_code] if lrow.grid_code else None,
            organization=org[lrow.organization_code] if lrow.organization_code else None,
        )
    audit_record(
        actor=None,
        action=AuditAction.IMPORT,
        detail=f"demo district: seed {plan.seed}, scale {plan.scale:g}, {len(plan.persons)} persons",
        scope_region=regions[0],
    )
    lap("logins")
    write_needs(plan, region=region, grid=grid, org=org, person=person, lap=lap)
    where = Where(plan=plan, now=timezone.now(), region=region, org=org, person=person, users=users)
    write_frontline(where, lap=lap)
    write_whistles(where, lap=lap)
    points_recompute()
    lap("points")


def demo_counts() -> dict[str, int]:
    """What the database holds, by kind: the figures printed after a build and asserted by the tests."""
    counts: dict[str, int] = {}
    for kind, n in Region.objects.order_by().values_list("kind").annotate(n=Count("pk")):
        counts[f"regions.{kind}"] = n
    counts["grids"] = Grid.objects.count()
    counts["households"] = Household.objects.count()
    counts["persons"] = Person.objects.count()
    for kind, n in Organization.objects.order_by().values_list("kind").annotate(n=Count("pk")):
        counts[f"organizations.{kind}"] = n
    counts["organizations.compound_branches"] = Organization.objects.filter(
        kind="branch", parent__kind="community_committee"
    ).count()
    for category, n in PartyMembership.objects.order_by().values_list("category").annotate(n=Count("pk")):
        counts[f"party_members.{category}"] = n
    counts["organization_memberships"] = OrganizationMembership.objects.count()
    for kind, employment, n in PersonRole.objects.order_by().values_list("kind", "employment").annotate(n=Count("pk")):
        counts[f"person_roles.{kind}" + (f".{employment}" if kind == "grid_worker" else "")] = n
    counts["committee_seats"] = CommitteeSeat.objects.count()
    counts["users"] = User.objects.count()
    counts.update(needs_counts())
    counts.update(frontline_counts())
    return dict(sorted(counts.items()))


def needs_counts() -> dict[str, int]:
    """The catalogue and the cases: by kind and status, deeds and residents served."""
    counts = {
        "catalogue.items": ServiceItem.objects.count(),
        "catalogue.brands": ServiceBrand.objects.count(),
        "catalogue.stations": RedRopeStation.objects.count(),
        "cases": Case.objects.count(),
        "case_events": CaseEvent.objects.count(),
        "case_claims": CaseClaim.objects.count(),
    }
    for kind, status, n in Case.objects.order_by().values_list("kind", "status").annotate(n=Count("pk")):
        counts[f"cases.{kind}.{status}"] = n
    deeds = Case.objects.filter(deed_at__isnull=False)
    counts["deeds"] = deeds.count()
    counts["residents_served"] = deeds.aggregate(n=Sum("residents_served"))["n"] or 0
    counts["deeds.micro_wish"] = deeds.filter(kind="micro_wish").count()
    counts["deeds.difficulty_at_station"] = deeds.filter(kind="difficulty", station__isnull=False).count()
    return counts


DEMO_OPEN311_CLIENT = "演示客户端"


def demo_open311_key() -> str:
    """Issue a key for the demo's Open311 client (a new one each time: keys are stored only as hashes)."""
    _client, key = open311_client_create(actor=None, name=DEMO_OPEN311_CLIENT)
    return key


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    scope: str


def demo_logins() -> list[DemoLogin]:
    """The demo's logins as stored (role and scope of each user's first role assignment)."""
    users = User.objects.filter(username__in=DEMO_USERNAMES).prefetch_related(
        "role_assignments__region", "role_assignments__grid"
    )
    by_name = {u.username: u for u in users}
    logins: list[DemoLogin] = []
    for username in DEMO_USERNAMES:
        user = by_name.get(username)
        if user is None:
            continue
        assignment = min(user.role_assignments.all(), key=lambda a: a.pk, default=None)
        if assignment is None:
            continue
        place = assignment.grid or assignment.region
        logins.append(DemoLogin(username, DEMO_PASSWORD, assignment.role, place.name if place else ""))
    return logins
