"""The metrics API: the registry's definitions, and a metric's values for a region and period (scoped)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import translation
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from grassroots.accounts.enums import Capability
from grassroots.accounts.roles import has_capability
from grassroots.cockpit.compute import GROUP_BYS, metric_values, region_for
from grassroots.cockpit.registry import Metric, all_metrics, get_metric
from grassroots.core.errors import ApplicationError
from grassroots.territory.models import Region

CENT = Decimal("0.01")


class MetricSerializer(serializers.Serializer[Metric]):
    key = serializers.CharField()
    label_zh = serializers.SerializerMethodField()
    label_en = serializers.SerializerMethodField()
    definition = serializers.SerializerMethodField()
    unit = serializers.CharField()
    rule = serializers.CharField(help_text="sum, count, distinct, or rate (of two sums: numerator ÷ denominator)")
    numerator = serializers.CharField(allow_blank=True)
    denominator = serializers.CharField(allow_blank=True)
    stock = serializers.SerializerMethodField(help_text="True: counted as of now, with no values by day")
    app = serializers.CharField()

    def get_label_zh(self, metric: Metric) -> str:
        with translation.override("zh-hans"):
            return str(metric.label)

    def get_label_en(self, metric: Metric) -> str:
        with translation.override("en"):
            return str(metric.label)

    def get_definition(self, metric: Metric) -> str:
        return str(metric.definition)

    def get_stock(self, metric: Metric) -> bool:
        return metric.rule != "rate" and not metric.date_field


class ValuesQuery(serializers.Serializer[Any]):
    metric = serializers.CharField()
    region = serializers.IntegerField()
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    group_by = serializers.ChoiceField(choices=GROUP_BYS, default="total")

    def validate_metric(self, value: str) -> str:
        try:
            get_metric(value)
        except KeyError:
            raise serializers.ValidationError("Unknown metric.") from None
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("date_from"), attrs.get("date_to")
        if start and end and end < start:
            raise serializers.ValidationError({"to": ["The period ends before it starts."]})
        if start and end and (end - start) > dt.timedelta(days=3660):
            raise serializers.ValidationError({"to": ["Ask for ten years at most."]})
        return attrs


VALUES = inline_serializer(
    "MetricValues",
    {
        "metric": serializers.CharField(),
        "region": serializers.IntegerField(),
        "group_by": serializers.CharField(),
        "values": inline_serializer(
            "MetricValue",
            {
                "key": serializers.CharField(help_text='"" for the total, a date (day, month) or a region/grid id'),
                "value": serializers.DecimalField(max_digits=20, decimal_places=2),
                "numerator": serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True),
                "denominator": serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True),
            },
            many=True,
        ),
    },
)


class CanSeeFigures(permissions.BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return has_capability(request.user, Capability.VIEW_KPIS)


class MetricViewSet(viewsets.ViewSet):
    """Every figure of the source as a metric: its definition, and its values for a region you may see."""

    permission_classes = [permissions.IsAuthenticated, CanSeeFigures]

    @extend_schema(responses=MetricSerializer(many=True), summary="Metric definitions")
    def list(self, request: Request) -> Response:
        return Response(MetricSerializer(all_metrics(), many=True).data)  # type: ignore[arg-type]

    @extend_schema(
        summary="A metric's values for a region and period",
        parameters=[
            OpenApiParameter("metric", str, required=True, description="A metric key from /api/v1/metrics/"),
            OpenApiParameter("region", int, required=True, description="A region you may see (district … compound)"),
            OpenApiParameter("from", dt.date, description="First day (inclusive)"),
            OpenApiParameter("to", dt.date, description="Last day (inclusive)"),
            OpenApiParameter("group_by", str, enum=GROUP_BYS, description="total (default), day, month, region"),
        ],
        responses=VALUES,
    )
    @action(detail=False, methods=["get"])
    def values(self, request: Request) -> Response:
        raw: dict[str, str | None] = {k: str(v) for k, v in request.query_params.items()}
        raw["date_from"], raw["date_to"] = raw.pop("from", None), raw.pop("to", None)
        query = ValuesQuery(data={k: v for k, v in raw.items() if v not in (None, "")})
        if not query.is_valid():
            fields = {
                ("from" if k == "date_from" else "to" if k == "date_to" else k): v for k, v in query.errors.items()
            }
            raise ApplicationError("invalid", "Please correct the query.", fields=fields)
        data = query.validated_data
        try:
            region = region_for(user=request.user, pk=data["region"])
        except Region.DoesNotExist:
            raise ApplicationError("not_found", "Not found.", status=404) from None
        points = metric_values(
            user=request.user,
            key=data["metric"],
            region=region,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            group_by=data["group_by"],
        )
        return Response(
            {
                "metric": data["metric"],
                "region": region.pk,
                "group_by": data["group_by"],
                "values": [
                    {
                        "key": p.key,
                        "value": _decimal(p.value),
                        "numerator": _decimal(p.numerator),
                        "denominator": _decimal(p.denominator),
                    }
                    for p in points
                ],
            }
        )


def _decimal(value: Decimal | None) -> str | None:
    """Figures travel as strings with two decimals, as DRF's decimal fields do (no float rounding)."""
    return None if value is None else str(Decimal(value).quantize(CENT))


def register(router: SimpleRouter) -> None:
    router.register("metrics", MetricViewSet, basename="metric")
