"""Small template helpers for the back-office pages: masking, durations and audit change lists."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from grassroots.core.audit import SECRET_FIELDS

register = template.Library()

# Not shown either: a birth date completes the digits that a masked ID number hides.
HIDDEN_FIELDS = frozenset({*SECRET_FIELDS, "birth_date"})
# Left out as noise: the row id and the denormalised scope columns, which follow from the place.
SKIPPED_FIELDS = frozenset({"id", "district_id", "street_id", "community_id", "compound_id"})


@register.filter
def minutes(value: dt.timedelta | None, default: int = 30) -> int:
    """Whole minutes of a timedelta (for the lockout page); ``default`` when there is none."""
    if not isinstance(value, dt.timedelta):
        return default
    return max(1, round(value.total_seconds() / 60))


@register.filter
def audit_changes(changes: Any, action: str = "") -> list[tuple[str, str]]:
    """An audit row's ``changes`` as (field, text) pairs; secrets are never shown, whatever the row holds.

    Update rows hold ``[old, new]`` pairs (``core.audit.model_changes``); other rows hold plain values or lists.
    """
    if not isinstance(changes, dict):
        return []
    rows: list[tuple[str, str]] = []
    for name, value in changes.items():
        if name in SKIPPED_FIELDS:
            continue
        if name in HIDDEN_FIELDS or name.endswith("_hash"):
            text = "***"
        elif action == "update" and isinstance(value, list) and len(value) == 2:
            text = f"{_short(value[0])} → {_short(value[1])}"
        elif isinstance(value, list):
            text = ", ".join(_short(v) for v in value)
        else:
            text = _short(value)
        rows.append((str(name), text))
    return rows


def _short(value: Any, limit: int = 60) -> str:
    text = "—" if value in (None, "") else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
