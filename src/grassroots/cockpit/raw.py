"""A metric's values recomputed from its source rows with one GROUP BY: the reference the roll-ups must equal.

The dashboards never read this; the benchmarks (bench/cockpit_rollups.py) and the property test compare it with
``compute.metric_values`` (total, day, month, or the region's streets / communities / grids).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.accounts.enums import Capability
from grassroots.cockpit.compute import GroupBy, Point
from grassroots.cockpit.registry import Metric, get_metric
from grassroots.core.errors import ApplicationError
from grassroots.territory.models import Region

RAW_CHILD_LEVEL = {"district": "street", "street": "community", "community": "grid"}


def _column(metric: Metric, level: str) -> str:
    return metric.column(level)


def _rows(metric: Metric, region: Region, date_from: dt.date | None, date_to: dt.date | None) -> QuerySet[Any]:
    model = metric.source_model()
    try:
        column = _column(metric, region.kind)
    except KeyError:
        raise ApplicationError(
            "metric_level", _("This figure is not counted for a region of this level."), status=400
        ) from None
    qs = model._default_manager.filter(metric.where, **{column: region.pk})
    if metric.date_field and (date_from or date_to):
        field = model._meta.get_field(metric.date_field.split("__")[0])
        is_date = isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField)
        if date_from:
            start: Any = date_from if is_date else timezone.make_aware(dt.datetime.combine(date_from, dt.time()))
            qs = qs.filter(**{f"{metric.date_field}__gte": start})
        if date_to:
            end = date_to + dt.timedelta(days=1)
            stop: Any = end if is_date else timezone.make_aware(dt.datetime.combine(end, dt.time()))
            qs = qs.filter(**{f"{metric.date_field}__lt": stop})
    return qs


def _aggregate(metric: Metric) -> Any:
    if metric.rule == "sum":
        return Sum(metric.value_field or "pk")
    if metric.rule == "distinct":
        return Count(metric.value_field or "pk", distinct=True)
    return Count("pk")


def _bucket(metric: Metric, group_by: str, region: Region) -> Any:
    if group_by == "region":
        child = RAW_CHILD_LEVEL.get(region.kind)
        if child is None:
            raise ApplicationError("metric_group", _("This region has no parts to compare."), status=400)
        return F(_column(metric, child))
    if not metric.date_field:
        raise ApplicationError("metric_group", _("This figure is a stock: it has no values by day."), status=400)
    model = metric.source_model()
    field = model._meta.get_field(metric.date_field.split("__")[0])
    tz = timezone.get_current_timezone()
    if group_by == "month":
        return TruncMonth(metric.date_field, tzinfo=tz)
    if isinstance(field, models.DateTimeField):
        return TruncDate(metric.date_field, tzinfo=tz)
    return F(metric.date_field)


def _series(
    metric: Metric, region: Region, date_from: dt.date | None, date_to: dt.date | None, group_by: str
) -> dict[str, Decimal]:
    rows = _rows(metric, region, date_from, date_to)
    if group_by == "total":
        value = rows.aggregate(v=_aggregate(metric))["v"]
        return {"": Decimal(value or 0)}
    found = rows.annotate(bucket=_bucket(metric, group_by, region)).values("bucket").annotate(v=_aggregate(metric))
    series: dict[str, Decimal] = {}
    for row in found.order_by("bucket"):
        bucket = row["bucket"]
        if bucket is None:
            continue
        if isinstance(bucket, dt.datetime):
            bucket = timezone.localtime(bucket).date() if timezone.is_aware(bucket) else bucket.date()
        key = bucket.isoformat() if isinstance(bucket, dt.date) else str(bucket)
        series[key] = Decimal(row["v"] or 0)
    return series


def raw_values(
    *,
    user: Any,
    key: str,
    region: Region,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    group_by: GroupBy = "total",
) -> list[Point]:
    """``metric_values`` recomputed from the source rows (total, day, month or region only; for the benchmarks)."""
    metric = get_metric(key)
    if not Region.objects.visible_to(user, Capability.VIEW_KPIS).filter(pk=region.pk).exists():
        raise ApplicationError("not_allowed", _("You may not see the figures of this region."), status=403)
    if metric.rule != "rate":
        return [Point(k, v) for k, v in _series(metric, region, date_from, date_to, group_by).items()]
    num = _series(get_metric(metric.numerator), region, date_from, date_to, group_by)
    den = _series(get_metric(metric.denominator), region, date_from, date_to, group_by)
    points = []
    for bucket in sorted(set(num) | set(den)):
        n, d = num.get(bucket, Decimal(0)), den.get(bucket, Decimal(0))
        value = (n * metric.scale / d).quantize(Decimal("0.01")) if d else Decimal(0)
        points.append(Point(bucket, value, n, d))
    return points
