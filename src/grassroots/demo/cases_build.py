"""Write the demo's catalogue and its year of cases in bulk, row for row as the services would have written them.

Calling ``case_submit`` … ``case_rate`` ten thousand times would take minutes (each call locks, audits and notifies),
so each case's life is replayed here in memory through the same transitions: scope columns from the place, the
grid and first handler as ``cases.routing`` finds them, deadlines from ``cases.sla.add_hours`` and the SLA policy,
the SLA sweep (every five minutes: escalate what is overdue, close what was left unrated) between steps, one
timeline event per transition and a claim row per claim. One audit row records the load.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.accounts.models import User
from grassroots.cases import sla
from grassroots.cases.enums import CLAIMABLE_KINDS, CaseKind, CaseLevel, CaseStatus, ClaimOutcome, EventKind
from grassroots.cases.models import Case, CaseClaim, CaseEvent
from grassroots.cases.services.intake import KIND_PREFIX
from grassroots.catalogue.enums import FirstHandler
from grassroots.catalogue.models import RedRopeStation, ServiceBrand, ServiceCategory, ServiceItem
from grassroots.catalogue.services import catalogue_install_defaults
from grassroots.core.audit import audit_record
from grassroots.core.models import AuditAction
from grassroots.core.personal_data import lookup_hash, mask_name
from grassroots.demo.case_texts import ANSWERS
from grassroots.demo.plan import CaseRow, DemoPlan
from grassroots.organizations.models import Organization
from grassroots.territory.models import Grid, Region

M = TypeVar("M", bound=Model)
BATCH = 2000
ACTIVE = (CaseStatus.PENDING, CaseStatus.OPEN, CaseStatus.IN_PROGRESS)
SWEEP_SECONDS = 300  # the sweep task runs every five minutes


def write_catalogue(plan: DemoPlan, *, region: dict[str, Region], org: dict[str, Organization]) -> dict[str, int]:
    """The default catalogue, its providers, the brands and the stations; returns station name → id."""
    catalogue_install_defaults(actor=None)
    item = dict(ServiceItem.objects.values_list("code", "pk"))
    Providers = ServiceItem.providers.through
    Providers.objects.bulk_create(
        [Providers(serviceitem_id=item[r.item_code], organization_id=org[r.organization_code].pk) for r in plan.item_providers]
    )  # fmt: skip
    category = dict(ServiceCategory.objects.values_list("code", "pk"))
    brands: list[ServiceBrand] = []
    for row in plan.brands:
        brand = ServiceBrand(name=row.name, description=row.description, region=region[row.community_code],
                             category_id=category[row.category_code])  # fmt: skip
        brand.copy_scope_from(region[row.community_code])
        brands.append(brand)
    ServiceBrand.objects.bulk_create(brands)
    if brands and brands[0].pk is None:
        found = dict(ServiceBrand.objects.values_list("name", "pk"))
        for brand in brands:
            brand.pk = found[brand.name]
    BrandProviders = ServiceBrand.providers.through
    BrandProviders.objects.bulk_create(
        [BrandProviders(servicebrand_id=b.pk, organization_id=org[code].pk)
         for b, row in zip(brands, plan.brands, strict=True) for code in row.provider_codes]
    )  # fmt: skip
    stations: list[RedRopeStation] = []
    for srow in plan.stations:
        station = RedRopeStation(name=srow.name, region=region[srow.region_code], location=srow.location,
                                 opening_hours=srow.opening_hours)  # fmt: skip
        station.copy_scope_from(region[srow.region_code])
        stations.append(station)
    RedRopeStation.objects.bulk_create(stations)
    return dict(RedRopeStation.objects.values_list("name", "pk"))


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
        for g in grid_by_code:
            self.first_grid.setdefault(g.community_id, g)
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

    def grid_for(self, code: str, community_id: int) -> Grid | None:
        for place in self.chain(code):
            if place in self.area_grid:
                return self.area_grid[place]
        return self.first_grid.get(community_id)

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
        self.claims: list[CaseClaim] = []
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
            CaseClaim(claimer_person_id=self.f["claimer_person_id"], claimer_org=org, claimed_by=user, claimed_at=at,
                      release_by=self.resolution_due, outcome=ClaimOutcome.ACTIVE)
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
            if claim.outcome == ClaimOutcome.ACTIVE:
                claim.outcome = ClaimOutcome.FULFILLED
        self.event(EventKind.FULFILLED, at, user=user, label=label, before=CaseStatus.IN_PROGRESS, note=self.row.note,
                   data={"residents_served": self.row.served, "photos": 0})  # fmt: skip

    def rate(self, at: dt.datetime, stars: int, satisfaction: str, comment: str) -> None:
        self.sweep(at)
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
                if claim.outcome == ClaimOutcome.FULFILLED:
                    claim.outcome = ClaimOutcome.ACTIVE
        else:
            self.status = CaseStatus.CLOSED
            self.f["closed_at"] = at
        self.event(EventKind.RATED, at, user=user, label=label, before=CaseStatus.FULFILLED, note=comment.strip(),
                   data={"stars": stars, "satisfaction": satisfaction, "by_resident": by_resident})  # fmt: skip
        if self.status == CaseStatus.IN_PROGRESS:
            self.event(EventKind.REOPENED, at, label=_("System"), before=CaseStatus.FULFILLED,
                       note=_("The resident is not satisfied; the case is reopened."))  # fmt: skip


def _month_moment(month: int, frac: float, minute: int, now: dt.datetime) -> dt.datetime:
    """``frac`` of the way through the calendar month ``month`` within the year before ``now``, at ``minute``."""
    tz = timezone.get_current_timezone()
    start, end = (
        timezone.localtime(now - dt.timedelta(days=365), tz),
        timezone.localtime(now - dt.timedelta(days=1), tz),
    )
    spans: list[tuple[dt.datetime, dt.datetime]] = []
    for year in range(start.year, end.year + 1):
        first = dt.datetime(year, month, 1, tzinfo=tz)
        following = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
        lo, hi = max(first, start), min(following, end)
        if hi > lo:
            spans.append((lo, hi))
    offset = sum((hi - lo for lo, hi in spans), dt.timedelta()) * frac
    moment = end
    for lo, hi in spans:
        if offset < hi - lo:
            moment = lo + offset
            break
        offset -= hi - lo
    day = timezone.localtime(moment, tz).date()
    return dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=tz)


def _hours(value: float) -> dt.timedelta:
    return dt.timedelta(hours=value)


def replay(ctx: Context, row: CaseRow, index: int, submitted: dt.datetime) -> Life | None:
    """The case's life from ``submitted``; None when a step would fall after the build moment."""
    from grassroots.demo.case_texts import ESCALATE_REASONS

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


