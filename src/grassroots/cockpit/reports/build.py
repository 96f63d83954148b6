"""Gather a work report's figures from the roll-ups into sections, frozen as JSON.

Every number comes from ``compute.metric_totals`` / ``compute.metric_values`` (the roll-ups), except the
departments' whistle scorecard, which reuses the whistle app's own scorecard counts (the roll-ups have no
department dimension) limited to the report's region. Values are stored as decimal strings; labels are stored
translated in the report's language, so a re-render after a prose edit needs no query but the report itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.cockpit.compute import CHILD_LEVEL, Point, dimension_labels, metric_totals, metric_values
from grassroots.cockpit.models import ReportKind, WorkReport
from grassroots.cockpit.registry import Metric, all_metrics, get_metric
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Grid, Region

VERSION = 1
# Regions a work report is written for (compounds and grids report to their community).
REPORT_LEVELS = (RegionKind.DISTRICT, RegionKind.STREET, RegionKind.COMMUNITY)
# The key figures of the overall paragraph.
OVERALL_KEYS = (
    "units_reported",
    "members_reported",
    "cases_submitted",
    "micro_wishes_fulfilled",
    "deeds_done",
    "residents_served",
    "whistles_blown",
    "cases_rated",
    "satisfaction_rate",
)
# The figures compared with the previous period in the overall section, in this order.
CHANGE_KEYS = ("members_reported", "micro_wishes_fulfilled", "deeds_done", "residents_served", "satisfaction_rate")
# The columns of the parts table (streets, communities or compounds of the region).
PART_KEYS = (
    "members_reported",
    "cases_submitted",
    "micro_wishes_fulfilled",
    "deeds_done",
    "residents_served",
    "satisfaction_rate",
    "whistles_blown",
)
CUMULATIVE_KEYS = ("units_reported", "members_reported")

Step = Callable[[str], None]


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def months_of(kind: str) -> int:
    return 3 if kind == ReportKind.QUARTERLY else 1


def period_end(kind: str, start: dt.date) -> dt.date:
    return add_months(start, months_of(kind)) - dt.timedelta(days=1)


def period_label(kind: str, start: dt.date) -> str:
    if kind == ReportKind.QUARTERLY:
        return _("%(year)s, quarter %(quarter)s") % {"year": start.year, "quarter": (start.month - 1) // 3 + 1}
    return _("%(year)s, month %(month)s") % {"year": start.year, "month": start.month}


def place_name(region: Region) -> str:
    """The region with the regions above it, as a Chinese title writes it: 玉州区名山街道."""
    ids = [pk for pk in (region.district_id, region.street_id, region.community_id) if pk and pk != region.pk]
    names = dict(Region.objects.filter(pk__in=ids).values_list("pk", "name"))
    return "".join([*(names[pk] for pk in ids if pk in names), region.name])


def report_title(place: str, kind: str, start: dt.date) -> str:
    return _("%(place)s %(period)s work report on party-building-led grassroots governance") % {
        "place": place,
        "period": period_label(kind, start),
    }


@dataclass(frozen=True)
class Window:
    """The report's stretch (to ``as_of``, the last day counted) and the same stretch of the period before."""

    start: dt.date
    end: dt.date
    as_of: dt.date
    prev_start: dt.date
    prev_end: dt.date

    @property
    def partial(self) -> bool:
        return self.as_of < self.end


def window(kind: str, start: dt.date, today: dt.date) -> Window:
    end = period_end(kind, start)
    as_of = min(end, today)
    prev_start = add_months(start, -months_of(kind))
    prev_end = min(prev_start + (as_of - start), start - dt.timedelta(days=1))
    return Window(start, end, as_of, prev_start, prev_end)


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _headline(metric: Metric, now: Point, before: Point | None, counted: bool) -> dict[str, Any]:
    stock = metric.rule != "rate" and not metric.date_field
    change = None if before is None or not counted else now.value - before.value
    return {
        "key": metric.key,
        "label": str(metric.label),
        "unit": metric.unit,
        "rate": metric.rule == "rate",
        "stock": stock,
        "counted": counted,
        "value": _s(now.value) if counted else None,
        "before": _s(before.value) if before is not None and counted else None,
        "change": _s(change),
    }


