"""Reads of the territory, always for an acting user."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from grassroots.territory.models import Grid, Household, Region


def region_list(*, user: Any, kind: str | None = None, parent: int | None = None, q: str = "") -> QuerySet[Region]:
    qs = Region.objects.visible_to(user)
    if kind:
        qs = qs.filter(kind=kind)
    if parent:
        parent_node = Region.objects.filter(pk=parent).only("path", "depth").first()
        if parent_node is None:
            return qs.none()
        qs = qs.filter(path__startswith=parent_node.path, depth=parent_node.depth + 1)
    if q:
        qs = qs.filter(name__icontains=q)
    return qs.order_by("path")


def region_get(*, user: Any, pk: int) -> Region:
    """The region, or 404 when it is outside the user's scope."""
    return get_object_or_404(Region.objects.visible_to(user), pk=pk)


def region_subtree(*, region: Region) -> QuerySet[Region]:
    """Every node under ``region`` (inclusive): one indexed prefix match on the materialised path."""
    return Region.objects.filter(path__startswith=region.path)


def region_roots_for(*, user: Any) -> QuerySet[Region]:
    """The shallowest regions the user may see: where a tree browser starts."""
    visible = Region.objects.visible_to(user)
    top = visible.order_by("depth").values_list("depth", flat=True).first()
    if top is None:
        return visible.none()
    return visible.filter(depth=top).order_by("path")


def grid_list(*, user: Any, community: int | None = None, q: str = "") -> QuerySet[Grid]:
    qs = Grid.objects.visible_to(user).select_related("community")
    if community:
        qs = qs.filter(community_id=community)
    if q:
        qs = qs.filter(name__icontains=q)
    return qs.order_by("code")


def grid_get(*, user: Any, pk: int) -> Grid:
    return get_object_or_404(Grid.objects.visible_to(user).select_related("community"), pk=pk)


def household_list(*, user: Any, entrance: int | None = None) -> QuerySet[Household]:
    qs = Household.objects.visible_to(user).select_related("entrance")
    if entrance:
        qs = qs.filter(entrance_id=entrance)
    return qs.order_by("entrance_id", "number")
