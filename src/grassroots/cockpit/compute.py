"""A metric's values for one region (or grid) and period: read from the roll-ups, or recomputed from the rows.

``metric_values`` reads the roll-ups (what the dashboards, the API and the reports show); ``raw_values`` computes
the same from the source rows with one GROUP BY (the reference, for the benchmarks). Scope: the region must be
one the user may see with VIEW_KPIS.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from grassroots.accounts.enums import Capability
from grassroots.cockpit.models import Rollup
from grassroots.cockpit.registry import Metric, get_metric
from grassroots.core.errors import ApplicationError
from grassroots.territory.models import Grid, Region

GroupBy = Literal["total", "day", "month", "region", "grid", "dimension"]
GROUP_BYS = ("total", "day", "month", "region", "grid", "dimension")
CHILD_LEVEL = {"district": "street", "street": "community", "community": "compound", "compound": "grid"}
Place = Region | Grid


@dataclass(frozen=True)
class Point:
    """One value: ``key`` is "" (total), an ISO date (day, month: its first day) or a region/grid id."""

    key: str
    value: Decimal
    numerator: Decimal | None = None
    denominator: Decimal | None = None


def region_for(*, user: Any, pk: int) -> Region:
    """The region, if the user may see its figures (else ``Region.DoesNotExist``)."""
    return Region.objects.visible_to(user, Capability.VIEW_KPIS).get(pk=pk)


# From the roll-ups ------------------------------------------------------------------------------------------------


def level_of(place: Place) -> str:
    return "grid" if isinstance(place, Grid) else place.kind


def _cells(
    metric: Metric,
    place: Place,
    date_from: dt.date | None,
    date_to: dt.date | None,
    group_by: str,
    dimension: str | None = None,
) -> QuerySet[Any]:
    level = level_of(place)
    if level not in metric.levels():
        raise ApplicationError("metric_level", _("This figure is not counted for a region of this level."), status=400)
    cells = Rollup.objects.filter(metric=metric.key)
    if group_by == "region":
        child = CHILD_LEVEL.get(level)
        if child is None:
            raise ApplicationError("metric_group", _("This region has no parts to compare."), status=400)
        cells = cells.filter(level=child, **{f"{level}_id": place.pk})
    elif group_by == "grid":
        if level == "grid":
            raise ApplicationError("metric_group", _("This region has no parts to compare."), status=400)
        cells = cells.filter(level="grid", **{f"{level}_id": place.pk})
    else:
        cells = cells.filter(level=level, region_id=place.pk)
    if group_by in ("day", "month") and not metric.date_field:
        raise ApplicationError("metric_group", _("This figure is a stock: it has no values by day."), status=400)
    if group_by == "dimension" and not metric.dimension:
        raise ApplicationError("metric_group", _("This figure is not broken down by kind."), status=400)
    if metric.date_field:
        if date_from:
            cells = cells.filter(day__gte=date_from)
        if date_to:
            cells = cells.filter(day__lte=date_to)
    if dimension is not None:
        cells = cells.filter(dimension=dimension)
    return cells


def _rollup_aggregate(metric: Metric) -> Any:
    if metric.rule == "distinct":
        return Count("item", distinct=True)
    return Sum("value") if metric.rule == "sum" else Sum("row_count")


BUCKETS = {"day": F("day"), "region": F("region_id"), "grid": F("region_id"), "dimension": F("dimension")}


def _rollup_series(
    metric: Metric,
    place: Place,
    date_from: dt.date | None,
    date_to: dt.date | None,
    group_by: str,
    dimension: str | None = None,
) -> dict[str, Decimal]:
    cells = _cells(metric, place, date_from, date_to, group_by, dimension)
    if group_by == "total":
        return {"": Decimal(cells.aggregate(v=_rollup_aggregate(metric))["v"] or 0)}
    bucket = TruncMonth("day") if group_by == "month" else BUCKETS[group_by]
    series: dict[str, Decimal] = {}
    for row in cells.values(bucket=bucket).annotate(v=_rollup_aggregate(metric)).order_by("bucket"):
        key = row["bucket"]
        if isinstance(key, dt.datetime):
            key = key.date()
        series[key.isoformat() if isinstance(key, dt.date) else str(key)] = Decimal(row["v"] or 0)
    return series


def _rate_points(metric: Metric, num: dict[str, Decimal], den: dict[str, Decimal]) -> list[Point]:
    points = []
    for bucket in sorted(set(num) | set(den)):
        n, d = num.get(bucket, Decimal(0)), den.get(bucket, Decimal(0))
        value = (n * metric.scale / d).quantize(Decimal("0.01")) if d else Decimal(0)
        points.append(Point(bucket, value, n, d))
    return points


def place_values(
    *,
    key: str,
    place: Place,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    group_by: GroupBy = "total",
    dimension: str | None = None,
) -> list[Point]:
    """The figure for ``place`` from the roll-ups, with no scope check: for callers that checked it already, and
    for public pages that show a community's own aggregate figures (no personal data)."""
    metric = get_metric(key)
    if metric.rule != "rate":
        series = _rollup_series(metric, place, date_from, date_to, group_by, dimension)
        return [Point(k, v) for k, v in series.items()]
    num = _rollup_series(get_metric(metric.numerator), place, date_from, date_to, group_by, dimension)
    den = _rollup_series(get_metric(metric.denominator), place, date_from, date_to, group_by, dimension)
    return _rate_points(metric, num, den)


