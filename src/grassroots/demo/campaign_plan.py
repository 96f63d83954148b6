"""Two mobilisation campaigns: one finished a few months ago ("疫情防控应急动员": checkpoints, testing sites and
compound gates, shifts over two weeks, most of them filled by vanguard squads and members who checked in and out),
and one running now in the demo party member's street (shifts today and in the coming days partly filled, so
there is room to sign up). Nobody holds two overlapping shifts.

Days are relative to the build day and times are local times of day; ``demo.frontline_build`` decides, from the
build moment, which sign-ups are over, under way or still to come.
"""

from __future__ import annotations

import math
import random
import re

from grassroots.demo import frontline_texts as T
from grassroots.demo import names as N
from grassroots.demo.plan import BookingRow, CampaignRow, DemoPlan, PlaceRow, ShiftRow
from grassroots.demo.territory_plan import Layout

FINISHED_DAYS = 14
RUNNING_DAYS = (-3, 6)  # from three days ago to six days ahead
FINISHED_SLOTS = [(8 * 60, 12 * 60), (12 * 60, 16 * 60), (16 * 60, 20 * 60)]
NIGHT_SLOT = (20 * 60, 24 * 60)  # checkpoints are kept at night too
RUNNING_SLOTS = {
    "other": [(7 * 60 + 30, 9 * 60 + 30), (17 * 60, 19 * 60)],
    "market": [(8 * 60, 11 * 60), (15 * 60, 18 * 60)],
    "compound": [(9 * 60, 11 * 60 + 30), (15 * 60, 17 * 60 + 30)],
}
NEEDED = {"checkpoint": (3, 4), "testing_site": (4, 6), "compound": (2, 3), "other": (2, 4)}
SQUAD_SHARE = 0.5  # shifts a squad signs up for together
OUTCOMES, OUTCOME_WEIGHTS = ["checked_out", "no_show", "cancelled"], [92, 4, 4]


def _road(address: str) -> str:
    return re.sub(r"\d+号$", "", address)