def gather_headline(region: Region, w: Window) -> dict[str, Any]:
    """Every registered figure: this period, the period before, the change; the two reporting totals to date."""
    metrics = all_metrics()
    keys = [m.key for m in metrics]
    now = metric_totals(keys=keys, place=region, date_from=w.start, date_to=w.as_of)
    before = metric_totals(keys=keys, place=region, date_from=w.prev_start, date_to=w.prev_end)
    to_date = metric_totals(keys=list(CUMULATIVE_KEYS), place=region, date_from=None, date_to=w.as_of)
    rows = []
    for m in metrics:
        stock = m.rule != "rate" and not m.date_field
        counted = region.kind in (m.levels() if m.rule != "rate" else get_metric(m.numerator).levels())
        rows.append(_headline(m, now[m.key], None if stock else before[m.key], counted))
    return {"rows": rows, "to_date": {k: str(to_date[k].value) for k in CUMULATIVE_KEYS}}


def _child_names(child: str, ids: list[int]) -> dict[int, str]:
    model: Any = Grid if child == "grid" else Region
    return dict(model.objects.filter(pk__in=ids).values_list("pk", "name"))


def gather_parts(*, user: Any, region: Region, w: Window, headline: dict[str, Any]) -> dict[str, Any] | None:
    """The region's parts one level down, by the key figures; what lies in no part is shown as the remainder."""
    child = CHILD_LEVEL.get(region.kind)
    if child is None:
        return None
    totals = {row["key"]: row for row in headline["rows"]}
    columns: list[Metric] = []
    values: dict[str, dict[int, Decimal]] = {}
    for key in PART_KEYS:
        metric = get_metric(key)
        counted_at = metric.levels() if metric.rule != "rate" else get_metric(metric.numerator).levels()
        if child not in counted_at or region.kind not in counted_at:
            continue
        points = metric_values(user=user, key=key, region=region, date_from=w.start, date_to=w.as_of, group_by="region")
        columns.append(metric)
        values[key] = {int(p.key): p.value for p in points if p.key.isdigit()}
    child_ids = Region.objects.filter(kind=child, **{f"{region.kind}_id": region.pk}).values_list("pk", flat=True)
    ids = sorted(set(child_ids) | {pk for v in values.values() for pk in v})
    names = _child_names(child, ids)
    rows: list[dict[str, Any]] = [
        {"name": names.get(pk, "—"), "values": [_s(values[m.key].get(pk, Decimal(0))) for m in columns]} for pk in ids
    ]
    rows.sort(key=lambda r: r["name"])
    total = [totals[m.key]["value"] for m in columns]
    remainder: list[str | None] = []
    for m, whole in zip(columns, total, strict=True):
        if m.rule == "rate" or whole is None:
            remainder.append(None)
        else:
            remainder.append(str(Decimal(whole) - sum(values[m.key].values(), Decimal(0))))
    show_remainder = any(r not in (None, "0") and Decimal(r) != 0 for r in remainder)
    return {
        "level": child,
        "level_label": str(RegionKind(child).label) if child != "grid" else _("Grid"),
        "columns": [{"key": m.key, "label": str(m.label), "rate": m.rule == "rate"} for m in columns],
        "rows": rows,
        "total": total,
        "remainder": remainder if show_remainder else None,
    }


