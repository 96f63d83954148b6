"""The points ledger (积分明细), read only: every line names the rule version and the source that earned it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.permissions import IsAuthenticated

from grassroots.core.pagination import StandardPagination
from grassroots.frontline.models import PointsEntry
from grassroots.frontline.selectors import points as selectors
from grassroots.frontline.serializers import ENTRY_RELATED, PointsEntrySerializer, PointsFilterSerializer


@extend_schema(tags=["frontline"])
@extend_schema_view(
    list=extend_schema(
        summary="The points ledger",
        description=(
            "Ledger lines the user may see: staff those of the members reported to their communities, a unit's "
            "admin those of the unit's members, a member their own. Newest first."
        ),
        parameters=[PointsFilterSerializer],
    ),
)
class PointsEntryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[PointsEntry]):
    """Points earned by party members, one line per source (a report, a case, a shift, a service record)."""

    queryset = PointsEntry.objects.none()
    serializer_class = PointsEntrySerializer
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    pagination_class = StandardPagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[PointsEntry]:
        params = PointsFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        filters = params.validated_data
        rows = selectors.points_ledger(
            user=self.request.user,
            person_id=filters.get("person"),
            unit_id=filters.get("unit"),
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
        )
        return rows.select_related(*ENTRY_RELATED)