class CampaignPlanner:
    def __init__(self, plan: DemoPlan, layout: Layout, rng: random.Random) -> None:
        self.plan, self.layout, self.rng = plan, layout, rng
        compound_of = [layout.household_compound[p.household] for p in plan.persons]
        self.community_of = [layout.compounds[k].community for k in compound_of]
        self.busy: dict[int, list[tuple[int, int]]] = {}
        reported = {r.person for r in plan.member_reports if r.status == "confirmed"}
        self.members: dict[int, list[int]] = {}  # community index → members who may sign up on their own
        for row in plan.party:
            if row.category == "resident" or row.person in reported:
                self.members.setdefault(self.community_of[row.person], []).append(row.person)
        squad_community = {o.code: o.region_code for o in plan.organizations if o.kind == "vanguard_squad"}
        index = {c.code: i for i, c in enumerate(layout.communities)}
        self.squads: dict[int, list[tuple[str, list[int]]]] = {}
        crews: dict[str, list[int]] = {}
        for m in plan.memberships:
            if m.organization_code in squad_community:
                crews.setdefault(m.organization_code, []).append(m.person)
        for code, crew in sorted(crews.items()):
            self.squads.setdefault(index[squad_community[code]], []).append((code, crew))
        member = next(row.person for row in plan.logins if row.username == "party_member")
        self.party_member = member if member is not None else -1

    def free(self, person: int, start: int, end: int) -> bool:
        return all(end <= s or e <= start for s, e in self.busy.get(person, []))

    def book(self, shift: int, person: int, squad: str | None, *, ahead: bool) -> None:
        rng = self.rng
        row = self.plan.shifts[shift]
        start, end = row.day * 1440 + row.start_minute, row.day * 1440 + row.end_minute
        self.busy.setdefault(person, []).append((start, end))
        outcome = "checked_out" if ahead else rng.choices(OUTCOMES, OUTCOME_WEIGHTS)[0]
        if ahead and rng.random() < 0.03:
            outcome = "cancelled"
        self.plan.bookings.append(
            BookingRow(shift, person, squad, outcome, round(rng.random(), 4), rng.randint(-10, 25),
                       rng.randint(-15, 45))
        )  # fmt: skip

    def fill(self, shift: int, community: int, street: list[int], share: float, *, ahead: bool) -> None:
        """Sign people up for a shift: a squad of the place's community (some shifts), then members of the street."""
        rng, row = self.rng, self.plan.shifts[shift]
        start, end = row.day * 1440 + row.start_minute, row.day * 1440 + row.end_minute
        wanted = min(row.needed, math.floor(row.needed * share + rng.random()))
        if ahead:
            wanted = min(wanted, row.needed - 1)  # room left to sign up
        taken: set[int] = set()
        squads = self.squads.get(community, [])
        if squads and rng.random() < SQUAD_SHARE:
            code, crew = rng.choice(squads)
            for person in crew:
                if len(taken) >= wanted:
                    break
                if person not in taken and person != self.party_member and self.free(person, start, end):
                    taken.add(person)
                    self.book(shift, person, code, ahead=ahead)
        for _ in range(4 * wanted):
            if len(taken) >= wanted or not street:
                break
            person = rng.choice(street)
            if person not in taken and (person != self.party_member or not ahead) and self.free(person, start, end):
                taken.add(person)
                self.book(shift, person, None, ahead=ahead)

    def street_people(self, street_code: str) -> tuple[list[int], list[int]]:
        """Community indexes of the street and the members living there who may sign up."""
        communities = [i for i, c in enumerate(self.layout.communities) if c.street_code == street_code]
        people = sorted(p for c in communities for p in self.members.get(c, []))
        return communities, people

    def place(self, campaign: int, name: str, kind: str, region: str | None, address: str = "") -> int:
        self.plan.campaign_places.append(PlaceRow(campaign, name[:100], kind, region, address))
        return len(self.plan.campaign_places) - 1

    def shift(self, place: int, day: int, slot: tuple[int, int], kind: str) -> int:
        low, high = NEEDED[kind]
        duty = T.DUTIES[kind] if kind in T.DUTIES else T.DUTIES["other"]
        self.plan.shifts.append(ShiftRow(place, day, slot[0], slot[1], self.rng.randint(low, high), duty))
        return len(self.plan.shifts) - 1

    def finished(self) -> None:
        rng, plan, layout = self.rng, self.plan, self.layout
        street = layout.community_by_name("东岳社区").street_code
        communities, people = self.street_people(street)
        start = -rng.randint(75, 110)
        title, description = T.FINISHED_CAMPAIGN
        plan.campaigns.append(CampaignRow(title, description, street, start, start + FINISHED_DAYS - 1, "finished"))
        campaign = len(plan.campaigns) - 1
        count = min(30, max(4, round(10 * math.sqrt(plan.scale))))
        compounds = [k for c in communities for k in layout.communities[c].compounds]
        roads = sorted({_road(layout.compounds[k].road_address) for k in compounds})
        places: list[tuple[int, str, int]] = []  # place, kind, community index
        for n in range(count):
            c = communities[n % len(communities)]
            if n % 3 == 0:
                road, road2 = rng.sample(roads, 2) if len(roads) > 1 else (roads[0], N.ROADS[0])
                name = rng.choice(T.CHECKPOINTS).format(road=road, road2=road2)
                places.append((self.place(campaign, name, "checkpoint", layout.communities[c].code), "checkpoint", c))
            elif n % 3 == 1:
                name = T.TESTING_SITE.format(community=layout.communities[c].name)
                if n >= 3 * len(communities):
                    name = f"{name}（{n // (3 * len(communities)) + 1}）"
                site = self.place(campaign, name, "testing_site", layout.communities[c].code)
                places.append((site, "testing_site", c))
            else:
                k = compounds[(n // 3) % len(compounds)]
                compound = layout.compounds[k]
                gate = self.place(campaign, f"{compound.name}门岗", "compound", compound.code, compound.road_address)
                places.append((gate, "compound", compound.community))
        for day in range(start, start + FINISHED_DAYS):
            for place, kind, c in places:
                slots = FINISHED_SLOTS + ([NIGHT_SLOT] if kind == "checkpoint" else [])
                for slot in slots:
                    self.fill(self.shift(place, day, slot, kind), c, people, rng.uniform(0.8, 1.0), ahead=False)

    def running(self) -> None:
        rng, plan, layout = self.rng, self.plan, self.layout
        home = layout.community_by_name(N.MODEL_ETHNIC_COMMUNITY)
        street = home.street_code
        communities, people = self.street_people(street)
        first, last = RUNNING_DAYS
        title, description = T.RUNNING_CAMPAIGN
        plan.campaigns.append(CampaignRow(title, description, street, first, last, "open"))
        campaign = len(plan.campaigns) - 1
        count = min(20, max(3, round(6 * math.sqrt(plan.scale))))
        places: list[tuple[int, str, int]] = []
        ordered = [layout.communities.index(home)] + [c for c in communities if layout.communities[c] is not home]
        for n in range(count):
            c = ordered[n % len(ordered)]
            community = layout.communities[c]
            template, kind = T.RUNNING_PLACES[n % len(T.RUNNING_PLACES)]
            k = community.compounds[(n // len(T.RUNNING_PLACES)) % len(community.compounds)]
            compound = layout.compounds[k]
            name = template.format(road=_road(compound.road_address), community=community.name, compound=compound.name)
            region = compound.code if kind == "compound" else community.code
            slots_kind = "market" if "市场" in template else kind
            places.append((self.place(campaign, name, kind, region, compound.road_address), slots_kind, c))
        for day in range(first, last + 1):
            share = rng.uniform(0.7, 1.0) if day < 0 else rng.uniform(0.5, 0.9) if day == 0 else rng.uniform(0, 0.6)
            for place, slots_kind, c in places:
                for slot in RUNNING_SLOTS[slots_kind]:
                    kind = "compound" if slots_kind == "compound" else "other"
                    self.fill(self.shift(place, day, slot, kind), c, people, share, ahead=day >= 0)
        # The demo party member served once already (a place in the community, two days ago).
        mine = [n for n, s in enumerate(plan.shifts) if s.day == -2 and plan.campaign_places[s.place].campaign == campaign
                and plan.campaign_places[s.place].region_code == home.code]  # fmt: skip
        for n in mine:
            s = plan.shifts[n]
            held = sum(1 for b in plan.bookings if b.shift == n and b.outcome != "cancelled")
            start, end = s.day * 1440 + s.start_minute, s.day * 1440 + s.end_minute
            if self.party_member >= 0 and held < s.needed and self.free(self.party_member, start, end):
                self.busy.setdefault(self.party_member, []).append((start, end))
                plan.bookings.append(BookingRow(n, self.party_member, None, "checked_out", 0.3, 10, 5))
                break

    def run(self) -> None:
        self.finished()
        self.running()


def plan_campaigns(plan: DemoPlan, layout: Layout, rng: random.Random) -> None:
    CampaignPlanner(plan, layout, rng).run()
