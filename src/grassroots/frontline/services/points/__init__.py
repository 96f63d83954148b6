"""Points (积分): versioned rules, the ledger and its awards, recomputation, and hand-recorded service.

Import from here: ``from grassroots.frontline.services.points import points_award_for_booking``.
"""

from grassroots.frontline.services.points.ledger import (
    RecomputeResult,
    points_award_for_booking,
    points_award_for_case,
    points_award_for_report,
    points_award_for_service_record,
    points_recompute,
)
from grassroots.frontline.services.points.records import service_record_add
from grassroots.frontline.services.points.rulesets import (
    DEFAULT_POINTS,
    points_rules_current,
    points_rules_publish,
)

__all__ = [
    "DEFAULT_POINTS",
    "RecomputeResult",
    "points_award_for_booking",
    "points_award_for_case",
    "points_award_for_report",
    "points_award_for_service_record",
    "points_recompute",
    "points_rules_current",
    "points_rules_publish",
    "service_record_add",
]
