"""A year of resident needs at the source's scale: ~7,200 micro-wishes claimed and fulfilled, 300+ difficulties
solved through the Red Rope stations, appointments and grid events up to ~9,000 deeds and 26,000 residents served.

The plan says what happens to each case and when, relative to its submission; ``demo.cases_build`` turns it
into rows as of the build moment. The past year scales with ``--scale``; what is waiting right now (wishes on every
community's wall, requests to verify, claims in progress) does not, so every community has something to claim.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from itertools import accumulate

from grassroots.catalogue import defaults
from grassroots.demo import case_texts as T
from grassroots.demo.catalogue_plan import Stations
from grassroots.demo.org_plan import Orgs
from grassroots.demo.plan import AS_OF, CaseRow, DemoPlan, RatingStep
from grassroots.demo.territory_plan import Layout

# Deeds (fulfilled cases) of the past year at scale 1: 7,192 wishes + 386 difficulties + 902 + 557 = 9,037.
DEEDS = {"micro_wish": 7192, "difficulty": 386, "appointment": 902, "grid_event": 557}
STATION_DIFFICULTY_DEEDS = 326  # of the difficulties, those taken in at a Red Rope station
RESIDENTS_SERVED = 26_000
REJECTED = {"micro_wish": 145, "difficulty": 12, "appointment": 9}
CANCELLED = {"micro_wish": 86, "difficulty": 8, "appointment": 45}
LATE_RESPONSE, LATE_FULFILMENT, UNRATED, REOPENED = 0.03, 0.015, 0.07, 0.02
MANUAL_ESCALATION = {"difficulty": 0.05, "grid_event": 0.02}
SATISFIED = 0.88  # of the final ratings; the rest are "basically satisfied"
RECENT_FULFILLED = 0.012  # of the deeds: fulfilled in the last days and not rated yet
# What waits on every community at the build moment: (low, high) cases, not scaled.
WALL_WISHES, PENDING_WISHES, CLAIMED_WISHES = (5, 15), (1, 3), (1, 3)

MONTHS = range(1, 13)
SEASONS = {name: list(accumulate(weights)) for name, weights in T.SEASONS.items()}
WISH_WEIGHTS = list(accumulate(w[4] for w in T.WISHES))
DIFFICULTY_WEIGHTS = list(accumulate(t[6] for t in T.DIFFICULTIES))
GRID_EVENT_WEIGHTS = list(accumulate(t[6] for t in T.GRID_EVENTS))
CHANNELS: dict[str, tuple[list[str], list[int]]] = {
    "micro_wish": (["grid_worker", "walk_in", "building_head", "phone"], [40, 65, 85, 100]),
    "difficulty": (["phone", "grid_worker", "building_head"], [5, 8, 10]),
    "appointment": (["phone", "walk_in"], [6, 10]),
    "grid_event": (["grid_worker"], [1]),
}
POLICY_HOURS: dict[str, tuple[int, int, bool]] = {}  # category → response hours, resolution hours, calendar?
for _code, _name, _sla, _handler, _items in defaults.CATEGORIES:
    _policy = next(p for p in defaults.SLA_POLICIES if p[0] == _sla)
    POLICY_HOURS[_code] = (_policy[2], _policy[3], _policy[4] == "calendar")


def _age(birth_date: dt.date) -> int:
    return (AS_OF - birth_date).days // 365


class CasePlanner:
    def __init__(self, plan: DemoPlan, layout: Layout, orgs: Orgs, stations: Stations, rng: random.Random) -> None:
        self.plan, self.layout, self.orgs, self.stations, self.rng = plan, layout, orgs, stations, rng
        self.scale = plan.scale
        compound_of = [layout.household_compound[p.household] for p in plan.persons]
        self.community_of = [layout.compounds[k].community for k in compound_of]
        ages = [_age(p.birth_date) for p in plan.persons]
        n = len(layout.communities)
        self.elderly: list[list[int]] = [[] for _ in range(n)]
        self.adults: list[list[int]] = [[] for _ in range(n)]
        for i, age in enumerate(ages):
            c = self.community_of[i]
            if age >= 68:
                self.elderly[c].append(i)
            if 28 <= age <= 66:
                self.adults[c].append(i)
        self.in_service: list[list[int]] = [[] for _ in range(n)]
        self.resident_members: list[list[int]] = [[] for _ in range(n)]
        for row in plan.party:
            group = self.in_service if row.category == "in_service" else self.resident_members
            group[self.community_of[row.person]].append(row.person)
        self.entrances: dict[str, list[str]] = {}
        for region in plan.regions:
            if region.kind == "entrance" and region.parent_code:
                self.entrances.setdefault(region.parent_code, []).append(region.code)
        units = [u.code for u in orgs.units]
        self.paired_units = [sorted(rng.sample(units, 6)) for _ in range(n)]
        self.socials = [code for code, _region in orgs.social]
        self.weights = list(accumulate(c.household_count * rng.uniform(0.7, 1.3) for c in layout.communities))
        self.places = range(len(layout.communities))
        self.login = {row.username: row for row in plan.logins}
        self.rows: list[CaseRow] = []

    # Who, where, when

    def community(self) -> int:
        return self.rng.choices(self.places, cum_weights=self.weights)[0]

    def requester(self, c: int, group: str) -> int:
        pool = self.elderly[c] if group in ("elderly_alone", "disabled", "left_behind_child", "other") else []
        return self.rng.choice(pool or self.adults[c] or self.elderly[c])

    def entrance_of(self, person: int) -> str:
        return self.plan.households[self.plan.persons[person].household].entrance_code

    def place(self, c: int, kind: str, person: int) -> str:
        if person >= 0:
            entrance = self.entrance_of(person)
            # An entrance is its building's code + 2 digits; a compound's code is a fixed-length prefix (buildings
            # may number past 999 in a compound at large scales, so the building part is not always 3 digits).
            compound_code = entrance[: len(self.layout.compounds[0].code)]
            return {"entrance": entrance, "building": entrance[:-2], "compound": compound_code}[kind]
        compound = self.layout.compounds[self.rng.choice(self.layout.communities[c].compounds)]
        if kind == "compound":
            return compound.code
        building = self.rng.choice(compound.building_codes)
        return building if kind == "building" else self.rng.choice(self.entrances[building])

    def historic(self, season: str) -> dict[str, object]:
        rng = self.rng
        month = rng.choices(MONTHS, cum_weights=SEASONS[season])[0]
        return {"month": month, "frac": round(rng.random(), 4), "minute": rng.randint(8 * 60 + 30, 19 * 60 + 30)}

    def recent(self, low_hours: float, high_hours: float) -> dict[str, object]:
        return {"month": 0, "frac": 0.0, "minute": self.rng.randint(int(low_hours * 60), int(high_hours * 60))}

    def claimer(self, kind: str, c: int, place_code: str) -> str:
        r = self.rng.random()
        members = self.in_service[c] or self.resident_members[c]
        if kind == "micro_wish":
            if r < 0.55 and members:
                return f"p:{self.rng.choice(members)}"
            if r < 0.65 and self.resident_members[c]:
                return f"p:{self.rng.choice(self.resident_members[c])}"
            if r < 0.85:
                return f"o:{self.rng.choice(self.paired_units[c])}"
            return f"o:{self.orgs.volunteer_team[self.layout.communities[c].code]}"
        if r < 0.35 and members:
            return f"p:{self.rng.choice(members)}"
        if r < 0.6:
            return f"o:{self.orgs.volunteer_team[self.layout.communities[c].code]}"
        compound = place_code[: len(self.layout.compounds[0].code)]
        if r < 0.75 and compound in self.orgs.property_of_compound:
            return f"o:{self.orgs.property_of_compound[compound]}"
        if r < 0.9:
            return f"o:{self.rng.choice(self.paired_units[c])}"
        return f"o:{self.rng.choice(self.socials)}"

    # What happens

    def rating(self, *, first: bool = False, dissatisfied: bool = False) -> RatingStep:
        rng = self.rng
        hours = round(min(rng.expovariate(1 / 20), 150.0) + 0.2, 2)
        if dissatisfied:
            return RatingStep(hours, rng.choice([1, 2, 3]), "dissatisfied", rng.choice(T.COMMENTS["dissatisfied"]))
        if rng.random() < SATISFIED:
            return RatingStep(hours, 5 if rng.random() < 0.7 else 4, "satisfied", rng.choice(T.COMMENTS["satisfied"]))
        return RatingStep(hours, rng.choice([3, 4]), "basic", rng.choice(T.COMMENTS["basic"]))

    def life(self, kind: str, category: str, outcome: str, *, quick: bool = False) -> dict[str, object]:
        """The steps of a case that is accepted (and, unless ``outcome`` stops earlier, fulfilled and rated)."""
        rng = self.rng
        response, resolution, _calendar = POLICY_HOURS[category]
        late = not quick and rng.random() < LATE_RESPONSE
        accept = response * (rng.uniform(1.05, 1.6) if late else rng.uniform(0.03, 0.5 if quick else 0.9))
        steps: dict[str, object] = {"accept_h": round(accept, 2)}
        if outcome in ("open", "pending"):
            return steps
        budget = (resolution - accept) * (0.15 if quick else 0.9)
        if kind == "appointment":
            steps["slot_h"] = round(accept + rng.uniform(0.5, 0.6 * (resolution - accept)), 2)
            steps["fulfil_h"] = round(rng.uniform(0.1, 1.5), 2)
        elif kind in ("micro_wish", "difficulty"):
            steps["claim_h"] = round(budget * rng.random() ** 2 * 0.3 + 0.1, 2)
            steps["fulfil_h"] = round(budget * rng.uniform(0.05, 0.65), 2)
        else:
            steps["fulfil_h"] = round(budget * rng.random() ** 2 * 0.8 + 0.2, 2)
        if not quick and kind in MANUAL_ESCALATION and rng.random() < MANUAL_ESCALATION[kind]:
            steps["escalate_h"] = round(float(steps.get("claim_h", 0.0)) + float(steps["fulfil_h"]) * 0.5, 2)  # type: ignore[arg-type]
        if not quick and kind != "appointment" and rng.random() < LATE_FULFILMENT:
            steps["late_h"] = round(rng.uniform(0.5, 20), 2)
        if outcome == "in_progress" and not quick:
            steps.pop("fulfil_h")
            steps.pop("late_h", None)
            return steps
        if outcome == "closed":
            if rng.random() < UNRATED:
                return steps
            if rng.random() < REOPENED:
                again = min(rng.uniform(4, 72), 0.8 * resolution)
                steps["ratings"] = (self.rating(dissatisfied=True), self.rating())
                steps["refulfil_h"] = round(again, 2)
            else:
                steps["ratings"] = (self.rating(),)
        elif outcome == "reopened":
            steps["ratings"] = (self.rating(dissatisfied=True),)
        return steps

    def add(self, kind: str, c: int, template: Sequence[object], when: dict[str, object], outcome: str,
            steps: dict[str, object], *, requester: int | None = None, station: bool = False, login: str = "",
            channel: str = "", claimer: str = "") -> CaseRow:  # fmt: skip
        rng = self.rng
        if kind == "micro_wish":
            category, item, group, _season, _w, title, text = template  # type: ignore[misc]
            place_kind, served = "entrance", 1 if rng.random() < 0.7 else 2
        elif kind == "appointment":
            item, title, text = template  # type: ignore[misc]
            category = next(code for code, _n, _s, _h, items in defaults.CATEGORIES if any(i[0] == item for i in items))
            group, place_kind, served = "", "entrance", 1 if rng.random() < 0.85 else 2
        else:
            category, item, place_kind, low, high, _season, _w, title, text = template  # type: ignore[misc,assignment]
            group, served = "", rng.randint(int(str(low)), int(str(high)))
        if requester is None:
            requester = -1 if kind == "grid_event" else self.requester(c, str(group))
        place = self.place(c, str(place_kind), requester)
        if not channel:
            if kind == "difficulty" and station:
                channel = "walk_in"
            else:
                channels, weights = CHANNELS[kind]
                channel = rng.choices(channels, cum_weights=weights)[0]
        community_code = self.layout.communities[c].code
        station_name = ""
        if station:
            station_name = rng.choice(self.stations.by_community[community_code])
        if outcome in ("closed", "fulfilled", "reopened", "in_progress") and kind in ("micro_wish", "difficulty"):
            claimer = claimer or self.claimer(kind, c, place)
        fulfilled = float(steps.get("fulfil_h", -1.0)) >= 0 or float(steps.get("late_h", -1.0)) >= 0  # type: ignore[arg-type]
        if outcome in ("rejected", "cancelled") or not fulfilled:
            served = 0
        note = ""
        if outcome == "rejected":
            note = rng.choice(T.REJECT_REASONS)
        elif outcome == "cancelled":
            note = rng.choice(T.CANCEL_REASONS)
        elif fulfilled:
            note = rng.choice(T.FULFIL_NOTES[kind])
        row = CaseRow(
            kind=kind, category=str(category), item=str(item), title=str(title), description=str(text),
            need_group=str(group), channel=channel, place_code=place, requester=requester, requester_login=login,
            station=station_name, month=int(str(when["month"])), frac=float(str(when["frac"])),
            minute=int(str(when["minute"])), outcome="in_progress" if outcome == "reopened" else outcome,
            claimer=claimer, served=served, note=note, **steps,  # type: ignore[arg-type]
        )  # fmt: skip
        self.rows.append(row)
        return row

    def template(self, kind: str) -> Sequence[object]:
        if kind == "micro_wish":
            return self.rng.choices(T.WISHES, cum_weights=WISH_WEIGHTS)[0]
        if kind == "appointment":
            return self.rng.choice(T.APPOINTMENTS)
        if kind == "difficulty":
            return self.rng.choices(T.DIFFICULTIES, cum_weights=DIFFICULTY_WEIGHTS)[0]
        return self.rng.choices(T.GRID_EVENTS, cum_weights=GRID_EVENT_WEIGHTS)[0]

    @staticmethod
    def season(kind: str, template: Sequence[object]) -> str:
        return "year" if kind == "appointment" else str(template[3] if kind == "micro_wish" else template[5])

    # The whole year

    def run(self) -> None:
        rng, scale = self.rng, self.scale
        deeds = {kind: round(n * scale) for kind, n in DEEDS.items()}
        station_deeds = round(STATION_DIFFICULTY_DEEDS * scale)
        for kind, done in self._specials().items():
            deeds[kind] = max(0, deeds[kind] - done)
        for kind, total in deeds.items():
            fresh = max(1, round(total * RECENT_FULFILLED)) if total else 0
            reopened = 1 if total >= 200 else 0
            for n in range(total):
                c = self.community()
                template = self.template(kind)
                station = kind == "difficulty" and n < station_deeds
                category = self._category(kind, template)
                if n < fresh:
                    self.add(kind, c, template, self.recent(3, 60), "fulfilled",
                             self.life(kind, category, "fulfilled", quick=True), station=station)  # fmt: skip
                elif n < fresh + reopened:
                    steps = self.life(kind, category, "reopened")
                    self.add(kind, c, template, self.recent(150, 200), "reopened", steps, station=station)
                else:
                    steps = self.life(kind, category, "closed")
                    self.add(kind, c, template, self.historic(self.season(kind, template)), "closed", steps,
                             station=station)  # fmt: skip
        for kind, n in REJECTED.items():
            for _ in range(round(n * scale)):
                template = self.template(kind)
                steps = {"accept_h": round(POLICY_HOURS[self._category(kind, template)][0] * rng.uniform(0.1, 0.9), 2)}
                self.add(kind, self.community(), template, self.historic(self.season(kind, template)), "rejected",
                         steps)  # fmt: skip
        for kind, n in CANCELLED.items():
            for _ in range(round(n * scale)):
                template = self.template(kind)
                steps = {"cancel_h": round(rng.uniform(1, 30), 2)}
                if kind != "appointment" and rng.random() < 0.5:
                    steps |= self.life(kind, self._category(kind, template), "open")
                self.add(kind, self.community(), template, self.historic(self.season(kind, template)), "cancelled",
                         steps)  # fmt: skip
        self._now_waiting()
        self._calibrate_served()
        self.plan.cases.extend(self.rows)

    def _category(self, kind: str, template: Sequence[object]) -> str:
        if kind == "appointment":
            item = template[0]
            return next(code for code, _n, _s, _h, items in defaults.CATEGORIES if any(i[0] == item for i in items))
        return str(template[0])

    def _specials(self) -> dict[str, int]:
        """The demo resident's own requests and the demo party member's claims; returns the deeds they make."""
        done = {kind: 0 for kind in DEEDS}
        resident = self.login["resident"].person
        if resident is not None:
            c = self.community_of[resident]
            hornet = next(t for t in T.DIFFICULTIES if t[1] == "hornet-nest")
            rating = RatingStep(5.5, 5, "satisfied", "来得很快，谢谢志愿者！")
            steps = self.life("difficulty", "environment", "fulfilled", quick=True) | {"ratings": (rating,)}
            self.add("difficulty", c, hornet, self.historic("summer"), "closed", steps, requester=resident,
                     login="resident", channel="portal")  # fmt: skip
            clinic = next(t for t in T.APPOINTMENTS if t[0] == "free-clinic")
            steps = self.life("appointment", "health", "fulfilled", quick=True)
            steps["ratings"] = (rating._replace(comment=""),)
            self.add("appointment", c, clinic, self.historic("year"), "closed", steps, requester=resident,
                     login="resident", channel="portal")  # fmt: skip
            charging = next(t for t in T.DIFFICULTIES if t[1] == "ebike-charging")
            self.add("difficulty", c, charging, self.recent(10, 20), "fulfilled",
                     self.life("difficulty", "safety", "fulfilled", quick=True), requester=resident,
                     login="resident", channel="portal")  # fmt: skip
            light = next(t for t in T.DIFFICULTIES if t[7] == "楼道照明灯坏了")
            self.add("difficulty", c, light, self.recent(0.3, 0.6), "pending", {}, requester=resident,
                     login="resident", channel="portal")  # fmt: skip
            done["difficulty"] += 2
            done["appointment"] += 1
        member = self.login["party_member"].person
        if member is not None:
            c = self.community_of[member]
            for _ in range(5):
                template = self.template("micro_wish")
                steps = self.life("micro_wish", str(template[0]), "fulfilled", quick=True)
                steps["ratings"] = (self.rating(),)
                self.add("micro_wish", c, template, self.historic(str(template[3])), "closed", steps,
                         claimer=f"p:{member}")  # fmt: skip
            template = self.template("micro_wish")
            self.add("micro_wish", c, template, self.recent(26, 50), "in_progress",
                     self.life("micro_wish", str(template[0]), "in_progress", quick=True) | {"fulfil_h": -1.0},
                     claimer=f"p:{member}")  # fmt: skip
            done["micro_wish"] += 5
        return done

    def _now_waiting(self) -> None:
        """What every community has open at the build moment; a few cases of other kinds in progress."""
        rng = self.rng
        for c in range(len(self.layout.communities)):
            for _ in range(rng.randint(*WALL_WISHES)):
                t = self.template("micro_wish")
                self.add("micro_wish", c, t, self.recent(4, 150), "open", self.life("micro_wish", str(t[0]), "open"))
            for _ in range(rng.randint(*PENDING_WISHES)):
                self.add("micro_wish", c, self.template("micro_wish"), self.recent(0.3, 40), "pending", {})
            for _ in range(rng.randint(*CLAIMED_WISHES)):
                t = self.template("micro_wish")
                steps = self.life("micro_wish", str(t[0]), "in_progress", quick=True) | {"fulfil_h": -1.0}
                self.add("micro_wish", c, t, self.recent(20, 120), "in_progress", steps)
            if rng.random() < 0.6:
                t = self.template("difficulty")
                steps = self.life("difficulty", str(t[0]), "open")
                self.add("difficulty", c, t, self.recent(6, 60), "open", steps, station=True)
            if rng.random() < 0.4:
                t = self.template("grid_event")
                steps = self.life("grid_event", str(t[0]), "in_progress", quick=True) | {"fulfil_h": -1.0}
                self.add("grid_event", c, t, self.recent(2, 240), "in_progress", steps)
            if rng.random() < 0.3:
                t = self.template("appointment")
                self.add("appointment", c, t, self.recent(0.5, 5), "pending", {})

    def _calibrate_served(self) -> None:
        """Scale the residents served by group services so that the year adds up to the source's 26,000."""
        target = round(RESIDENTS_SERVED * self.scale)
        small = sum(r.served for r in self.rows if r.served <= 2)
        big = [i for i, r in enumerate(self.rows) if r.served > 2]
        have = sum(self.rows[i].served for i in big)
        if not big or have == 0:
            return
        factor = max(target - small, 3 * len(big)) / have
        for i in big:
            self.rows[i] = self.rows[i]._replace(served=max(3, round(self.rows[i].served * factor)))
        gap = target - small - sum(self.rows[i].served for i in big)
        step = 1 if gap > 0 else -1
        n = 0
        while gap and n < 10 * len(big):
            i = big[n % len(big)]
            if self.rows[i].served + step >= 3:
                self.rows[i] = self.rows[i]._replace(served=self.rows[i].served + step)
                gap -= step
            n += 1


def plan_cases(plan: DemoPlan, layout: Layout, orgs: Orgs, stations: Stations, rng: random.Random) -> None:
    CasePlanner(plan, layout, orgs, stations, rng).run()
