"""Which roll-up cells a source row counts in, and by how much.

A cell is (metric, level, region, day, the regions above, dimension, item). A row counts once in the cell of each
level it has a region for: a micro-wish in grid 3 of 北辰社区 counts in the district, 东岳街道, 北辰社区, its
compound and grid 3. ``row_cells`` does it row by row in Python (for the few rows one change touches);
``grouped_cells`` does the same with GROUP BY in the database (to rebuild or verify everything).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet, Sum, Value
from django.db.models.functions import TruncDate
from django.utils import timezone

from grassroots.cockpit.models import STOCK_DAY
from grassroots.cockpit.registry import LEVELS, Metric

Key = tuple[str, str, int, dt.date, int, int, int, int, str, int]
Cells = dict[Key, list[Any]]  # key → [row_count, value]
ABOVE = {level: LEVELS[: LEVELS.index(level)] for level in LEVELS}
ANCESTORS = ("district", "street", "community", "compound")


def is_datetime(metric: Metric) -> bool:
    if not metric.date_field:
        return False
    model = metric.source_model()
    path = metric.date_field.split("__")
    for name in path[:-1]:
        model = model._meta.get_field(name).related_model  # type: ignore[assignment]
    return isinstance(model._meta.get_field(path[-1]), models.DateTimeField)


def _condition(where: Q) -> Any:
    return Value(True) if not where else ExpressionWrapper(where, output_field=BooleanField())


def _fields(metric: Metric) -> dict[str, Any]:
    """``values()`` of one source row: its regions, day, dimension, counted item and summed value."""
    fields: dict[str, Any] = {f"r_{level}": F(metric.column(level)) for level in metric.levels()}
    if metric.date_field:
        fields["r_day"] = F(metric.date_field)
    if metric.dimension:
        fields["r_dim"] = F(metric.dimension)
    if metric.rule == "distinct":
        fields["r_item"] = F(metric.value_field or "pk")
    if metric.rule == "sum":
        fields["r_value"] = F(metric.value_field or "pk")
    return fields


def _day(value: Any) -> dt.date:
    if value is None:
        return STOCK_DAY
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value  # type: ignore[no-any-return]


def _keys(metric: Metric, row: dict[str, Any]) -> Iterator[Key]:
    day = _day(row.get("r_day")) if metric.date_field else STOCK_DAY
    dim = "" if row.get("r_dim") is None else str(row["r_dim"])[:64]
    item = int(row.get("r_item") or 0)
    for level in metric.levels():
        region = row.get(f"r_{level}")
        if region is None:
            continue
        above = {a: int(row.get(f"r_{a}") or 0) for a in ABOVE[level]}
        yield (
            metric.key,
            level,
            int(region),
            day,
            above.get("district", 0),
            above.get("street", 0),
            above.get("community", 0),
            above.get("compound", 0),
            dim,
            item,
        )


def row_cells(metrics: Iterable[Metric], rows: QuerySet[Any]) -> Cells:
    """The cells of ``rows`` (all of one source model) for ``metrics``, summed row by row (one query)."""
    metrics = list(metrics)
    if not metrics:
        return {}
    fields: dict[str, Any] = {}
    for i, metric in enumerate(metrics):
        fields.update({f"m{i}{name}": expr for name, expr in _fields(metric).items()})
        fields[f"m{i}_on"] = _condition(metric.where)
    cells: Cells = defaultdict(lambda: [0, Decimal(0)])
    for found in rows.values(**fields):
        for i, metric in enumerate(metrics):
            if not found[f"m{i}_on"]:
                continue
            prefix = f"m{i}"
            row = {name[len(prefix) :]: value for name, value in found.items() if name.startswith(prefix + "r_")}
            if metric.date_field and row.get("r_day") is None:
                continue  # not yet dated: it does not count anywhere
            value = Decimal(row.get("r_value") or 0) if metric.rule == "sum" else Decimal(0)
            for key in _keys(metric, row):
                cell = cells[key]
                cell[0] += 1
                cell[1] += value
    return dict(cells)


def grouped_cells(metric: Metric) -> Iterator[tuple[Key, int, Decimal]]:
    """Every cell of ``metric`` from all its source rows: one GROUP BY at the finest grain (every region column,
    day, dimension, item), summed up the levels here — what the roll-ups must hold."""
    model = metric.source_model()
    rows = model._default_manager.filter(metric.where)
    fields = _fields(metric)
    if metric.date_field:
        rows = rows.filter(**{f"{metric.date_field}__isnull": False})
        if is_datetime(metric):
            fields["r_day"] = TruncDate(metric.date_field, tzinfo=timezone.get_current_timezone())
    value = fields.pop("r_value", None)
    found = rows.values(**fields).annotate(n=Count("pk"), v=Sum(value) if value is not None else Value(0)).order_by()
    cells: Cells = defaultdict(lambda: [0, Decimal(0)])
    for row in found.iterator(chunk_size=5000):
        n, v = int(row["n"]), Decimal(row["v"] or 0)
        for key in _keys(metric, row):
            cell = cells[key]
            cell[0] += n
            cell[1] += v
    for key, (n, v) in cells.items():
        yield key, n, v
