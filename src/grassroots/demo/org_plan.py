"""The demo organisations: the party tree (district committee → 5 street working committees → 27 community
committees → 80 compound branches, and building party groups), 210 units with their branches, functional
departments, property companies, owners' committees, social organisations, volunteer teams and the vanguard
corps and squads.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from faker import Faker

from grassroots.demo import names as N
from grassroots.demo.plan import DemoPlan, OrgRow
from grassroots.demo.territory_plan import Layout, apportion

VANGUARD_CORPS = 112
VANGUARD_SQUADS = 564
MIN_CORPS_PER_COMMUNITY = 2
# How the 80 compound branches were formed (standalone / joint / area-wide).
FORMATION_COUNTS = {"standalone": 48, "joint": 22, "area_wide": 10}
_ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


@dataclass
class Unit:
    code: str
    branch_code: str
    kind: str
    region_code: str


@dataclass
class Orgs:
    """Codes later stages need (not part of the plan)."""

    district_committee: str = ""
    community_committee: dict[str, str] = field(default_factory=dict)  # community code → org code
    compound_branch: dict[str, str] = field(default_factory=dict)  # compound code → org code
    units: list[Unit] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    property_companies: list[str] = field(default_factory=list)
    property_branches: list[str] = field(default_factory=list)
    property_of_compound: dict[str, str] = field(default_factory=dict)
    owners_committee: dict[str, str] = field(default_factory=dict)  # compound code → org code
    social: list[tuple[str, str]] = field(default_factory=list)  # org code, region code
    volunteer_team: dict[str, str] = field(default_factory=dict)  # community code → org code
    corps: dict[str, list[str]] = field(default_factory=dict)  # community code → corps codes
    squads: dict[str, list[str]] = field(default_factory=dict)  # corps code → squad codes


def credit_code(rng: random.Random, prefix: str) -> str:
    """A well-formed unified social credit code: department+type, area 450902, organisation code, check."""
    from stdnum.cn import uscc

    body = "".join(rng.choice("0123456789") for _ in range(8))
    check = 11 - sum(int(c) * w for c, w in zip(body, _ORG_CODE_WEIGHTS, strict=True)) % 11
    org_code = body + {10: "X", 11: "0"}.get(check, str(check))
    first17 = f"{prefix}{N.DISTRICT_CODE}{org_code}"
    return first17 + uscc.calc_check_digit(first17)


def plan_organizations(plan: DemoPlan, layout: Layout, *, rng: random.Random, seed: int) -> Orgs:
    orgs = Orgs()
    d = layout.district_code
    add = plan.organizations.append
    streets = [(code, name) for code, (name, _) in zip(layout.street_codes, N.STREETS, strict=True)]

    # The party tree.
    orgs.district_committee = f"PARTY-{d}"
    add(OrgRow("district_committee", "中共玉林市玉州区委员会", orgs.district_committee, d))
    for code, name in streets:
        add(OrgRow("street_committee", f"中共玉州区{name}工作委员会", f"PARTY-{code}", code, orgs.district_committee))
    formations = [f for f, n in FORMATION_COUNTS.items() for _ in range(n)]
    rng.shuffle(formations)
    for community in layout.communities:
        committee = f"PARTY-{community.code}"
        orgs.community_committee[community.code] = committee
        add(
            OrgRow(
                "community_committee",
                f"中共玉州区{community.street_name}{community.name}委员会",
                committee,
                community.code,
                f"PARTY-{community.street_code}",
            )
        )
        for k in community.compounds:
            compound = layout.compounds[k]
            branch = f"PARTY-{compound.code}"
            orgs.compound_branch[compound.code] = branch
            add(
                OrgRow(
                    "branch",
                    f"中共{community.name}{compound.name}支部委员会",
                    branch,
                    compound.code,
                    committee,
                    formation=formations[k % len(formations)],
                )
            )

    # Units reporting to communities, each with its own party branch.
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    units: list[tuple[str, str, str]] = [(name, "agency", d) for name in N.DISTRICT_AGENCIES]
    units += [(f"{name}{office}", "agency", code) for code, name in streets for office in N.STREET_OFFICES]
    units += [(name, "public_institution", d) for name in N.DISTRICT_INSTITUTIONS]
    units += [(f"{name}{inst}", "public_institution", code) for code, name in streets for inst in N.STREET_INSTITUTIONS]
    companies: list[str] = []
    while len(companies) < N.ENTERPRISE_COUNT:
        name = f"玉林市{fake.company()}"
        if name not in companies:
            companies.append(name)
    units += [(name, "enterprise", d if rng.random() < 0.4 else rng.choice(streets)[0]) for name in companies]
    uscc_prefix = {"agency": "11", "public_institution": "12", "enterprise": "91"}
    for n, (name, kind, region_code) in enumerate(units, start=1):
        unit = Unit(f"UNIT-{n:03d}", f"UNIT-{n:03d}-PB", kind, region_code)
        orgs.units.append(unit)
        add(OrgRow(kind, name, unit.code, region_code, credit_code=credit_code(rng, uscc_prefix[kind])))
        add(OrgRow("branch", f"{name}党支部", unit.branch_code, region_code, unit.code))

    for n, name in enumerate(N.DEPARTMENTS, start=1):
        orgs.departments.append(f"DEPT-{n:02d}")
        add(OrgRow("department", name, f"DEPT-{n:02d}", d, credit_code=credit_code(rng, "11")))

    # Property companies: every compound is served by one of them.
    compound_codes = [c.code for c in layout.compounds]
    shuffled = compound_codes[:]
    rng.shuffle(shuffled)
    company_count = len(N.PROPERTY_STEMS)
    weights = [rng.uniform(0.3, 3.0) for _ in range(company_count)]
    served: list[list[str]] = [[] for _ in range(company_count)]
    for i, compound_code in enumerate(shuffled):
        owner = i if i < company_count else rng.choices(range(company_count), weights)[0]
        served[owner].append(compound_code)
    for n, stem in enumerate(N.PROPERTY_STEMS, start=1):
        code = f"PROP-{n:02d}"
        name = f"玉林市{stem}物业服务有限公司"
        mine = tuple(sorted(served[n - 1]))
        orgs.property_companies.append(code)
        orgs.property_branches.append(f"{code}-PB")
        for compound_code in mine:
            orgs.property_of_compound[compound_code] = code
        add(OrgRow("property_company", name, code, d, credit_code=credit_code(rng, "91"), served_compounds=mine))
        add(OrgRow("branch", f"{name}党支部", f"{code}-PB", d, code))

    for compound in layout.compounds:
        code = f"OC-{compound.code}"
        orgs.owners_committee[compound.code] = code
        add(OrgRow("owners_committee", f"{compound.name}业主委员会", code, compound.code))

    jiangbin = layout.community_by_name("江滨社区").code
    socials = [(name, jiangbin) for name in N.SOCIAL_ORGANIZATIONS_JIANGBIN]
    socials += [(name, d) for name in N.SOCIAL_ORGANIZATIONS_DISTRICT]
    for n, (name, region_code) in enumerate(socials, start=1):
        code = f"SOC-{n:02d}"
        orgs.social.append((code, region_code))
        add(OrgRow("social_organization", name, code, region_code, credit_code=credit_code(rng, "52")))

    for i, community in enumerate(layout.communities):
        brand = N.VOLUNTEER_BRANDS[i % len(N.VOLUNTEER_BRANDS)]
        code = f"VOL-{community.code}"
        orgs.volunteer_team[community.code] = code
        add(OrgRow("volunteer_team", f"{community.name}“{brand}”志愿服务队", code, community.code))

    _plan_vanguard(plan, layout, orgs)
    return orgs


def _plan_vanguard(plan: DemoPlan, layout: Layout, orgs: Orgs) -> None:
    """112 corps over the communities (by their grids), 564 squads over the corps, each squad on a grid."""
    corps_counts = apportion(
        VANGUARD_CORPS, [float(len(c.grid_codes)) for c in layout.communities], MIN_CORPS_PER_COMMUNITY
    )
    squad_counts = apportion(VANGUARD_SQUADS, [1.0] * VANGUARD_CORPS)
    corps_no = squad_no = 0
    for community, count in zip(layout.communities, corps_counts, strict=True):
        orgs.corps[community.code] = []
        grid_cycle = 0
        for c in range(1, count + 1):
            corps_code = f"CORPS-{corps_no + 1:03d}"
            corps_name = f"{community.name}党员先锋第{c}总队"
            plan.organizations.append(OrgRow("vanguard_corps", corps_name, corps_code, community.code))
            orgs.corps[community.code].append(corps_code)
            orgs.squads[corps_code] = []
            for s in range(1, squad_counts[corps_no] + 1):
                squad_no += 1
                code = f"SQUAD-{squad_no:03d}"
                grid = community.grid_codes[grid_cycle % len(community.grid_codes)]
                grid_cycle += 1
                plan.organizations.append(
                    OrgRow("vanguard_squad", f"{corps_name}第{s}分队", code, community.code, corps_code, grid)
                )
                orgs.squads[corps_code].append(code)
            corps_no += 1
