"""Reads of work reports, always for the acting user: the reports of the regions whose figures they may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from grassroots.accounts.enums import Capability
from grassroots.cockpit.models import WorkReport
from grassroots.cockpit.reports.build import REPORT_LEVELS
from grassroots.cockpit.rules import REPORT_CAPABILITY
from grassroots.territory.models import Region


def report_list(
    *, user: Any, region_id: int | None = None, kind: str | None = None, status: str | None = None
) -> QuerySet[WorkReport]:
    """Reports in the user's VIEW_KPIS scope, newest period first, optionally of one region, kind or status."""
    qs = WorkReport.objects.visible_to(user, Capability.VIEW_KPIS).select_related("region", "requested_by")
    if region_id:
        qs = qs.filter(region_id=region_id)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs.defer("figures")


def report_get(*, user: Any, pk: int) -> WorkReport:
    """One report the user may see (``WorkReport.DoesNotExist`` otherwise: a 404, never a hint it exists)."""
    return WorkReport.objects.visible_to(user, Capability.VIEW_KPIS).select_related("region", "requested_by").get(pk=pk)


def report_regions(*, user: Any) -> QuerySet[Region]:
    """Regions the user may request a report for: figures in scope and frontline work managed there."""
    visible = Region.objects.visible_to(user, Capability.VIEW_KPIS).filter(kind__in=REPORT_LEVELS)
    managed = Region.objects.visible_to(user, REPORT_CAPABILITY).values("pk")
    return visible.filter(pk__in=managed).order_by("depth", "path")


def report_filter_regions(*, user: Any) -> QuerySet[Region]:
    """Regions to filter the list by: those the user sees reports of."""
    return Region.objects.filter(pk__in=report_list(user=user).values("region_id")).order_by("depth", "path")