def _case(ctx: Context, life: Life, pk: int) -> dict[str, Any]:
    """The case's columns (by attribute name) as ``case_submit`` and the flow services leave them."""
    row, f, place = life.row, life.f, life.place
    person = ctx.plan.persons[row.requester] if row.requester >= 0 else None
    mobile = person.mobile if person is not None and row.channel in ("portal", "phone") else ""

    def pk_of(obj: Any) -> int | None:
        return obj.pk if obj is not None else None

    return {
        "id": pk, "number": f"{KIND_PREFIX[CaseKind(row.kind)]}{timezone.localtime(life.submitted):%Y%m%d}{pk:06d}",
        "kind": row.kind, "status": str(life.status), "channel": row.channel, "need_group": row.need_group,
        "category_id": life.category.pk, "item_id": pk_of(life.item), "title": row.title,
        "description": row.description,
        "attributes": dict(ANSWERS.get(row.item, {})) if life.item is not None else {},
        "place_id": place.pk, "grid_id": pk_of(life.grid),
        "station_id": ctx.stations.get(row.station) if row.station else None,
        "requester_id": ctx.person[row.requester] if person is not None else None,
        "requester_user_id": pk_of(life.requester_user), "requester_name": person.name[:50] if person else "",
        "contact_mobile": mobile or None, "contact_mobile_hash": lookup_hash(mobile) if mobile else "",
        "created_by_id": pk_of(f.get("created_by")), "level": int(life.level), "assignee_org_id": pk_of(life.assignee),
        "claimer_person_id": f.get("claimer_person_id"), "claimer_org_id": pk_of(f.get("claimer_org")),
        "claimer_user_id": pk_of(f.get("claimer_user")), "slot_start": f.get("slot_start"),
        "slot_end": f.get("slot_end"), "submitted_at": life.submitted, "verified_at": f.get("verified_at"),
        "response_due": life.response_due, "resolution_due": life.resolution_due,
        "responded_at": f.get("responded_at"), "claimed_at": f.get("claimed_at"),
        "fulfilled_at": f.get("fulfilled_at"), "closed_at": f.get("closed_at"),
        "next_escalation_at": life.next_escalation, "escalation_count": f["escalation_count"],
        "reopen_count": f["reopen_count"], "response_minutes": f.get("response_minutes"),
        "resolution_minutes": f.get("resolution_minutes"), "fulfilment_note": f.get("fulfilment_note", ""),
        "residents_served": f.get("residents_served", 0), "deed_at": f.get("deed_at"),
        "rating_stars": f.get("rating_stars"), "satisfaction": f.get("satisfaction", ""),
        "rating_resolved": f.get("rating_resolved"), "rating_comment": f.get("rating_comment", ""),
        "rated_at": f.get("rated_at"), "reject_reason": f.get("reject_reason", ""),
        "district_id": place.district_id, "street_id": place.street_id, "community_id": place.community_id,
        "compound_id": place.compound_id,
    }  # fmt: skip


