"""REST API of the territory: regions and grids (read-only, scoped)."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery, prefetch_related_objects
from django.db.models.functions import Substr
from drf_spectacular.utils import extend_schema, extend_schema_view

from grassroots.accounts.enums import Capability
from grassroots.core.api import ScopedReadOnlyViewSet
from grassroots.people.enums import PersonRoleKind
from grassroots.people.models import PersonRole
from grassroots.territory import selectors
from grassroots.territory.models import Grid, Region
from grassroots.territory.serializers import (
    GridDetailSerializer,
    GridFilterSerializer,
    GridListSerializer,
    RegionDetailSerializer,
    RegionFilterSerializer,
    RegionListSerializer,
)


def with_parent_pk(qs: QuerySet[Region]) -> QuerySet[Region]:
    """Annotate ``parent_pk``: the node whose materialised path is this node's path minus its last step."""
    parent = Region.objects.filter(path=Substr(OuterRef("path"), 1, (OuterRef("depth") - 1) * Region.steplen)).values(
        "pk"
    )[:1]
    return qs.annotate(parent_pk=Subquery(parent))


@extend_schema(tags=["territory"])
@extend_schema_view(
    list=extend_schema(summary="List regions", parameters=[RegionFilterSerializer]),
    retrieve=extend_schema(summary="A region with its breadcrumb"),
)
class RegionViewSet(ScopedReadOnlyViewSet[Region]):
    """Regions of the territory tree (district … entrance) within the user's scope."""

    queryset = Region.objects.none()
    capability = Capability.VIEW_TERRITORY
    serializer_class = RegionDetailSerializer
    list_serializer_class = RegionListSerializer
    filter_serializer_class = RegionFilterSerializer

    def select_list(self, *, user: Any, **filters: Any) -> QuerySet[Region]:
        return with_parent_pk(selectors.region_list(user=user, **filters))

    def select_one(self, *, user: Any, pk: int) -> Region:
        return selectors.region_get(user=user, pk=pk)


@extend_schema(tags=["territory"])
@extend_schema_view(
    list=extend_schema(summary="List grids", parameters=[GridFilterSerializer]),
    retrieve=extend_schema(summary="A grid with its areas, boundary, head and workers"),
)
class GridViewSet(ScopedReadOnlyViewSet[Grid]):
    """Grids laid over communities, within the user's scope."""

    queryset = Grid.objects.none()
    capability = Capability.VIEW_TERRITORY
    serializer_class = GridDetailSerializer
    list_serializer_class = GridListSerializer
    filter_serializer_class = GridFilterSerializer

    def select_list(self, *, user: Any, **filters: Any) -> QuerySet[Grid]:
        return selectors.grid_list(user=user, **filters)

    def select_one(self, *, user: Any, pk: int) -> Grid:
        grid = selectors.grid_get(user=user, pk=pk)
        staff = (
            PersonRole.objects.filter(kind__in=[PersonRoleKind.GRID_HEAD, PersonRoleKind.GRID_WORKER])
            .select_related("person")
            .order_by("kind", "person__name_pinyin", "pk")
        )
        prefetch_related_objects([grid], "areas", Prefetch("person_roles", queryset=staff))
        return grid
