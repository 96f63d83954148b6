"""The metrics registry: every figure the source reports, declared once by the app that owns its records.

A metric says what it counts, from which rows, as of when (``date_field``; none for a stock such as "grids"),
how its values add up across regions and days (``rule``), and where each row lies (the model's scope columns).
Apps declare theirs in a ``metrics.py`` module with ``register(Metric(...))``; the cockpit never imports an app's
models itself. Rates are ``rate`` metrics over two registered sums: the ratio of the summed numerator to the
summed denominator, never an average of rates.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Literal

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils.functional import Promise

Rule = Literal["sum", "count", "distinct", "rate"]
LEVELS = ("district", "street", "community", "compound", "grid")
UNITS = ("items", "people", "person_times", "hours", "points", "percent", "square_metres", "organisations")


@dataclass(frozen=True)
class Metric:
    key: str  # stable English snake_case
    label: Promise | str  # gettext_lazy: Chinese in the catalogue
    definition: Promise | str  # what is counted, from which records, as of when
    unit: str
    rule: Rule
    model: str = ""  # "app_label.Model" of the source rows (not for rates)
    date_field: str | None = None  # the moment a row counts; None: a stock counted as of now
    where: Q = field(default_factory=Q)  # which rows count
    value_field: str | None = None  # summed column ("sum"), distinct column ("distinct"); rows for "count"
    numerator: str = ""  # rates: the keys of two sum/count metrics
    denominator: str = ""
    scale: int = 100  # rates: 100 for a percentage
    scope_prefix: str = ""  # when the scope columns are on a related row, e.g. "memberreport__"
    scope_model: str = ""  # … whose model declares them (default: the source model)
    dimension: str | None = None  # a column that splits the figure (a distribution), e.g. "category"
    dimension_label: Promise | str = ""  # what the dimension is, e.g. "service category"
    # Other models whose change alters which rows count or where: {"app.Model": lookup from a source row to it}.
    # The source model itself is always watched. Roll-ups follow these as they are saved or deleted.
    watch: tuple[tuple[str, str], ...] = ()
    app: str = ""
    order: int = 100

    def source_model(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def _scope_fields(self) -> dict[str, str]:
        model = apps.get_model(self.scope_model) if self.scope_model else self.source_model()
        return dict(getattr(model, "SCOPE_FIELDS", {}))

    def levels(self) -> tuple[str, ...]:
        """The region levels this figure is counted at (those the source rows have a column for)."""
        fields = self._scope_fields()
        return tuple(level for level in LEVELS if level in fields)

    def column(self, level: str) -> str:
        """The source rows' column holding their region of ``level`` (a ``values()`` / filter lookup)."""
        lookup = self.scope_lookup(level)
        return "pk" if lookup == "pk" else f"{self.scope_prefix}{lookup}_id"

    def scope_lookup(self, level: str) -> str:
        """The lookup (without the prefix) that holds a row's region of ``level`` (district … compound, grid)."""
        fields = self._scope_fields()
        lookup = fields.get(level)
        if lookup is None:
            raise KeyError(f"{self.key}: no {level} column on {self.model}")
        return lookup


_REGISTRY: dict[str, Metric] = {}
_discovered = False


def register(metric: Metric) -> Metric:
    """Add a metric (once per key: a second registration of a key is a programming error)."""
    if metric.key in _REGISTRY and _REGISTRY[metric.key] != metric:
        raise ValueError(f"metric {metric.key!r} is registered twice")
    if metric.unit not in UNITS:
        raise ValueError(f"metric {metric.key!r}: unknown unit {metric.unit!r}")
    if metric.rule == "rate":
        if not (metric.numerator and metric.denominator):
            raise ValueError(f"rate metric {metric.key!r} needs a numerator and a denominator")
    elif not metric.model:
        raise ValueError(f"metric {metric.key!r} needs a source model")
    _REGISTRY[metric.key] = metric
    return metric


def autodiscover() -> None:
    """Import ``<app>.metrics`` for every installed app that has one (idempotent)."""
    global _discovered
    if _discovered:
        return
    for config in apps.get_app_configs():
        try:
            importlib.import_module(f"{config.name}.metrics")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.metrics":
                raise
    _discovered = True
    for metric in _REGISTRY.values():
        if metric.rule == "rate":
            for part in (metric.numerator, metric.denominator):
                if part not in _REGISTRY or _REGISTRY[part].rule == "rate":
                    raise ValueError(f"rate metric {metric.key!r}: {part!r} is not a registered count or sum")


def all_metrics() -> list[Metric]:
    return sorted(_REGISTRY.values(), key=lambda m: (m.order, m.key))


def get_metric(key: str) -> Metric:
    return _REGISTRY[key]


__all__ = ["LEVELS", "Metric", "all_metrics", "autodiscover", "get_metric", "register"]