def may_see(user: Any, place: Place) -> bool:
    if isinstance(place, Grid):
        return Grid.objects.visible_to(user, Capability.VIEW_KPIS).filter(pk=place.pk).exists()
    return Region.objects.visible_to(user, Capability.VIEW_KPIS).filter(pk=place.pk).exists()


def metric_values(
    *,
    user: Any,
    key: str,
    region: Place,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    group_by: GroupBy = "total",
    dimension: str | None = None,
) -> list[Point]:
    """The metric's values in ``region`` (a Region or a Grid) over the period: in total, by day or month, by the
    region's parts (``region``: streets, communities, compounds, grids in turn; ``grid``: its grids) or by the
    metric's dimension. Read from the roll-ups; refused unless the user may see the region's figures."""
    if not may_see(user, region):
        raise ApplicationError("not_allowed", _("You may not see the figures of this region."), status=403)
    return place_values(
        key=key, place=region, date_from=date_from, date_to=date_to, group_by=group_by, dimension=dimension
    )


def metric_totals(
    *, keys: list[str], place: Place, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> dict[str, Point]:
    """Many figures' totals for one place and period in two queries (the dashboards' cards). No scope check:
    call ``may_see`` first."""
    metrics = [get_metric(k) for k in keys]
    parts = {m.key: m for m in metrics if m.rule != "rate"}
    for m in metrics:
        if m.rule == "rate":
            parts[m.numerator] = get_metric(m.numerator)
            parts[m.denominator] = get_metric(m.denominator)
    level = level_of(place)
    counted = [m for m in parts.values() if level in m.levels()]
    dated = [m.key for m in counted if m.date_field]
    when = Q(metric__in=[m.key for m in counted if not m.date_field])
    if dated:
        span = Q(metric__in=dated)
        if date_from:
            span &= Q(day__gte=date_from)
        if date_to:
            span &= Q(day__lte=date_to)
        when |= span
    cells = Rollup.objects.filter(when, level=level, region_id=place.pk)
    found: dict[str, Decimal] = {}
    for row in cells.values("metric").annotate(n=Sum("row_count"), v=Sum("value")).order_by():
        rule = parts[row["metric"]].rule
        found[row["metric"]] = Decimal(row["v"] if rule == "sum" else row["n"] or 0)
    distinct = [m.key for m in counted if m.rule == "distinct"]
    if distinct:
        items = cells.filter(metric__in=distinct).values("metric").annotate(d=Count("item", distinct=True))
        for item in items.order_by():
            found[item["metric"]] = Decimal(item["d"])
    totals: dict[str, Point] = {}
    for m in metrics:
        if m.rule == "rate":
            totals[m.key] = _rate_points(
                m, {"": found.get(m.numerator, Decimal(0))}, {"": found.get(m.denominator, Decimal(0))}
            )[0]
        else:
            totals[m.key] = Point("", found.get(m.key, Decimal(0)))
    return totals


def dimension_labels(key: str, values: list[str]) -> dict[str, str]:
    """Readable names of a metric's dimension values (a related row's name, or a choice's label)."""
    metric = get_metric(key)
    if not metric.dimension:
        return {}
    model: Any = metric.source_model()
    path = metric.dimension.split("__")
    for name in path[:-1]:
        model = model._meta.get_field(name).related_model
    field = model._meta.get_field(path[-1])
    if field.is_relation:
        ids = [int(v) for v in values if v.isdigit()]
        return {str(pk): str(obj) for pk, obj in field.related_model._default_manager.in_bulk(ids).items()}
    choices = dict(field.flatchoices or ())
    return {v: str(choices.get(v, v)) for v in values}


# Many figures at once (the dashboards: one query per section) ---------------------------------------------------


class _MonthOf(TruncMonth):
    """``TruncMonth`` of a date column, computed natively on SQLite too (where Django's calls back into Python for
    every row; the date is stored there as "YYYY-MM-DD")."""

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, tuple[Any, ...]]:
        sql, params = compiler.compile(self.lhs)
        return f"(substr({sql}, 1, 7) || '-01')", tuple(params)


