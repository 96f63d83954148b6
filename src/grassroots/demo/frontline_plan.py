"""Dual reporting in the demo district: 205 of the 210 units report to a community under a co-construction
agreement (commitments, resources, projects), 5,000+ in-service party members report to the community or compound
where they live (about 2 % still waiting for confirmation, 2 % not reported), and a share of them have service
records of the past year. Campaigns are planned in ``demo.campaign_plan``.

A unit reports to the community where it claimed most wishes in the case plan (its paired community); every
in-service member who claimed a case reports, and so does the demo's party member.
"""

from __future__ import annotations

import random
from collections import Counter

from grassroots.catalogue import defaults
from grassroots.demo import frontline_texts as T
from grassroots.demo.org_plan import Orgs
from grassroots.demo.plan import DemoPlan, MemberReportRow, ProjectRow, ServiceRecordRow, UnitReportRow
from grassroots.demo.territory_plan import Layout

UNITS_NOT_REPORTING = 5
UNIT_REPORTS_PENDING = 5
# Of 5,100 in-service members at scale 1: 5,000+ report, about 2 % of them still waiting for confirmation.
MEMBERS_PENDING, MEMBERS_NOT_REPORTED, MEMBERS_RETURNED_BEFORE = 0.02, 0.015, 0.01
TO_COMPOUND = 0.2  # members reporting to their compound rather than their community
CHANNELS, CHANNEL_WEIGHTS = ["roster", "self", "staff"], [45, 40, 15]
POST_COUNTS, POST_WEIGHTS = [1, 2, 3], [45, 40, 15]
WITH_RECORDS = 0.35  # of the reported members: service records in the past year
RESOURCE_KINDS, RESOURCE_WEIGHTS = list(T.RESOURCES), [3, 2, 4, 2, 1]


