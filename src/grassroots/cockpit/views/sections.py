"""The parts of the dashboard, each from the roll-ups in one or two queries whatever the number of records: cards,
trends, distributions, the breakdown over the place's parts. The page checked the place's scope (``place_from``)
once: below it the figures are read with ``compute.place_values`` / ``metric_series`` (no second check)."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode

from grassroots.cockpit.compute import (
    CHILD_LEVEL,
    Place,
    Point,
    dimension_labels_many,
    level_of,
    metric_series,
    metric_totals_periods,
    place_values,
)
from grassroots.cockpit.registry import Metric, all_metrics, get_metric
from grassroots.cockpit.views.periods import Period
from grassroots.cockpit.views.places import place_query
from grassroots.core.errors import ApplicationError
from grassroots.territory.models import Grid, Region

HUNDRED = Decimal(100)
TREND_KEYS = ("deeds_done", "residents_served", "cases_submitted", "satisfaction_rate")
DISTRIBUTIONS = ("deeds_done", "cases_submitted", "member_posts_taken", "residents_served")


def is_stock(metric: Metric) -> bool:
    return metric.rule != "rate" and not metric.date_field


def counted_at(metric: Metric, level: str) -> bool:
    """Whether the figure is counted for a place of ``level`` (a rate: where its parts are)."""
    base = get_metric(metric.numerator) if metric.rule == "rate" else metric
    return level in base.levels()


def records_url(metric: Metric, place: Place, period: Period | None, dimension: str | None = None) -> str:
    """The list of the records behind ``metric``'s figure for the place and period (and dimension value)."""
    query: dict[str, Any] = dict(place_query(place))
    if period is not None and not is_stock(metric):
        query.update({"from": period.first.isoformat(), "to": period.last.isoformat()})
    if dimension is not None:
        query["dimension"] = dimension
    return f"{_records_path(metric.key)}?{urlencode(query)}"


@functools.lru_cache(maxsize=256)
def _records_path(key: str) -> str:
    """The records page of a figure (reversed once a figure: a page links ~80 numbers)."""
    return reverse("cockpit:records", args=[key])


@dataclass
class Card:
    metric: Metric
    value: Decimal | None  # None: not counted at this level
    before: Decimal | None  # None: a stock, or not counted
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    url: str = ""
    numerator_url: str = ""
    denominator_url: str = ""

    @property
    def is_rate(self) -> bool:
        return self.metric.rule == "rate"

    @property
    def change(self) -> Decimal | None:
        if self.before is None or self.value is None:
            return None
        return self.value - self.before

    @property
    def change_percent(self) -> Decimal | None:
        """The change relative to the period before (none for a rate: its change is in points; none from 0)."""
        change = self.change
        if change is None or self.is_rate or not self.before:
            return None
        return (change * HUNDRED / self.before).quantize(Decimal("0.1"))


def cards_for(place: Place, period: Period) -> list[Card]:
    """Every registered figure for the place: this period and the one before (one query in all)."""
    level = level_of(place)
    metrics = [m for m in all_metrics()]
    now, was = metric_totals_periods(
        keys=[m.key for m in metrics],
        place=place,
        periods=[(period.first, period.last), (period.before_first, period.before_last)],
    )
    cards = []
    for metric in metrics:
        if not counted_at(metric, level):
            cards.append(Card(metric, None, None))
            continue
        point = now[metric.key]
        before = None if is_stock(metric) else was[metric.key].value
        card = Card(metric, point.value, before, point.numerator, point.denominator, records_url(metric, place, period))
        if metric.rule == "rate":
            card.numerator_url = records_url(get_metric(metric.numerator), place, period)
            card.denominator_url = records_url(get_metric(metric.denominator), place, period)
        cards.append(card)
    return cards


