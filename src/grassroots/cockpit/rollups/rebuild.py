"""Rebuilding the roll-ups from the source rows, and checking them against the source rows."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from grassroots.cockpit.models import Rollup
from grassroots.cockpit.registry import Metric, all_metrics, get_metric
from grassroots.cockpit.rollups.cells import Key, grouped_cells
from grassroots.cockpit.rollups.engine import COLUMNS

BATCH = 5000


@dataclass(frozen=True)
class Difference:
    """One cell where the roll-ups and the source rows disagree (``None``: the cell is missing on that side)."""

    key: Key
    stored: tuple[int, Decimal] | None
    expected: tuple[int, Decimal] | None

    def __str__(self) -> str:
        cell = dict(zip(COLUMNS, self.key, strict=True))
        return f"{cell}: stored {self.stored}, from the records {self.expected}"


def _metrics(keys: Iterable[str] | None) -> list[Metric]:
    if keys is None:
        return [m for m in all_metrics() if m.rule != "rate"]
    return [get_metric(k) for k in keys if get_metric(k).rule != "rate"]


def _stored(metrics: list[Metric]) -> dict[str, dict[Key, tuple[int, Decimal]]]:
    rows = Rollup.objects.filter(metric__in=[m.key for m in metrics]).values_list(*COLUMNS, "row_count", "value")
    stored: dict[str, dict[Key, tuple[int, Decimal]]] = {m.key: {} for m in metrics}
    for row in rows.iterator(chunk_size=BATCH):
        stored[row[0]][tuple(row[:-2])] = (row[-2], Decimal(row[-1]))  # type: ignore[index]
    return stored


def verify(keys: Iterable[str] | None = None) -> list[Difference]:
    """Every cell where the roll-ups differ from a recomputation over the source rows (none, when all is well)."""
    found: list[Difference] = []
    metrics = _metrics(keys)
    every = _stored(metrics)
    for metric in metrics:
        stored = every[metric.key]
        expected = {key: (n, v) for key, n, v in grouped_cells(metric)}
        for key in stored.keys() | expected.keys():
            a, b = stored.get(key), expected.get(key)
            if a is None or b is None or a[0] != b[0] or a[1] != b[1]:
                found.append(Difference(key, a, b))
    return found


def rebuild(keys: Iterable[str] | None = None, *, progress: Callable[[str, int], None] | None = None) -> int:
    """Replace the roll-ups of ``keys`` (default: every metric) by a recomputation; returns the cells written."""
    written = 0
    for metric in _metrics(keys):
        with transaction.atomic():
            Rollup.objects.filter(metric=metric.key).delete()
            batch: list[Rollup] = []
            for key, n, v in grouped_cells(metric):
                batch.append(Rollup(**dict(zip(COLUMNS, key, strict=True)), row_count=n, value=v))
                if len(batch) >= BATCH:
                    Rollup.objects.bulk_create(batch)
                    written += len(batch)
                    batch = []
            Rollup.objects.bulk_create(batch)
            written += len(batch)
        if progress is not None:
            progress(metric.key, written)
    return written
