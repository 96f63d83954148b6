"""Keeping the roll-ups in step with the records, in the transaction of each change.

Every model a metric reads (its source model, and the models it ``watch``es) is followed through Django's
``pre_save``/``post_save``/``pre_delete``/``post_delete`` and ``m2m_changed`` signals: before the change the cells
of the source rows it touches are read, after it they are read again, and the difference is added to the roll-ups
with one ``INSERT … ON CONFLICT DO UPDATE`` (atomic under concurrent writers on PostgreSQL and SQLite).

Writes that bypass signals (``QuerySet.update``, ``bulk_create``) are wrapped in ``tracking(model, where)``; bulk
builders (the demo, the points recomputation) run ``suspended()`` and rebuild the figures they wrote afterwards.
``grassroots cockpit verify`` finds any write that slipped past both.
"""

from __future__ import annotations

import contextvars
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import connection, models
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from grassroots.cockpit.models.rollups import CELL
from grassroots.cockpit.registry import Metric, all_metrics
from grassroots.cockpit.rollups.cells import Cells, Key, row_cells

COLUMNS = CELL
_suspended: contextvars.ContextVar[bool] = contextvars.ContextVar("rollups_suspended", default=False)
_BEFORE = "_rollup_before"


@dataclass(frozen=True)
class Watch:
    """Rows of ``source`` (counted by ``metrics``) that a change of the watched model touches: ``lookup`` from a
    source row to the watched row ("pk" when the watched model is the source itself)."""

    source: type[models.Model]
    lookup: str
    metrics: tuple[Metric, ...]


def watches() -> dict[type[models.Model], list[Watch]]:
    """Watched model → what to recompute when it changes."""
    by_source: dict[str, list[Metric]] = defaultdict(list)
    for metric in all_metrics():
        if metric.rule != "rate":
            by_source[metric.model].append(metric)
    found: dict[type[models.Model], list[Watch]] = defaultdict(list)
    for label, metrics in by_source.items():
        source = apps.get_model(label)
        found[source].append(Watch(source, "pk", tuple(metrics)))
        lookups = {pair for metric in metrics for pair in metric.watch}
        for watched, lookup in sorted(lookups):
            found[apps.get_model(watched)].append(Watch(source, lookup, tuple(metrics)))
    return dict(found)


_WATCHES: dict[type[models.Model], list[Watch]] = {}


def cells_of(model: type[models.Model], where: Q, *, own_only: bool = False) -> Cells:
    """The cells of every source row that the rows of ``model`` matching ``where`` count in or bear on
    (``own_only``: only the rows of ``model`` itself, when it is a source)."""
    total: Cells = defaultdict(lambda: [0, Decimal(0)])
    for watch in _WATCHES.get(model, ()):
        if own_only and watch.lookup != "pk":
            continue
        if watch.lookup == "pk":
            rows = watch.source._default_manager.filter(where)
        else:
            touched = model._default_manager.filter(where).values("pk")
            rows = watch.source._default_manager.filter(**{f"{watch.lookup}__in": touched})
        for key, (n, v) in row_cells(watch.metrics, rows).items():
            total[key][0] += n
            total[key][1] += v
    return dict(total)


def difference(after: Cells, before: Cells) -> Cells:
    delta: Cells = {}
    for key in after.keys() | before.keys():
        n1, v1 = after.get(key, (0, Decimal(0)))
        n0, v0 = before.get(key, (0, Decimal(0)))
        if n1 != n0 or v1 != v0:
            delta[key] = [n1 - n0, v1 - v0]
    return delta


def _upsert_sql() -> str:
    columns = ", ".join(COLUMNS)
    marks = ", ".join(["%s"] * (len(COLUMNS) + 2))
    return (
        f"INSERT INTO cockpit_rollup ({columns}, row_count, value) VALUES ({marks}) "
        f"ON CONFLICT ({columns}) DO UPDATE SET row_count = cockpit_rollup.row_count + excluded.row_count, "
        "value = cockpit_rollup.value + excluded.value"
    )


