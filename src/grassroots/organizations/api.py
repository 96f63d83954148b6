"""REST API of organisations (read-only, scoped)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet, prefetch_related_objects
from drf_spectacular.utils import extend_schema, extend_schema_view

from grassroots.accounts.enums import Capability
from grassroots.core.api import ScopedReadOnlyViewSet
from grassroots.organizations import selectors
from grassroots.organizations.models import Organization
from grassroots.organizations.serializers import (
    OrganizationDetailSerializer,
    OrganizationFilterSerializer,
    OrganizationListSerializer,
)


@extend_schema(tags=["organizations"])
@extend_schema_view(
    list=extend_schema(summary="List organisations", parameters=[OrganizationFilterSerializer]),
    retrieve=extend_schema(summary="An organisation"),
)
class OrganizationViewSet(ScopedReadOnlyViewSet[Organization]):
    """Party organisations, units, departments, property companies, committees and teams within scope."""

    queryset = Organization.objects.none()
    capability = Capability.VIEW_ORGANIZATIONS
    serializer_class = OrganizationDetailSerializer
    list_serializer_class = OrganizationListSerializer
    filter_serializer_class = OrganizationFilterSerializer

    def select_list(self, *, user: Any, **filters: Any) -> QuerySet[Organization]:
        return selectors.organization_list(user=user, **filters)

    def select_one(self, *, user: Any, pk: int) -> Organization:
        organization = selectors.organization_get(user=user, pk=pk)
        prefetch_related_objects([organization], "served_compounds")
        return organization
