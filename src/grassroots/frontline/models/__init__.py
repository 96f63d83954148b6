"""Dual reporting (units and party members), service records and points, squads' mobilisation campaigns."""

from grassroots.frontline.models.campaigns import Campaign, CampaignPlace, Shift, ShiftBooking
from grassroots.frontline.models.points import PointsEntry, PointsRule, PointsRuleSet, ServiceRecord
from grassroots.frontline.models.reporting import (
    MemberReport,
    UnitCommitment,
    UnitProject,
    UnitReport,
    UnitResource,
)

__all__ = [
    "Campaign",
    "CampaignPlace",
    "MemberReport",
    "PointsEntry",
    "PointsRule",
    "PointsRuleSet",
    "ServiceRecord",
    "Shift",
    "ShiftBooking",
    "UnitCommitment",
    "UnitProject",
    "UnitReport",
    "UnitResource",
]
