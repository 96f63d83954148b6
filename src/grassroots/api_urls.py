"""The REST API, version 1, and its OpenAPI document (mounted at ``/api/``).

- ``/api/v1/…``      the resources (one viewset each, registered on the router) and ``auth/token/``
- ``/api/schema/``   the OpenAPI 3 document; ``/api/docs/`` Swagger UI, served from drf-spectacular-sidecar's static
  files so that it works on an intranet with no internet. (No ReDoc page: drf-spectacular's ReDoc template loads
  Google Fonts.)
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import include, path
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from grassroots.accounts.api import TokenObtainView
from grassroots.cases.api import CaseViewSet
from grassroots.catalogue.api import ServiceCategoryViewSet, ServiceItemViewSet
from grassroots.cockpit import api as cockpit_api
from grassroots.frontline import api as frontline_api
from grassroots.organizations.api import OrganizationViewSet
from grassroots.people.api import PersonViewSet
from grassroots.territory.api import GridViewSet, RegionViewSet
from grassroots.whistle import api as whistle_api


class OfflineSwaggerView(SpectacularSwaggerView):
    """Swagger UI without its online validator badge (which fetches an image from validator.swagger.io)."""

    @extend_schema(exclude=True)
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Response:
        response: Response = super().get(request, *args, **kwargs)
        configured = spectacular_settings.SWAGGER_UI_SETTINGS
        if isinstance(configured, dict):
            response.data["settings"] = self._dump({**configured, "validatorUrl": None})
        return response


# Path-style routes ("regions/<int:pk>/"), not regexes. Route names are not namespaced ("region-list",
# "person-detail", "schema", …): tests/test_scope_matrix.py lists the unscoped ones by name.
router = SimpleRouter(trailing_slash=True, use_regex_path=False)
router.register("regions", RegionViewSet, basename="region")
router.register("grids", GridViewSet, basename="grid")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("persons", PersonViewSet, basename="person")
router.register("catalogue/categories", ServiceCategoryViewSet, basename="service-category")
router.register("catalogue/items", ServiceItemViewSet, basename="service-item")
router.register("cases", CaseViewSet, basename="case")
whistle_api.register(router)
frontline_api.register(router)
cockpit_api.register(router)

urlpatterns = [
    path("v1/auth/token/", TokenObtainView.as_view(), name="api-token"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", OfflineSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
]