def _instances(model: type[M], rows: list[dict[str, Any]]) -> list[M]:
    """Model instances from column values by attribute name (the rest take their defaults), built the quick way
    Django builds rows read from the database: ten thousand keyword constructions cost seconds."""
    fields = model._meta.concrete_fields
    missing = object()
    made: list[M] = []
    for row in rows:
        values = [row.get(f.attname, missing) for f in fields]
        made.append(model(*[f.get_default() if v is missing else v for v, f in zip(values, fields, strict=True)]))
    return made


def write_needs(
    plan: DemoPlan,
    *,
    region: dict[str, Region],
    grid: dict[str, Grid],
    org: dict[str, Organization],
    person: list[int],
    lap: Callable[[str], None],
) -> None:
    """The catalogue, then every planned case as of now (the build moment)."""
    stations = write_catalogue(plan, region=region, org=org)
    lap("catalogue")
    now = timezone.now()
    ctx = Context(plan=plan, now=now, region=region, grid=grid, person=person, stations=stations)
    minute = now.replace(second=0, microsecond=0)
    lives: list[Life] = []
    for index, row in enumerate(plan.cases):
        if row.month:
            start, step = _month_moment(row.month, row.frac, row.minute, now), dt.timedelta(days=1)
        else:
            start, step = minute - dt.timedelta(minutes=row.minute), dt.timedelta(hours=2)
        for attempt in range(200):
            life = replay(ctx, row, index, start - attempt * step)
            if life is not None:
                break
        else:
            raise RuntimeError(f"demo case {index} does not fit before now")
        if "slot_start" in life.f:
            key = (row.item, life.place.community_id or 0, life.f["slot_start"])
            ctx.slots[key] = ctx.slots.get(key, 0) + 1
        lives.append(life)
    lap("case timelines")
    lives.sort(key=lambda x: (x.submitted, x.index))
    first = (Case.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    cases = _instances(Case, [_case(ctx, life, first + n) for n, life in enumerate(lives)])
    Case.objects.bulk_create(cases, batch_size=BATCH)
    with connection.cursor() as cursor:  # explicit ids: move PostgreSQL's sequence past them
        for sql in connection.ops.sequence_reset_sql(no_style(), [Case]):
            cursor.execute(sql)
    events: list[dict[str, Any]] = []
    claims: list[CaseClaim] = []
    for case, life in zip(cases, lives, strict=True):
        for event in life.events:
            event["case_id"] = case.pk
            events.append(event)
        for claim in life.claims:
            claim.case_id = case.pk
            claims.append(claim)
    CaseEvent.objects.bulk_create(_instances(CaseEvent, events), batch_size=BATCH)
    CaseClaim.objects.bulk_create(claims, batch_size=BATCH)
    deeds = sum(1 for c in cases if c.deed_at is not None)
    audit_record(
        actor=None,
        action=AuditAction.IMPORT,
        detail=f"demo cases: {len(cases)} cases, {deeds} deeds, {sum(c.residents_served for c in cases)} served",
        scope_region=region[plan.regions[0].code],
    )
    lap("cases")
