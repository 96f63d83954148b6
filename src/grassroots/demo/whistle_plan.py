"""A year of whistles (吹哨报到): about 300 at scale 1, ten or so a community, a quarter of them blown for cases of
the case plan that ran late and were escalated, the rest on their own (joint enforcement, illegal construction,
burst pipes, dangerous trees, flooding, street vendors …).

Each whistle calls one to three departments (functional departments, a few public institutions, the street's
enforcement team, the compound's property company). Every department has a reliability drawn once, so some
report late (and are escalated to the street and the district), some handle late, and some are rated
dissatisfied with a reason. Times are minutes from the blow; ``demo.whistle_build`` turns them into rows as of the
build moment, so the most recent whistles are still open there (some overdue).
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass

from grassroots.demo import frontline_texts as T
from grassroots.demo import names as N
from grassroots.demo.cases_plan import POLICY_HOURS
from grassroots.demo.org_plan import Orgs
from grassroots.demo.plan import CallRow, CaseRow, DemoPlan, WhistleRow
from grassroots.demo.territory_plan import Layout

WHISTLES = 300  # at scale 1: 10–12 a community
MIN_WHISTLES = 40  # at small scales, enough for every outcome
FROM_CASES = 0.25
ACTIVE_CASES = 3  # whistles blown for cases still escalated and active at the build moment
RECENT = 0.03  # blown in the last five days: some still open at the build moment
CANCELLED = 0.015
STREET_BLOWN = 0.08  # blown by a street rather than a community
UNRATED = 0.05
CALL_COUNTS, CALL_WEIGHTS = [1, 2, 3], [30, 45, 25]
REPORT_MINUTES = {"urgent": 30, "normal": 24 * 60}  # the defaults of settings.WHISTLE_REPORT_MINUTES
# Department tiers: (weight, reports on time, handles on time, work well done).
TIERS = [(0.2, 0.97, 0.95, 0.95), (0.45, 0.9, 0.86, 0.88), (0.25, 0.78, 0.7, 0.75), (0.1, 0.55, 0.5, 0.55)]


@dataclass(frozen=True)
class Profile:
    report_ok: float
    handle_ok: float
    quality: float


def _road(address: str) -> str:
    return re.sub(r"\d+号$", "", address)


class WhistlePlanner:
    def __init__(self, plan: DemoPlan, layout: Layout, orgs: Orgs, rng: random.Random) -> None:
        self.plan, self.layout, self.orgs, self.rng = plan, layout, orgs, rng
        self.code_of = {o.name: o.code for o in plan.organizations}
        self.parent = {r.code: r.parent_code for r in plan.regions}
        self.community_index = {c.code: i for i, c in enumerate(layout.communities)}
        self.street_name = dict(zip(layout.street_codes, [name for name, _ in N.STREETS], strict=True))
        self.workers: dict[str, list[int]] = {}
        for role in plan.roles:
            if role.kind in ("community_worker", "community_secretary") and role.region_code:
                self.workers.setdefault(role.region_code, []).append(role.person)
        self.profiles: dict[str, Profile] = {}
        callable_codes = sorted(
            {self.department(name, 0, 0) for _t, _d, calls, *_rest in T.THEMES.values() for name, _task in calls
             if not name.startswith("@")}
            | set(orgs.property_companies)
            | {code for name, code in self.code_of.items() if name.endswith("综合行政执法队")}
        )  # fmt: skip
        for code in callable_codes:
            _w, report_ok, handle_ok, quality = rng.choices(TIERS, [t[0] for t in TIERS])[0]
            jitter = rng.uniform(-0.04, 0.03)
            self.profiles[code] = Profile(
                min(0.99, report_ok + jitter), min(0.99, handle_ok + jitter), min(0.99, quality + jitter)
            )

    def department(self, name: str, community: int, compound: int) -> str:
        """The organisation code of a department name ("@执法队", "@物业": the street's, the compound's)."""
        if name == T.ENFORCEMENT:
            street = self.layout.communities[community].street_code
            return self.code_of[f"{self.street_name[street]}综合行政执法队"]
        if name == T.PROPERTY:
            return self.orgs.property_of_compound[self.layout.compounds[compound].code]
        return self.code_of[name]

    # One call, one whistle

    def call(self, code: str, task: str, urgency: str, handle_m: int) -> CallRow:
        rng, profile = self.rng, self.profiles[code]
        due = REPORT_MINUTES[urgency]
        ack_m = -1 if rng.random() < 0.25 else max(1, round(due * rng.uniform(0.03, 0.35)))
        if rng.random() < profile.report_ok:
            report_m = max(ack_m + 1, round(due * rng.uniform(0.25, 0.97)))
        else:  # late: escalated to the street, and past two more hours to the district
            report_m = due + round(rng.uniform(8, 110) if rng.random() < 0.6 else rng.uniform(135, 600))
        reported_on_time = report_m <= due
        if rng.random() < profile.handle_ok and handle_m - report_m > 60:
            feedback_m = report_m + round((handle_m - report_m) * rng.uniform(0.2, 0.95))
        else:
            feedback_m = max(handle_m, report_m) + round(rng.uniform(60, 48 * 60))
        handled_on_time = feedback_m <= handle_m
        rating, reason = "", ""
        if rng.random() >= UNRATED:
            good = profile.quality if reported_on_time and handled_on_time else profile.quality - 0.3
            r = rng.random()
            rating = "satisfied" if r < good else "basic" if r < good + (1 - good) * 0.65 else "dissatisfied"
            if rating != "satisfied":
                reason = rng.choice(T.RATING_REASONS[rating])
        people = rng.choice(T.ON_SITE).format(name=self.plan.persons[rng.randrange(len(self.plan.persons))].name,
                                              n=rng.randint(2, 8))  # fmt: skip
        return CallRow(
            department_code=code, task=task, ack_m=ack_m, report_m=report_m, feedback_m=feedback_m,
            on_site_people=people, report_note=rng.choice(T.REPORT_NOTES),
            feedback_note=rng.choice(T.FEEDBACK_NOTES), rating=rating, reason=reason,
            rate_m=round(rng.uniform(10, 36 * 60)),
        )  # fmt: skip

    def whistle(self, theme_key: str, c: int, *, recent: bool, case: int = -1, case_row: CaseRow | None = None,
                street: bool = False) -> WhistleRow:  # fmt: skip
        rng, layout = self.rng, self.layout
        title, text, candidates, urgent_share, (low, high), _weight = T.THEMES[theme_key]
        community = layout.communities[c]
        k = rng.choice(community.compounds)
        compound = layout.compounds[k]
        place = {"place": _road(compound.road_address), "compound": compound.name}
        if case_row is not None:
            title = T.CASE_WHISTLE_TITLE.format(title=case_row.title)
            text = T.CASE_WHISTLE_TEXT.format(text=case_row.description)
            urgency = "urgent" if rng.random() < 0.7 else "normal"
        else:
            title, text = title.format(**place), text.format(**place)
            urgency = "urgent" if rng.random() < urgent_share else "normal"
        handle_m = round(rng.uniform(low, high) * 60)
        if urgency == "normal":
            handle_m = max(handle_m, 36 * 60)
        lead, *others = candidates
        count = min(len(candidates), rng.choices(CALL_COUNTS, CALL_WEIGHTS)[0])
        chosen = [lead, *rng.sample(others, count - 1)]
        codes: list[str] = []
        calls: list[CallRow] = []
        for name, task in chosen:
            code = self.department(name, c, k)
            if code not in codes:
                codes.append(code)
                calls.append(self.call(code, task, urgency, handle_m))
        workers = self.workers.get(community.code) or [0]
        if recent:
            days, minute = 0, rng.randint(20, 5 * 24 * 60)
        else:
            early = 6 * 60 if urgency == "urgent" else 8 * 60 + 30
            days, minute = rng.randint(2, 364), rng.randint(early, 20 * 60)
        cancelled = case < 0 and rng.random() < CANCELLED
        region = community.street_code if street else community.code
        return WhistleRow(
            region_code=region, title=title[:100], description=text, urgency=urgency, days=days, minute=minute,
            handle_m=handle_m, raiser=rng.choice(workers), case=case,
            outcome="cancelled" if cancelled else "closed",
            close_m=round(rng.uniform(30, 360)) if cancelled else round(rng.uniform(30, 24 * 60)),
            close_note=rng.choice(T.CANCEL_REASONS if cancelled else T.CLOSE_NOTES), calls=tuple(calls),
        )  # fmt: skip

    # The year

    def escalated_cases(self) -> tuple[list[int], list[int]]:
        """Cases of the plan that run late and are escalated: closed ones of the past year, active ones of now."""
        past: list[int] = []
        active: list[int] = []
        for i, row in enumerate(self.plan.cases):
            if row.kind not in ("difficulty", "grid_event") or row.item not in T.CASE_THEMES:
                continue
            if row.outcome == "closed" and row.month and row.refulfil_h < 0 and len(row.ratings) == 1:
                late_response = row.accept_h > POLICY_HOURS[row.category][0]
                if row.late_h >= 0 or row.escalate_h >= 0 or late_response:
                    past.append(i)
            elif row.outcome == "in_progress" and not row.month and row.kind == "grid_event":
                active.append(i)
        return past, active

    def community_of_place(self, code: str) -> int:
        while code not in self.community_index:
            parent = self.parent[code]
            assert parent is not None, code
            code = parent
        return self.community_index[code]

    def run(self) -> None:
        rng, plan = self.rng, self.plan
        total = max(MIN_WHISTLES, round(WHISTLES * plan.scale))
        past, active = self.escalated_cases()
        from_active = rng.sample(active, min(ACTIVE_CASES, len(active)))
        from_past = rng.sample(past, min(len(past), max(0, round(total * FROM_CASES) - len(from_active))))
        recent = max(4, round(total * RECENT))
        themes = list(T.THEMES)
        weights = [T.THEMES[t][5] for t in themes]
        communities = len(self.layout.communities)
        rows: list[WhistleRow] = []
        for n, case in enumerate(sorted(from_past) + sorted(from_active)):
            crow = plan.cases[case]
            c = self.community_of_place(crow.place_code)
            rows.append(self.whistle(T.CASE_THEMES[crow.item], c, recent=n >= len(from_past), case=case, case_row=crow))
        blown = Counter(self.community_index.get(row.region_code, -1) for row in rows)
        for n in range(total - len(rows)):
            theme = rng.choices(themes, weights)[0]
            street = theme in ("joint-enforcement", "wage-arrears", "night-construction") and rng.random() < 0.5
            street = street or rng.random() < STREET_BLOWN / 3
            # Spread over the communities: the one that has blown fewest so far (a street's counts for neither).
            c = min(range(communities), key=lambda i: (blown[i], (i - n) % communities))
            if not street:
                blown[c] += 1
            row = self.whistle(theme, c, recent=n < recent, street=street)
            rows.append(self.overdue(row) if n < recent and n % 2 == 0 else row)
        plan.whistles.extend(rows)

    def overdue(self, row: WhistleRow) -> WhistleRow:
        """A recent whistle with a department that has still not reported on site at the build moment."""
        rng = self.rng
        due = REPORT_MINUTES[row.urgency]
        minute = max(row.minute, due + rng.randint(15, 300))  # blown this long before the build
        late, *rest = row.calls
        report_m = minute + rng.randint(60, 24 * 60)
        late = late._replace(ack_m=-1 if rng.random() < 0.5 else late.ack_m, report_m=report_m,
                             feedback_m=report_m + rng.randint(120, 48 * 60))  # fmt: skip
        return row._replace(minute=minute, outcome="closed", calls=(late, *rest))


def plan_whistles(plan: DemoPlan, layout: Layout, orgs: Orgs, rng: random.Random) -> None:
    WhistlePlanner(plan, layout, orgs, rng).run()
