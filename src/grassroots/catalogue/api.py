"""REST API of the service catalogue: categories and service items (read-only, for any signed-in user).

The catalogue is district-wide data with no territory columns, so there is nothing to scope: every signed-in
user (a resident choosing what to ask for, a phone client) reads the same active categories and items.
Providers (organisations) are not listed: organisations are scoped rows of their own.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.permissions import IsAuthenticated

from grassroots.catalogue.models import ServiceAttribute, ServiceCategory, ServiceItem
from grassroots.catalogue.serializers import (
    ServiceCategorySerializer,
    ServiceItemFilterSerializer,
    ServiceItemListSerializer,
)
from grassroots.core.api import ScopedReadOnlyViewSet

M = TypeVar("M", ServiceCategory, ServiceItem)


class CatalogueViewSet(ScopedReadOnlyViewSet[M]):
    """Open to every signed-in user: no capability is needed to read the catalogue."""

    permission_classes = [IsAuthenticated]


def _categories() -> QuerySet[ServiceCategory]:
    return (
        ServiceCategory.objects.filter(is_active=True)
        .select_related("sla_policy")
        .annotate(item_count=Count("items", filter=Q(items__is_active=True)))
        .order_by("order", "code")
    )


def _items() -> QuerySet[ServiceItem]:
    return (
        ServiceItem.objects.filter(is_active=True, category__is_active=True)
        .select_related("category__sla_policy", "sla_policy")
        .prefetch_related(Prefetch("attributes", queryset=ServiceAttribute.objects.order_by("order")))
        .order_by("category__order", "order", "code")
    )


@extend_schema(tags=["catalogue"])
@extend_schema_view(
    list=extend_schema(
        summary="List service categories",
        description="The active categories of service posts, each with its SLA policy and number of items.",
    ),
    retrieve=extend_schema(summary="A service category"),
)
class ServiceCategoryViewSet(CatalogueViewSet[ServiceCategory]):
    """Categories of service posts (十大类服务岗位)."""

    queryset = ServiceCategory.objects.none()
    serializer_class = ServiceCategorySerializer

    def select_list(self, *, user: Any, **filters: Any) -> QuerySet[ServiceCategory]:
        return _categories()

    def select_one(self, *, user: Any, pk: int) -> ServiceCategory:
        return get_object_or_404(_categories(), pk=pk)


@extend_schema(tags=["catalogue"])
@extend_schema_view(
    list=extend_schema(
        summary="List service items",
        description=(
            "The active service items residents can ask for, with their category, service mode, provider kinds, "
            "SLA policy (the item's own, or its category's) and the extra questions asked on request."
        ),
        parameters=[ServiceItemFilterSerializer],
    ),
    retrieve=extend_schema(summary="A service item"),
)
class ServiceItemViewSet(CatalogueViewSet[ServiceItem]):
    """Service items (服务项目); ``code`` is also the Open311 ``service_code``."""

    queryset = ServiceItem.objects.none()
    serializer_class = ServiceItemListSerializer
    filter_serializer_class = ServiceItemFilterSerializer

    def select_list(self, *, user: Any, **filters: Any) -> QuerySet[ServiceItem]:
        qs = _items()
        category = filters.get("category")
        if category:
            qs = qs.filter(category_id=int(category)) if category.isdigit() else qs.filter(category__code=category)
        if filters.get("mode"):
            qs = qs.filter(mode=filters["mode"])
        if filters.get("q"):
            qs = qs.filter(Q(name__icontains=filters["q"]) | Q(keywords__icontains=filters["q"]))
        return qs

    def select_one(self, *, user: Any, pk: int) -> ServiceItem:
        return get_object_or_404(_items(), pk=pk)
