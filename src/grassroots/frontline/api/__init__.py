"""REST API of the frontline app: reports of units and members, the points ledger and mobilisation campaigns.

``register`` adds the viewsets to the v1 router (called by ``grassroots.api_urls``). Views only parse, fetch
through the selectors (so anything outside the user's scope is a 404) and call one service per action; the
services check the rules and raise ``ApplicationError`` (400/403/409 with its code).
"""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from grassroots.frontline.api.campaigns import CampaignViewSet
from grassroots.frontline.api.points import PointsEntryViewSet
from grassroots.frontline.api.reporting import MemberReportViewSet, UnitReportViewSet


def register(router: SimpleRouter) -> None:
    """Add this app's viewsets to ``router``."""
    router.register("frontline/unit-reports", UnitReportViewSet, basename="unit-report")
    router.register("frontline/member-reports", MemberReportViewSet, basename="member-report")
    router.register("frontline/points", PointsEntryViewSet, basename="points-entry")
    router.register("campaigns", CampaignViewSet, basename="campaign")


__all__ = ["CampaignViewSet", "MemberReportViewSet", "PointsEntryViewSet", "UnitReportViewSet", "register"]