def _months(last: dt.date, count: int = 12) -> list[dt.date]:
    index = last.year * 12 + last.month - 1
    return [dt.date((index - i) // 12, (index - i) % 12 + 1, 1) for i in reversed(range(count))]


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def trends_for(user: Any, place: Place, period: Period, chosen: Metric) -> dict[str, Any]:
    """Month by month, the twelve months to the period's end, for the chosen figure and a few key ones (one
    query). ``user``: the page checked the place is theirs."""
    months = _months(period.last)
    level = level_of(place)
    keys = [chosen.key, *[k for k in TREND_KEYS if k != chosen.key]]
    keys = [k for k in keys if not is_stock(get_metric(k)) and counted_at(get_metric(k), level)]
    by_month = metric_series(keys=keys, place=place, date_from=months[0], date_to=period.last, group_by="month")
    series = []
    for key in keys:
        metric = get_metric(key)
        if key not in by_month:
            continue
        found = {p.key[:7]: p for p in by_month[key]}
        values = []
        for month in months:
            point = found.get(month.isoformat()[:7])
            if point is None:
                values.append(None if metric.rule == "rate" else 0.0)
            elif metric.rule == "rate" and not point.denominator:
                values.append(None)
            else:
                values.append(float(point.value))
        series.append({"key": key, "label": str(metric.label), "rule": metric.rule, "values": values})
    return {"months": [m.strftime("%Y-%m") for m in months], "series": series}


@dataclass
class Share:
    key: str
    label: str
    value: Decimal
    url: str


@dataclass
class Distribution:
    metric: Metric
    shares: list[Share] = field(default_factory=list)
    total: Decimal = Decimal(0)

    def chart(self) -> dict[str, Any]:
        return {
            "key": self.metric.key,
            "label": str(self.metric.label),
            "items": [{"name": s.label, "value": float(s.value), "url": s.url} for s in self.shares],
        }


def distributions_for(user: Any, place: Place, period: Period) -> list[Distribution]:
    """Each figure that has a dimension, split by it (service category, ethnic group, …): one query for the
    figures, one per kind of name. ``user``: the page checked the place is theirs."""
    level = level_of(place)
    keys = [k for k in DISTRIBUTIONS if get_metric(k).dimension and counted_at(get_metric(k), level)]
    by_kind = metric_series(keys=keys, place=place, date_from=period.first, date_to=period.last, group_by="dimension")
    names = dimension_labels_many({k: [p.key for p in points if p.key] for k, points in by_kind.items()})
    found = []
    for key in keys:
        metric = get_metric(key)
        if key not in by_kind:
            continue
        points = by_kind[key]
        labels = names.get(key, {})
        shares = [
            Share(p.key, labels.get(p.key) or p.key or "—", p.value, records_url(metric, place, period, p.key))
            for p in points
            if p.value
        ]
        shares.sort(key=lambda s: (-s.value, s.label))
        found.append(Distribution(metric, shares, sum((s.value for s in shares), Decimal(0))))
    return found


@dataclass
class Part:
    pk: int
    name: str
    value: Decimal
    url: str  # the part's dashboard
    records: str  # the records behind the part's figure


@dataclass
class Breakdown:
    metric: Metric
    level: str  # the parts' level
    parts: list[Part]
    total: Decimal | None  # the place's own figure
    remainder: Decimal | None  # rows in the place but in none of the parts (sums and counts only)

    @property
    def parts_total(self) -> Decimal:
        return sum((p.value for p in self.parts), Decimal(0))


def breakdown_for(
    user: Any,
    place: Place,
    period: Period,
    metric: Metric,
    total: Decimal | None,
    keep: dict[str, Any],
    children: list[Place] | None = None,
) -> Breakdown | None:
    """The figure over the place's parts one level down, with what lies in none of them (the page checked the
    place is the user's). ``children``: the parts as the switcher read them (saves reading them again)."""
    from grassroots.cockpit.views.places import dashboard_url

    if isinstance(place, Grid):
        return None
    child = CHILD_LEVEL.get(place.kind)
    if child is None or not counted_at(metric, child):
        return None
    span: dict[str, Any] = {} if is_stock(metric) else {"date_from": period.first, "date_to": period.last}
    try:
        points: list[Point] = place_values(key=metric.key, place=place, group_by="region", **span)
    except ApplicationError:
        return None
    ids = [int(p.key) for p in points]
    model: Any = Grid if child == "grid" else Region
    places: dict[int, Any] = {c.pk: c for c in children or [] if level_of(c) == child}
    if missing := [pk for pk in ids if pk not in places]:
        places.update(model.objects.in_bulk(missing))
    parts = []
    for p in points:
        part = places.get(int(p.key))
        if part is None:
            continue
        value = p.value
        parts.append(Part(part.pk, part.name, value, dashboard_url(part, **keep), records_url(metric, part, period)))
    parts.sort(key=lambda p: (-p.value, p.name))
    remainder = None
    if total is not None and metric.rule in ("sum", "count"):
        remainder = total - sum((p.value for p in parts), Decimal(0))
    return Breakdown(metric, child, parts, total, remainder)


def chart_metrics(level: str) -> list[Metric]:
    """The figures one may chart by month at this level (dated, counted here)."""
    return [m for m in all_metrics() if not is_stock(m) and counted_at(m, level)]
