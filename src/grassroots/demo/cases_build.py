"""Write the demo's catalogue and its year of cases in bulk: each case replayed by ``demo.cases_life`` as of the
build moment, then inserted with its timeline events and claims. One audit row records the load.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max, Model
from django.utils import timezone

from grassroots.cases.enums import CaseKind
from grassroots.cases.models import Case, CaseClaim, CaseEvent
from grassroots.cases.services.intake import KIND_PREFIX
from grassroots.catalogue.models import RedRopeStation, ServiceBrand, ServiceCategory, ServiceItem
from grassroots.catalogue.services import catalogue_install_defaults
from grassroots.core.audit import audit_record
from grassroots.core.models import AuditAction
from grassroots.core.personal_data import lookup_hash
from grassroots.demo.case_texts import ANSWERS
from grassroots.demo.cases_life import Context, Life, replay
from grassroots.demo.plan import DemoPlan
from grassroots.organizations.models import Organization
from grassroots.territory.models import Grid, Region

M = TypeVar("M", bound=Model)
BATCH = 2000
CHUNK = 10_000


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
    deeds = served = 0
    for offset in range(0, len(lives), CHUNK):  # in chunks: at scale 10 a year has half a million events
        part = lives[offset : offset + CHUNK]
        cases = _instances(Case, [_case(ctx, life, first + offset + n) for n, life in enumerate(part)])
        Case.objects.bulk_create(cases, batch_size=BATCH)
        events: list[dict[str, Any]] = []
        claims: list[dict[str, Any]] = []
        for case, life in zip(cases, part, strict=True):
            for event in life.events:
                event["case_id"] = case.pk
                events.append(event)
            for claim in life.claims:
                claim["case_id"] = case.pk
                claims.append(claim)
        CaseEvent.objects.bulk_create(_instances(CaseEvent, events), batch_size=BATCH)
        CaseClaim.objects.bulk_create(_instances(CaseClaim, claims), batch_size=BATCH)
        deeds += sum(1 for c in cases if c.deed_at is not None)
        served += sum(c.residents_served for c in cases)
    with connection.cursor() as cursor:  # explicit ids: move PostgreSQL's sequence past them
        for sql in connection.ops.sequence_reset_sql(no_style(), [Case]):
            cursor.execute(sql)
    audit_record(
        actor=None,
        action=AuditAction.IMPORT,
        detail=f"demo cases: {len(lives)} cases, {deeds} deeds, {served} residents served",
        scope_region=region[plan.regions[0].code],
    )
    lap("cases")
