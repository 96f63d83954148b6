"""Replaying a demo case's life in memory, row for row as the services would have written it.

Calling ``case_submit`` … ``case_rate`` ten thousand times would take minutes (each call locks, audits and notifies),
so each case goes through the same transitions here: scope columns from the place, the grid and first handler as
``cases.routing`` finds them, deadlines from ``cases.sla.add_hours`` and the SLA policy, the SLA sweep (every five
minutes: escalate what is overdue, close what was left unrated) between steps, one timeline event per transition
and a claim row per claim. ``demo.cases_build`` writes the result in bulk.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from grassroots.accounts.models import User
from grassroots.cases import sla
from grassroots.cases.enums import CLAIMABLE_KINDS, CaseKind, CaseLevel, CaseStatus, ClaimOutcome, EventKind
from grassroots.catalogue.enums import FirstHandler
from grassroots.catalogue.models import ServiceCategory, ServiceItem
from grassroots.core.personal_data import mask_name
from grassroots.demo.case_texts import ESCALATE_REASONS
from grassroots.demo.plan import CaseRow, DemoPlan
from grassroots.organizations.models import Organization
from grassroots.territory.models import Grid, Region

ACTIVE = (CaseStatus.PENDING, CaseStatus.OPEN, CaseStatus.IN_PROGRESS)
SWEEP_SECONDS = 300  # the sweep task runs every five minutes


def _ceil(moment: dt.datetime, seconds: int) -> dt.datetime:
    stamp = math.ceil(moment.timestamp() / seconds) * seconds
    return dt.datetime.fromtimestamp(stamp, tz=dt.UTC)


def _minutes(start: dt.datetime, end: dt.datetime) -> int:
    return max(int((end - start).total_seconds() // 60), 0)


@dataclass
class Context:
    """What every case's replay looks up: places, grids, first handlers, policies, people and logins."""

    plan: DemoPlan
    now: dt.datetime
    region: dict[str, Region]
    grid: dict[str, Grid]
    person: list[int]  # person index → id
    stations: dict[str, int]
    users: dict[int, User] = field(default_factory=dict)  # person index → login
    slots: dict[tuple[str, int, dt.datetime], int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        plan = self.plan
        self.parent = {r.code: r.parent_code for r in plan.regions}
        self.kind = {r.code: r.kind for r in plan.regions}
        self.code_by_id = {r.pk: code for code, r in self.region.items()}
        self.categories = {c.code: c for c in ServiceCategory.objects.select_related("sla_policy")}
        self.items = {i.code: i for i in ServiceItem.objects.select_related("sla_policy", "category__sla_policy")}
        grid_by_code = sorted(self.grid.values(), key=lambda g: g.code)
        self.area_grid: dict[str, Grid] = {}
        for g in plan.grids:
            for code in g.area_codes:
                if code not in self.area_grid or g.code < self.area_grid[code].code:
                    self.area_grid[code] = self.grid[g.code]
        self.first_grid: dict[int, Grid] = {}
        for found in grid_by_code:
            self.first_grid.setdefault(found.community_id, found)
        self.branch: dict[int, Organization] = {}
        for o in Organization.objects.filter(kind="branch", region__kind="compound").order_by("-code"):
            self.branch[o.region_id] = o
        self.property: dict[int, Organization] = {}
        served = Organization.served_compounds.through.objects.filter(organization__kind="property_company")
        orgs = {o.pk: o for o in Organization.objects.filter(kind="property_company")}
        for region_id, org_id in served.order_by("-organization__code").values_list("region_id", "organization_id"):
            self.property[region_id] = orgs[org_id]
        self.org_by_code = {o.code: o for o in Organization.objects.filter(code__in=self._claimer_codes())}
        self.names = {r.code: r.name for r in plan.regions}
        self.grid_worker = {
            r.grid_code: r.person for r in plan.roles if r.kind == "grid_worker" and r.employment == "full_time"
        }
        self.workers: dict[str, list[int]] = {}
        for r in plan.roles:
            if r.kind in ("community_worker", "community_secretary") and r.region_code:
                self.workers.setdefault(r.region_code, []).append(r.person)
        self.building_head = {r.region_code: r.person for r in plan.roles if r.kind == "building_head"}
        logins = {row.username: row for row in plan.logins}
        users = {u.username: u for u in User.objects.filter(username__in=list(logins))}
        self.users = {
            row.person: users[name] for name, row in logins.items() if row.person is not None and name in users
        }
        self.street_staff = {row.region_code: row.person for row in plan.logins if row.role == "street_staff"}  # fmt: skip

    def _claimer_codes(self) -> list[str]:
        return sorted({c.claimer[2:] for c in self.plan.cases if c.claimer.startswith("o:")})

    def code_of(self, region_id: int | None) -> str:
        return self.code_by_id.get(region_id or 0, "")

    def chain(self, code: str | None) -> list[str]:
        """The place and its ancestors up to the compound, deepest first."""
        found: list[str] = []
        while code and self.kind.get(code) in ("entrance", "building", "compound"):
            found.append(code)
            code = self.parent.get(code)
        return found

    def grid_for(self, code: str, community_id: int | None) -> Grid | None:
        for place in self.chain(code):
            if place in self.area_grid:
                return self.area_grid[place]
        return self.first_grid.get(community_id or 0)

    def who(self, person: int | None, fallback: str = "") -> tuple[User | None, str]:
        """The login of a person (if they have one) and the label the timeline shows for them."""
        if person is None:
            return None, fallback
        return self.users.get(person), self.plan.persons[person].name


class Life:
    """One case replayed through the services' transitions; the sweep runs between steps."""

    def __init__(self, ctx: Context, row: CaseRow, index: int, submitted: dt.datetime) -> None:
        self.ctx, self.row, self.index = ctx, row, index
        category = ctx.categories[row.category]
        self.item = ctx.items.get(row.item)
        policy = self.item.effective_sla if self.item is not None else category.sla_policy
        self.working = policy.hours_kind == "working"
        self.policy = policy
        place = ctx.region[row.place_code]
        self.place = place
        self.grid = ctx.grid_for(row.place_code, place.community_id)
        self.assignee: Organization | None = None
        if category.first_handler == FirstHandler.COMPOUND_BRANCH and place.compound_id:
            self.assignee = ctx.branch.get(place.compound_id)
        elif category.first_handler == FirstHandler.PROPERTY_COMPANY and place.compound_id:
            self.assignee = ctx.property.get(place.compound_id)
        self.level = CaseLevel.COMMUNITY if category.first_handler == FirstHandler.COMMUNITY else CaseLevel.GRID
        self.category = category
        self.status = CaseStatus.PENDING
        self.submitted = submitted
        self.response_due = self.after(submitted, policy.response_hours)
        self.resolution_due = self.after(submitted, policy.resolution_hours)
        self.next_escalation: dt.datetime | None = self.response_due
        self.events: list[dict[str, Any]] = []
        self.claims: list[dict[str, Any]] = []
        self.f: dict[str, Any] = {"escalation_count": 0, "reopen_count": 0}
        self.requester_user = ctx.users.get(row.requester) if row.requester_login else None
        self.last = submitted

    def after(self, start: dt.datetime, hours: float) -> dt.datetime:
        return sla.add_hours(start, hours, working=self.working)

    def event(self, kind: str, at: dt.datetime, *, user: User | None = None, label: str = "", before: str = "",
              note: str = "", data: dict[str, Any] | None = None) -> None:  # fmt: skip
        self.events.append(
            {"kind": str(kind), "at": at, "actor_id": user.pk if user is not None else None,
             "actor_label": label[:100], "from_status": str(before), "to_status": str(self.status),
             "note": note[:500], "public": True, "data": data or {}}
        )  # fmt: skip
        self.last = max(self.last, at)

    def handler(self) -> tuple[User | None, str]:
        """Who acts for the rung the case is at: the handling organisation, the grid worker, community, street."""
        ctx = self.ctx
        if self.level == CaseLevel.GRID:
            if self.assignee is not None:
                return None, self.assignee.name
            return ctx.who(ctx.grid_worker.get(self.grid.code) if self.grid else None)
        if self.level == CaseLevel.COMMUNITY:
            workers = ctx.workers.get(ctx.code_of(self.place.community_id), [])
            return ctx.who(workers[self.index % len(workers)] if workers else None)
        street_code = ctx.code_of(self.place.street_id)
        return ctx.who(ctx.street_staff.get(street_code), ctx.names.get(street_code, ""))

    def sweep(self, until: dt.datetime) -> None:
        days = int(getattr(settings, "CASES_AUTO_CLOSE_DAYS", 7))
        while True:
            due = _ceil(self.next_escalation, SWEEP_SECONDS) if self.next_escalation else None
            if self.status in ACTIVE and self.level < CaseLevel.STREET and due is not None and due <= until:
                overdue = (
                    _("Response deadline passed") if "responded_at" not in self.f else _("Resolution deadline passed")
                )
                self.escalate(due, overdue, auto=True)
                continue
            if self.status == CaseStatus.FULFILLED:
                close = _ceil(self.f["fulfilled_at"] + dt.timedelta(days=days), SWEEP_SECONDS)
                if close <= until:
                    self.status = CaseStatus.CLOSED
                    self.f["closed_at"] = close
                    note = _("Closed without a rating after %(days)d days.") % {"days": days}
                    self.event(EventKind.CLOSED, close, label=_("System"), before=CaseStatus.FULFILLED, note=note)
                    continue
            return

    def escalate(self, at: dt.datetime, reason: str, *, auto: bool) -> None:
        user, label = (None, _("System")) if auto else self.handler()
        before = self.level
        self.level = CaseLevel(before + 1)
        self.f["escalation_count"] += 1
        self.assignee = None
        self.next_escalation = self.after(at, self.policy.resolution_hours) if self.level < CaseLevel.STREET else None
        self.event(EventKind.ESCALATED, at, user=user, label=label, before=self.status, note=reason,
                   data={"from_level": before, "to_level": int(self.level), "auto": auto})  # fmt: skip

    def submit(self) -> None:
        row, ctx, at = self.row, self.ctx, self.submitted
        user: User | None
        if self.requester_user is not None:
            user, label = self.requester_user, mask_name(ctx.plan.persons[row.requester].name)
        elif row.channel == "grid_worker":
            user, label = ctx.who(ctx.grid_worker.get(self.grid.code) if self.grid else None)
        elif row.channel == "building_head" and self.place.kind != "compound":
            building = row.place_code if self.place.kind == "building" else row.place_code[:-2]
            user, label = ctx.who(ctx.building_head.get(building))
        else:
            workers = ctx.workers.get(ctx.code_of(self.place.community_id), [])
            user, label = ctx.who(workers[self.index % len(workers)] if workers else None)
        self.f["created_by"] = user
        self.event(EventKind.SUBMITTED, at, user=user, label=label, data={"channel": row.channel, "photos": 0})
        if self.assignee is not None:
            handler = self.assignee.name
        elif self.level == CaseLevel.GRID and self.grid is not None:
            handler = self.grid.name
        else:
            handler = ctx.names.get(ctx.code_of(self.place.community_id), "")
        note = _("Routed to %(level)s %(handler)s") % {"level": CaseLevel(self.level).label, "handler": handler}
        data = {"level": int(self.level), "grid": self.grid.pk if self.grid else None,
                "org": self.assignee.pk if self.assignee else None}  # fmt: skip
        self.event(EventKind.ROUTED, at, label=_("System"), note=note, data=data)

    def respond(self, at: dt.datetime) -> None:
        if "responded_at" not in self.f:
            self.f["responded_at"] = at
            self.f["response_minutes"] = _minutes(self.submitted, at)

    def accept(self, at: dt.datetime) -> None:
        self.sweep(at)
        user, label = self.handler()
        self.status = CaseStatus.OPEN if self.row.kind in CLAIMABLE_KINDS else CaseStatus.IN_PROGRESS
        self.f["verified_at"] = at
        self.respond(at)
        self.next_escalation = self.resolution_due
        self.event(EventKind.ACCEPTED, at, user=user, label=label, before=CaseStatus.PENDING)

    def reject(self, at: dt.datetime) -> None:
        self.sweep(at)
        user, label = self.handler()
        self.status = CaseStatus.REJECTED
        self.f.update(reject_reason=self.row.note[:200], closed_at=at)
        self.next_escalation = None
        self.respond(at)
        self.event(EventKind.REJECTED, at, user=user, label=label, before=CaseStatus.PENDING, note=self.row.note)

    def cancel(self, at: dt.datetime) -> None:
        self.sweep(at)
        before = self.status
        user, label = (
            (self.requester_user, self.ctx.plan.persons[self.row.requester].name)
            if self.requester_user
            else self.handler()
        )
        self.status = CaseStatus.CANCELLED
        self.f["closed_at"] = at
        self.next_escalation = None
        self.event(EventKind.CANCELLED, at, user=user, label=label, before=before, note=self.row.note)

    def claim(self, at: dt.datetime) -> None:
        self.sweep(at)
        ctx, who = self.ctx, self.row.claimer
        person = int(who[2:]) if who.startswith("p:") else None
        org = ctx.org_by_code[who[2:]] if who.startswith("o:") else None
        user = ctx.users.get(person) if person is not None else None
        label = org.name if org is not None else ctx.plan.persons[person or 0].name
        self.status = CaseStatus.IN_PROGRESS
        self.f.update(claimer_person_id=ctx.person[person] if person is not None else None,
                      claimer_org=org, claimer_user=user, claimed_at=at)  # fmt: skip
        self.claims.append(
            {"claimer_person_id": self.f["claimer_person_id"], "claimer_org_id": org.pk if org else None,
             "claimed_by_id": user.pk if user else None, "claimed_at": at, "release_by": self.resolution_due,
             "outcome": str(ClaimOutcome.ACTIVE)}
        )  # fmt: skip
        self.event(EventKind.CLAIMED, at, user=user, label=label, before=CaseStatus.OPEN)

    def doer(self) -> tuple[User | None, str]:
        """Who records fulfilment: the claimer, or the handler when nobody claimed."""
        if "claimed_at" in self.f:
            user = self.f["claimer_user"]
            org = self.f["claimer_org"]
            if user is not None:
                return user, self.ctx.plan.persons[int(self.row.claimer[2:])].name
            return None, org.name if org is not None else self.ctx.plan.persons[int(self.row.claimer[2:])].name
        return self.handler()

    def fulfil(self, at: dt.datetime) -> None:
        self.sweep(at)
        user, label = self.doer()
        self.status = CaseStatus.FULFILLED
        self.f.update(fulfilment_note=self.row.note, fulfilled_at=at, resolution_minutes=_minutes(self.submitted, at))
        self.next_escalation = None
        if "deed_at" not in self.f:
            self.f.update(deed_at=at, residents_served=self.row.served)
        for claim in self.claims:
            if claim["outcome"] == ClaimOutcome.ACTIVE:
                claim["outcome"] = str(ClaimOutcome.FULFILLED)
        self.event(EventKind.FULFILLED, at, user=user, label=label, before=CaseStatus.IN_PROGRESS, note=self.row.note,
                   data={"residents_served": self.row.served, "photos": 0})  # fmt: skip

    def rate(self, at: dt.datetime, stars: int, satisfaction: str, comment: str) -> None:
        self.sweep(at)
        user: User | None
        if self.requester_user is not None:
            user, label, by_resident = self.requester_user, self.ctx.plan.persons[self.row.requester].name, True
        else:  # taken on a follow-up call by the community
            workers = self.ctx.workers.get(self.ctx.code_of(self.place.community_id), [])
            user, label = self.ctx.who(workers[(self.index + 1) % len(workers)] if workers else None)
            by_resident = False
        self.f.update(rating_stars=stars, satisfaction=satisfaction, rating_resolved=satisfaction != "dissatisfied",
                      rating_comment=comment.strip(), rated_at=at)  # fmt: skip
        if satisfaction == "dissatisfied":
            self.status = CaseStatus.IN_PROGRESS
            self.f["reopen_count"] += 1
            self.f["fulfilled_at"] = None
            self.resolution_due = self.after(at, self.policy.resolution_hours)
            self.next_escalation = self.resolution_due
            for claim in self.claims:
                if claim["outcome"] == ClaimOutcome.FULFILLED:
                    claim["outcome"] = str(ClaimOutcome.ACTIVE)
        else:
            self.status = CaseStatus.CLOSED
            self.f["closed_at"] = at
        self.event(EventKind.RATED, at, user=user, label=label, before=CaseStatus.FULFILLED, note=comment.strip(),
                   data={"stars": stars, "satisfaction": satisfaction, "by_resident": by_resident})  # fmt: skip
        if self.status == CaseStatus.IN_PROGRESS:
            self.event(EventKind.REOPENED, at, label=_("System"), before=CaseStatus.FULFILLED,
                       note=_("The resident is not satisfied; the case is reopened."))  # fmt: skip


def _hours(value: float) -> dt.timedelta:
    return dt.timedelta(hours=value)


def replay(ctx: Context, row: CaseRow, index: int, submitted: dt.datetime) -> Life | None:
    """The case's life from ``submitted``; None when a step would fall after the build moment."""
    life = Life(ctx, row, index, submitted)
    if row.kind == CaseKind.APPOINTMENT and life.item is not None:
        slot = _ceil(life.after(submitted, max(row.slot_h, 0.5)), 1800)
        capacity = life.item.slot_capacity or 0
        while capacity and ctx.slots.get((row.item, life.place.community_id or 0, slot), 0) >= capacity:
            slot += dt.timedelta(minutes=30)
        life.f.update(slot_start=slot, slot_end=slot + dt.timedelta(minutes=life.item.slot_minutes or 30))
    life.submit()
    accepted = submitted
    if row.outcome == "rejected":
        life.reject(life.after(submitted, row.accept_h))
    elif row.outcome != "pending":
        if row.accept_h >= 0:
            accepted = life.after(submitted, row.accept_h)
            life.accept(accepted)
        if row.outcome == "cancelled":
            life.cancel(life.last + _hours(row.cancel_h))
        elif row.outcome != "open":
            if row.claim_h >= 0 and row.claimer:
                life.claim(accepted + _hours(row.claim_h))
            if row.escalate_h >= 0:
                at = max(accepted + _hours(row.escalate_h), life.last + dt.timedelta(minutes=1))
                life.sweep(at)
                if life.status in ACTIVE and life.level < CaseLevel.STREET:
                    life.escalate(at, ESCALATE_REASONS[0 if life.level == CaseLevel.GRID else 1], auto=False)
            done: dt.datetime | None = None
            if row.late_h >= 0:
                done = life.resolution_due + _hours(row.late_h)
            elif row.fulfil_h >= 0:
                done = life.f.get("slot_end", life.last) + _hours(row.fulfil_h)
            if done is not None:
                life.fulfil(done)
                for rating in row.ratings:
                    rated = done + _hours(rating.hours)
                    life.rate(rated, rating.stars, rating.satisfaction, rating.comment)
                    if rating.satisfaction != "dissatisfied":
                        break
                    if row.refulfil_h < 0:
                        break
                    done = rated + _hours(row.refulfil_h)
                    life.fulfil(done)
    if life.last >= ctx.now - dt.timedelta(minutes=1):
        return None
    life.sweep(ctx.now)
    return life
