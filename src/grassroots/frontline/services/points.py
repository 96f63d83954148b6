"""Points: TO BE WRITTEN by the points helper (award per case, per booking, per service record; recompute)."""

from __future__ import annotations

from typing import Any


def points_award_for_case(*, case: Any) -> int:
    """Award what the case's claimer earned (fulfilment, rating) under the rules in force; idempotent."""
    return 0