def _span(date_from: dt.date | None, date_to: dt.date | None) -> Q | None:
    span = Q()
    if date_from:
        span &= Q(day__gte=date_from)
    if date_to:
        span &= Q(day__lte=date_to)
    return span or None


def _bases(metrics: list[Metric]) -> dict[str, Metric]:
    """The figures read from the roll-ups for ``metrics``: each sum, count and distinct, and each rate's parts."""
    bases: dict[str, Metric] = {}
    for m in metrics:
        for key in (m.numerator, m.denominator) if m.rule == "rate" else (m.key,):
            bases[key] = get_metric(key)
    return bases


def _base_value(metric: Metric, row: Mapping[str, Any], suffix: str = "") -> Decimal:
    if metric.rule == "distinct":
        return Decimal(row[f"d{suffix}"] or 0)
    return Decimal((row[f"v{suffix}"] if metric.rule == "sum" else row[f"n{suffix}"]) or 0)


def _groupable(metric: Metric, level: str, group_by: str) -> bool:
    """Whether ``place_values`` would answer for this (non-rate) figure at ``level`` grouped by ``group_by``."""
    if level not in metric.levels():
        return False
    if group_by in ("day", "month") and not metric.date_field:
        return False
    return group_by != "dimension" or bool(metric.dimension)


def metric_series(
    *,
    keys: list[str],
    place: Place,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    group_by: GroupBy = "total",
    parts: str | None = None,
) -> dict[str, list[Point]]:
    """Several figures for one place and period, grouped as ``place_values`` groups one, in one query.

    Each figure's points are those ``place_values`` gives (a rate from its summed parts, a distinct figure by
    COUNT(DISTINCT item), a stock ignoring the dates). A figure ``place_values`` would refuse (not counted at the
    place's level, a stock by month, no dimension) is left out of the answer. ``parts`` (with group_by "region"):
    the level of the parts when not the one just below (a district's communities). No scope check: call
    ``may_see`` first (or get the place from a scoped queryset)."""
    level = level_of(place)
    metrics = [get_metric(k) for k in dict.fromkeys(keys)]
    bases = {k: m for k, m in _bases(metrics).items() if _groupable(m, level, group_by)}
    wanted = [
        m for m in metrics if (m.numerator in bases and m.denominator in bases if m.rule == "rate" else m.key in bases)
    ]
    if not wanted:
        return {}
    cells = Rollup.objects.all()
    if group_by in ("region", "grid"):
        child = (parts or CHILD_LEVEL.get(level)) if group_by == "region" else "grid"
        if level == "grid" or child is None:
            raise ApplicationError("metric_group", _("This region has no parts to compare."), status=400)
        cells = cells.filter(level=child, **{f"{level}_id": place.pk})
    else:
        cells = cells.filter(level=level, region_id=place.pk)
    dated = [k for k, m in bases.items() if m.date_field]
    stocks = [k for k, m in bases.items() if not m.date_field]
    span = _span(date_from, date_to)
    when = Q(metric__in=dated) & span if span is not None and dated else Q(metric__in=dated)
    if stocks:
        when |= Q(metric__in=stocks)
    distinct = [k for k, m in bases.items() if m.rule == "distinct"]
    sums: dict[str, Any] = {"n": Sum("row_count"), "v": Sum("value")}
    if distinct:
        sums["d"] = Count("item", distinct=True, filter=Q(metric__in=distinct))
    if group_by == "total":
        rows = cells.filter(when).values("metric").annotate(**sums).order_by()
    else:
        bucket = _MonthOf("day") if group_by == "month" else BUCKETS[group_by]
        rows = cells.filter(when).values("metric", bucket=bucket).annotate(**sums).order_by("metric", "bucket")
    series: dict[str, dict[str, Decimal]] = {k: ({"": Decimal(0)} if group_by == "total" else {}) for k in bases}
    for row in rows:
        key = row.get("bucket", "")
        if isinstance(key, dt.datetime):
            key = key.date()
        series[row["metric"]][key.isoformat() if isinstance(key, dt.date) else str(key)] = _base_value(
            bases[row["metric"]], row
        )
    found: dict[str, list[Point]] = {}
    for m in wanted:
        if m.rule == "rate":
            found[m.key] = _rate_points(m, series[m.numerator], series[m.denominator])
        else:
            found[m.key] = [Point(k, v) for k, v in series[m.key].items()]
    return found