def apply(delta: Cells) -> None:
    """Add ``delta`` to the roll-ups; cells left with no rows are deleted (so the table holds live cells only)."""
    if not delta:
        return
    keys: list[Key] = sorted(delta)  # a fixed order: concurrent writers lock cells in the same order
    with connection.cursor() as cursor:
        cursor.executemany(_upsert_sql(), [(*key, delta[key][0], str(delta[key][1])) for key in keys])
        emptied = [key for key in keys if delta[key][0] < 0]
        if emptied:
            where = " AND ".join(f"{column} = %s" for column in COLUMNS)
            cursor.executemany(f"DELETE FROM cockpit_rollup WHERE {where} AND row_count <= 0", emptied)


@contextmanager
def suspended() -> Iterator[None]:
    """Skip incremental upkeep (bulk builders that rebuild the figures afterwards)."""
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)


@contextmanager
def tracking(model: type[models.Model], where: Q) -> Iterator[None]:
    """Keep the roll-ups in step across a write that sends no signals (``update``, ``bulk_create``).

    ``where`` selects the rows of ``model`` the write touches; rows it creates must match it afterwards too.
    """
    if _suspended.get() or model not in _WATCHES:
        yield
        return
    pks = list(model._default_manager.filter(where).values_list("pk", flat=True))
    before = cells_of(model, where)
    yield
    after = cells_of(model, where | Q(pk__in=pks))
    apply(difference(after, before))


# Signal receivers ------------------------------------------------------------------------------------------------


def _pre(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if _suspended.get() or kwargs.get("raw"):
        return
    if instance.pk is None or instance._state.adding:
        instance.__dict__[_BEFORE] = {}
        return
    instance.__dict__[_BEFORE] = cells_of(sender, Q(pk=instance.pk))


def _pre_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if _suspended.get():
        return
    # Rows counted through a deleted row are deleted with it (their own signals) or protect it: only the
    # deleted row's own cells change here.
    instance.__dict__[_BEFORE] = cells_of(sender, Q(pk=instance.pk), own_only=True)


def _post_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if _suspended.get() or kwargs.get("raw"):
        return
    before = instance.__dict__.pop(_BEFORE, None)
    if before is None:
        before = {}
    apply(difference(cells_of(sender, Q(pk=instance.pk)), before))


def _post_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if _suspended.get():
        return
    before = instance.__dict__.pop(_BEFORE, None) or {}
    apply(difference({}, before))


def _m2m(sender: type[models.Model], instance: models.Model, action: str, reverse: bool, **kwargs: Any) -> None:
    """A source that is an m2m's through table: the rows of ``instance`` change together."""
    if _suspended.get() or reverse:
        return
    model = type(instance)
    if action.startswith("pre_"):
        instance.__dict__[_BEFORE + "_m2m"] = cells_of(model, Q(pk=instance.pk))
    elif action.startswith("post_"):
        before = instance.__dict__.pop(_BEFORE + "_m2m", {})
        apply(difference(cells_of(model, Q(pk=instance.pk)), before))


def connect() -> None:
    """Follow every model the metrics read (called once the registry is complete)."""
    _WATCHES.clear()
    _WATCHES.update(watches())
    for model, found in _WATCHES.items():
        uid = f"rollups:{model._meta.label}"
        pre_save.connect(_pre, sender=model, dispatch_uid=uid)
        post_save.connect(_post_save, sender=model, dispatch_uid=uid)
        pre_delete.connect(_pre_delete, sender=model, dispatch_uid=uid)
        post_delete.connect(_post_delete, sender=model, dispatch_uid=uid)
        for watch in found:
            if watch.source._meta.auto_created:
                m2m_changed.connect(_m2m, sender=watch.source, dispatch_uid=f"rollups-m2m:{watch.source._meta.label}")


def metrics_of(model: type[models.Model]) -> list[str]:
    """The keys of the figures counted from ``model``'s rows (to rebuild after a bulk load of it)."""
    return [m.key for m in all_metrics() if m.rule != "rate" and m.model == model._meta.label]