class FrontlinePlanner:
    def __init__(self, plan: DemoPlan, layout: Layout, orgs: Orgs, rng: random.Random) -> None:
        self.plan, self.layout, self.orgs, self.rng = plan, layout, orgs, rng
        self.compound_of = [layout.household_compound[p.household] for p in plan.persons]
        self.community_of = [layout.compounds[k].community for k in self.compound_of]
        self.parent = {r.code: r.parent_code for r in plan.regions}
        self.community_index = {c.code: i for i, c in enumerate(layout.communities)}
        self.logins = {row.username: row for row in plan.logins}

    def community_of_place(self, code: str) -> int:
        while code not in self.community_index:
            parent = self.parent[code]
            assert parent is not None, code
            code = parent
        return self.community_index[code]

    # Units

    def unit_communities(self) -> dict[str, int]:
        """Each unit's community: where it claimed most cases, else one in its street (or anywhere)."""
        claims: dict[str, Counter[int]] = {}
        for row in self.plan.cases:
            if row.claimer.startswith("o:UNIT-"):
                claims.setdefault(row.claimer[2:], Counter())[self.community_of_place(row.place_code)] += 1
        chosen: dict[str, int] = {}
        for unit in self.orgs.units:
            counted = claims.get(unit.code)
            if counted:
                chosen[unit.code] = min(counted, key=lambda c: (-counted[c], c))
                continue
            nearby = [i for i, c in enumerate(self.layout.communities) if c.street_code == unit.region_code]
            chosen[unit.code] = self.rng.choice(nearby or range(len(self.layout.communities)))
        return chosen

    def projects(self, commitments: list[tuple[str, int, list[str]]], performance: float) -> list[ProjectRow]:
        rng = self.rng
        rows: list[ProjectRow] = []
        for n, (_text, target, titles) in enumerate(commitments):
            for year, share in ((1, 1.0), (0, rng.uniform(0.3, 0.9))):
                done = min(target + 1, round(target * share * performance * rng.uniform(0.7, 1.3)))
                for _ in range(done):
                    served = rng.randint(20, 300)
                    rows.append(ProjectRow(n, rng.choice(titles), "", "done", rng.randint(1, 20), year,
                                           round(rng.random(), 4), served))  # fmt: skip
            if rng.random() < 0.5:
                rows.append(ProjectRow(n, rng.choice(titles), "", "in_progress", rng.randint(1, 40), -1, 0.0, 0))
            if rng.random() < 0.3:
                rows.append(ProjectRow(n, rng.choice(titles), "", "planned", -1, -1, 0.0, 0))
        return rows

    def unit_reports(self) -> None:
        rng, plan, layout = self.rng, self.plan, self.layout
        names = {o.code: o.name for o in plan.organizations}
        secretary = {m.organization_code: m.person for m in plan.memberships if m.role == "leader"}
        communities = self.unit_communities()
        units = self.orgs.units
        demo_unit = units[0].code
        others = [u.code for u in units[1:]]
        silent = set(rng.sample(others, UNITS_NOT_REPORTING))
        pending = set(rng.sample([c for c in others if c not in silent], UNIT_REPORTS_PENDING))
        for unit in units:
            if unit.code in silent:
                continue
            community = layout.communities[communities[unit.code]]
            waiting = unit.code in pending and unit.code != demo_unit
            term = rng.choice([1, 2, 2, 3, 3])
            start_days = -rng.randint(0, 30) if waiting else rng.randint(30, term * 365 - 20)
            submitted_days = rng.randint(1, 12) if waiting else start_days + rng.randint(3, 25)
            picked = rng.sample(T.COMMITMENTS, rng.choices([1, 2, 3], [25, 45, 30])[0])
            kinds = rng.sample(RESOURCE_KINDS, rng.randint(2, 4))
            resources = tuple((kind, *rng.choice(T.RESOURCES[kind])) for kind in kinds)
            title = rng.choice(T.AGREEMENT_TITLES).format(unit=names[unit.code], community=community.name)
            performance = rng.uniform(0.4, 1.2)
            projects = () if waiting else tuple(self.projects(picked, performance))
            plan.unit_reports.append(
                UnitReportRow(
                    unit_code=unit.code, community_code=community.code, status="pending" if waiting else "confirmed",
                    agreement_title=title[:150], start_days=start_days, term_years=term,
                    contact=secretary.get(unit.branch_code, -1), submitted_days=submitted_days,
                    decided_h=-1.0 if waiting else round(rng.uniform(2, 96), 2),
                    commitments=tuple((text, target) for text, target, _titles in picked),
                    resources=resources, projects=projects,  # type: ignore[arg-type]
                )
            )  # fmt: skip

    # Members

    def member_reports(self) -> None:
        rng, plan, layout = self.rng, self.plan, self.layout
        categories = [code for code, *_rest in defaults.CATEGORIES]
        claimers = {int(row.claimer[2:]) for row in plan.cases if row.claimer.startswith("p:")}
        must = claimers | {row.person for row in plan.logins if row.person is not None}
        party_member = self.logins["party_member"].person
        members = [p for p in plan.party if p.category == "in_service" and p.home_unit_code is not None]
        free = [p.person for p in members if p.person not in must]
        silent = rng.sample(free, min(len(free), round(len(members) * MEMBERS_NOT_REPORTED)))
        not_reported = set(silent)
        others = sorted(set(free) - not_reported)
        waiting = set(rng.sample(others, min(len(others), round(len(members) * MEMBERS_PENDING))))
        for prow in members:
            i, unit = prow.person, str(prow.home_unit_code)
            if i in not_reported:
                continue
            status = "pending" if i in waiting else "confirmed"
            compound = layout.compounds[self.compound_of[i]]
            to_compound = i != party_member and rng.random() < TO_COMPOUND
            region = compound.code if to_compound else layout.communities[self.community_of[i]].code
            posts = tuple(sorted(rng.sample(categories, rng.choices(POST_COUNTS, POST_WEIGHTS)[0])))
            skills = "、".join(rng.sample(T.SKILLS, rng.choices([0, 1, 2], [40, 45, 15])[0]))
            channel = rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
            if status == "pending":
                submitted, decided = round(rng.uniform(2, 240), 2), -1.0
            else:
                submitted, decided = round(rng.uniform(15 * 24, 700 * 24), 2), round(rng.uniform(0.5, 72), 2)
                if rng.random() < MEMBERS_RETURNED_BEFORE:  # returned once, reported again a few days later
                    elsewhere = layout.communities[rng.randrange(len(layout.communities))].code
                    plan.member_reports.append(
                        MemberReportRow(i, unit, elsewhere, "rejected", channel, posts, skills,
                                        submitted + rng.uniform(48, 240), round(rng.uniform(1, 24), 2),
                                        rng.choice(T.REJECT_NOTES))
                    )  # fmt: skip
            plan.member_reports.append(
                MemberReportRow(i, unit, region, status, channel, posts, skills, submitted, decided)
            )

    def service_records(self) -> None:
        rng, plan = self.rng, self.plan
        for report in plan.member_reports:
            if report.status != "confirmed" or rng.random() >= WITH_RECORDS:
                continue
            community = self.layout.communities[self.community_of_place(report.region_code)].code
            for _ in range(rng.randint(1, 5)):
                kind, title, low, high = rng.choice(T.SERVICE_RECORDS)
                hours = round(rng.uniform(low, high) * 2) / 2
                plan.service_records.append(
                    ServiceRecordRow(report.person, community, kind, title, rng.randint(1, 364), f"{hours:.1f}")
                )

    def keep_login_claims(self) -> None:
        """The demo's party member keeps the claims the case plan made for them (their story on the phone);
        claims the plan drew for them at random go to their community's volunteer team. At small scales the
        member is often the only in-service member of the community, so random draws would all fall on them.
        """
        plan = self.plan
        member = self.logins["party_member"].person
        tagged = [i for i, row in enumerate(plan.cases) if row.claimer == f"p:{member}"]
        if member is None or not tagged:
            return
        own = tagged[0]
        while own + 1 < len(plan.cases) and plan.cases[own + 1].claimer == f"p:{member}":
            own += 1
        team = self.orgs.volunteer_team[self.layout.communities[self.community_of[member]].code]
        for i in tagged:
            if i > own:
                plan.cases[i] = plan.cases[i]._replace(claimer=f"o:{team}")

    def run(self) -> None:
        self.keep_login_claims()
        self.unit_reports()
        self.member_reports()
        self.service_records()


def plan_frontline(plan: DemoPlan, layout: Layout, orgs: Orgs, rng: random.Random) -> None:
    FrontlinePlanner(plan, layout, orgs, rng).run()