def gather_categories(*, user: Any, region: Region, w: Window) -> dict[str, Any]:
    """Requests received and deeds done by service category in the period."""
    cases = {
        p.key: p.value
        for p in metric_values(
            user=user, key="cases_submitted", region=region, date_from=w.start, date_to=w.as_of, group_by="dimension"
        )
    }
    deeds = {
        p.key: p.value
        for p in metric_values(
            user=user, key="deeds_done", region=region, date_from=w.start, date_to=w.as_of, group_by="dimension"
        )
    }
    keys = [k for k in set(cases) | set(deeds) if k]
    labels = {**dimension_labels("cases_submitted", keys), **dimension_labels("deeds_done", keys)}
    total = sum(cases.values(), Decimal(0))
    rows = []
    for key in sorted(keys, key=lambda k: (-cases.get(k, Decimal(0)), -deeds.get(k, Decimal(0)), labels.get(k, k))):
        count = cases.get(key, Decimal(0))
        share = (count * 100 / total).quantize(Decimal("0.01")) if total else Decimal(0)
        rows.append(
            {"label": labels.get(key, key), "cases": str(count), "share": str(share), "deeds": str(deeds.get(key, 0))}
        )
    return {"rows": rows, "total_cases": str(total), "total_deeds": str(sum(deeds.values(), Decimal(0)))}


def gather_departments(*, user: Any, region: Region, w: Window) -> list[dict[str, Any]] | None:
    """The departments called by whistles in the region and period, ranked as the whistle scorecards rank them."""
    if region.kind not in (RegionKind.DISTRICT, RegionKind.STREET):
        return None
    from grassroots.whistle.scorecards import COUNTS, ranked, score_row, visible_calls

    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(w.start, dt.time(), tzinfo=tz)
    stop = dt.datetime.combine(w.as_of + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    found = (
        visible_calls(user)
        .filter(called_at__gte=start, called_at__lt=stop, **{f"{region.kind}_id": region.pk})
        .values("department_id", "department__name")
        .annotate(**COUNTS)
        .order_by()
    )
    rows = ranked(
        [score_row(department_id=r["department_id"], department_name=r["department__name"], counts=r) for r in found]
    )
    return [
        {
            "rank": r.rank,
            "name": r.department_name,
            "received": r.received,
            "on_time_rate": str(Decimal(r.on_time_rate * 100).quantize(Decimal("0.01"))),
            "handled_rate": str(Decimal(r.handled_rate * 100).quantize(Decimal("0.01"))),
            "satisfaction_rate": str(Decimal(r.satisfaction_rate * 100).quantize(Decimal("0.01"))),
            "score": str(Decimal(str(r.score))),
        }
        for r in rows
    ]


def gather(*, report: WorkReport, user: Any, step: Step, today: dt.date | None = None) -> dict[str, Any]:
    """All the report's figures, section by section (``step`` is told which section is next)."""
    region = report.region
    w = window(report.kind, report.period_start, today or timezone.localdate())
    place = place_name(region)
    step("headline")
    headline = gather_headline(region, w)
    step("parts")
    parts = gather_parts(user=user, region=region, w=w, headline=headline)
    step("categories")
    categories = gather_categories(user=user, region=region, w=w)
    step("departments")
    departments = gather_departments(user=user, region=region, w=w)
    partial = w.partial
    previous = (
        _("%(start)s to %(end)s") % {"start": w.prev_start.isoformat(), "end": w.prev_end.isoformat()}
        if partial
        else period_label(report.kind, w.prev_start)
    )
    return {
        "version": VERSION,
        "title": report_title(place, report.kind, report.period_start),
        "place": place,
        "region": {"id": region.pk, "name": region.name, "kind": region.kind},
        "period": {
            "kind": report.kind,
            "label": period_label(report.kind, report.period_start),
            "start": w.start.isoformat(),
            "end": w.end.isoformat(),
            "as_of": w.as_of.isoformat(),
            "prev_start": w.prev_start.isoformat(),
            "prev_end": w.prev_end.isoformat(),
            "prev_label": previous,
            "partial": partial,
        },
        "headline": headline,
        "parts": parts,
        "categories": categories,
        "departments": departments,
        "computed_at": timezone.now().isoformat(),
    }
