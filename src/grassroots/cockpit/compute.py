"""A metric's values for one region and period, computed from its source rows with one GROUP BY.

This is the reference computation: what the dashboards show, and what the incremental roll-ups must equal.
Scope: the region must be one the user may see with VIEW_KPIS; rows are those whose column of the region's
level holds the region (an indexed equality, as everywhere in the project).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from django.db import models
from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.accounts.enums import Capability
from grassroots.cockpit.registry import Metric, get_metric
from grassroots.core.errors import ApplicationError
from grassroots.territory.models import Region

GroupBy = Literal["total", "day", "month", "region"]
GROUP_BYS = ("total", "day", "month", "region")
CHILD_LEVEL = {"district": "street", "street": "community", "community": "grid"}


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


def _column(metric: Metric, level: str) -> str:
    lookup = metric.scope_lookup(level)
    return "pk" if lookup == "pk" else f"{metric.scope_prefix}{lookup}_id"


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
        child = CHILD_LEVEL.get(region.kind)
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


def metric_values(
    *,
    user: Any,
    key: str,
    region: Region,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    group_by: GroupBy = "total",
) -> list[Point]:
    """The metric's values in ``region`` over the period, in total or by day, month or the region's parts."""
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