def metric_totals_periods(
    *, keys: list[str], place: Place, periods: list[tuple[dt.date | None, dt.date | None]]
) -> list[dict[str, Point]]:
    """``metric_totals`` for several periods (say, this one and the one before) in one query: one dict a period,
    in the order given. No scope check: call ``may_see`` first."""
    metrics = [get_metric(k) for k in keys]
    level = level_of(place)
    bases = {k: m for k, m in _bases(metrics).items() if level in m.levels()}
    dated = [k for k, m in bases.items() if m.date_field]
    stocks = Q(metric__in=[k for k, m in bases.items() if not m.date_field])
    distinct_keys = [k for k, m in bases.items() if m.rule == "distinct"]
    distinct = Q(metric__in=distinct_keys)
    spans = [_span(first, last) for first, last in periods]
    # Stocks and dated figures are read apart: one OR of both keeps SQLite from using the day in the index.
    whens = [stocks]
    if dated:
        union: Q | None = Q()
        for span in spans:
            if span is None:
                union = None
                break
            union = span if not union else union | span
        whens.append(Q(metric__in=dated) & union if union else Q(metric__in=dated))
    sums: dict[str, Any] = {}
    for i, span in enumerate(spans):
        within = stocks | span if span is not None else None
        sums[f"n{i}"] = Sum("row_count", filter=within)
        sums[f"v{i}"] = Sum("value", filter=within)
        if distinct_keys:
            sums[f"d{i}"] = Count("item", distinct=True, filter=distinct & within if within is not None else distinct)
    found: list[dict[str, Decimal]] = [{} for _ in periods]
    for when in whens if bases else []:
        rows = Rollup.objects.filter(when, level=level, region_id=place.pk).values("metric").annotate(**sums)
        for row in rows.order_by():
            for i in range(len(periods)):
                found[i][row["metric"]] = _base_value(bases[row["metric"]], row, str(i))
    answers = []
    for values in found:
        totals: dict[str, Point] = {}
        for m in metrics:
            if m.rule == "rate":
                num, den = values.get(m.numerator, Decimal(0)), values.get(m.denominator, Decimal(0))
                totals[m.key] = _rate_points(m, {"": num}, {"": den})[0]
            else:
                totals[m.key] = Point("", values.get(m.key, Decimal(0)))
        answers.append(totals)
    return answers


def dimension_labels_many(values: dict[str, list[str]]) -> dict[str, dict[str, str]]:
    """``dimension_labels`` for several figures, with one query per related model (not per figure)."""
    related: dict[Any, tuple[Any, set[int]]] = {}
    plain: dict[str, dict[str, str]] = {}
    fields: dict[str, Any] = {}
    for key, found in values.items():
        metric = get_metric(key)
        if not metric.dimension:
            plain[key] = {}
            continue
        model: Any = metric.source_model()
        path = metric.dimension.split("__")
        for name in path[:-1]:
            model = model._meta.get_field(name).related_model
        field = model._meta.get_field(path[-1])
        fields[key] = field
        if field.is_relation:
            target = field.related_model
            related.setdefault(target._meta.label, (target, set()))[1].update(int(v) for v in found if v.isdigit())
        else:
            choices = dict(field.flatchoices or ())
            plain[key] = {v: str(choices.get(v, v)) for v in found}
    names = {
        label: {str(pk): str(obj) for pk, obj in model._default_manager.in_bulk(sorted(ids)).items()}
        for label, (model, ids) in related.items()
    }
    for key, field in fields.items():
        if field.is_relation:
            known = names[field.related_model._meta.label]
            plain[key] = {v: known[v] for v in values[key] if v in known}
    return plain
