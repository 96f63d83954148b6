"""The grid map's data: the grids inside a region the user may see, as GeoJSON, each with one figure's value.

``GET /cockpit/geo/grids.json?region=<id>|grid=<id>&metric=<key>&period=…|from=&to=`` answers a FeatureCollection;
each feature's properties are {id, name, community, value, url}. ``static/cockpit/gridmap.js`` draws it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, JsonResponse
from django.utils import timezone
from django.views import View

from grassroots.accounts.enums import Capability
from grassroots.cockpit.compute import Place, metric_values
from grassroots.cockpit.registry import Metric, get_metric
from grassroots.cockpit.views.periods import Period, PeriodForm
from grassroots.cockpit.views.places import dashboard_url, grids_in, place_from
from grassroots.core.errors import ApplicationError
from grassroots.territory.models import Grid
from grassroots.web.views.base import CapabilityRequiredMixin

DEFAULT_METRIC = "deeds_done"


def geometry_of(boundary: Any) -> dict[str, Any] | None:
    """A grid's boundary as a bare Polygon/MultiPolygon geometry (it may be stored as a Feature), or None."""
    if not isinstance(boundary, dict):
        return None
    geometry = boundary.get("geometry") if boundary.get("type") == "Feature" else boundary
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return None
    if not isinstance(geometry.get("coordinates"), list):
        return None
    return {"type": geometry["type"], "coordinates": geometry["coordinates"]}


def metric_from(request: HttpRequest) -> Metric:
    try:
        return get_metric(request.GET.get("metric") or DEFAULT_METRIC)
    except KeyError:
        raise Http404 from None


def grid_values(user: Any, metric: Metric, place: Place, period: Period) -> dict[int, Decimal | None]:
    """The figure for each grid of ``place`` (None: not counted at grid level, or a rate with nothing to divide)."""
    stock = metric.rule != "rate" and not metric.date_field
    span: dict[str, Any] = {} if stock else {"date_from": period.first, "date_to": period.last}
    try:
        if isinstance(place, Grid):
            points = metric_values(user=user, key=metric.key, region=place, **span)
            return {place.pk: points[0].value if points else Decimal(0)}
        points = metric_values(user=user, key=metric.key, region=place, group_by="grid", **span)
    except ApplicationError:
        return {}
    return {int(p.key): (None if metric.rule == "rate" and not p.denominator else p.value) for p in points}


def grid_features(user: Any, place: Place, metric: Metric, period: Period) -> list[dict[str, Any]]:
    grids = grids_in(user, place).exclude(boundary__isnull=True).select_related("community").order_by("code")
    values = grid_values(user, metric, place, period)
    counted = "grid" in (metric.levels() if metric.rule != "rate" else get_metric(metric.numerator).levels())
    features = []
    for grid in grids:
        geometry = geometry_of(grid.boundary)
        if geometry is None:
            continue
        value = values.get(grid.pk, None if metric.rule == "rate" or not counted else Decimal(0))
        features.append(
            {
                "type": "Feature",
                "id": grid.pk,
                "geometry": geometry,
                "properties": {
                    "id": grid.pk,
                    "name": grid.name,
                    "community": grid.community.name,
                    "value": None if value is None else float(value),
                    "url": dashboard_url(grid, metric=metric.key, **period.query()),
                },
            }
        )
    return features


class GridGeoJsonView(CapabilityRequiredMixin, View):
    capability = Capability.VIEW_KPIS
    scoped_model = Grid  # only the grids inside a place the user may see

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        place = place_from(request)
        metric = metric_from(request)
        form = PeriodForm(request.GET)
        if request.GET and not form.is_valid():
            return JsonResponse({"errors": form.errors}, status=400)
        period = form.chosen(timezone.localdate())
        data = {
            "type": "FeatureCollection",
            "region": {"id": place.pk, "name": place.name, "level": "grid" if isinstance(place, Grid) else place.kind},
            "metric": {"key": metric.key, "label": str(metric.label), "unit": metric.unit, "rule": metric.rule},
            "period": {"from": period.first.isoformat(), "to": period.last.isoformat()},
            "features": grid_features(request.user, place, metric, period),
        }
        response = JsonResponse(data, content_type="application/geo+json")
        response["Cache-Control"] = "private, max-age=60"
        return response
