"""Open311 GeoReport v2 at ``/open311/v2/``. The format is a suffix of the resource (``services.xml``,
``requests/D20261127000001.json``); each resource has one pattern per format, so every pattern is a plain
URL the scope matrix can request."""

from django.urls import URLPattern, URLResolver, path

from grassroots.cases.open311 import views
from grassroots.cases.open311.render import FORMATS

app_name = "open311"
urlpatterns: list[URLPattern | URLResolver] = []
for fmt in FORMATS:
    urlpatterns += [
        path(f"discovery.{fmt}", views.discovery, {"fmt": fmt}, name="discovery"),
        path(f"services.{fmt}", views.services, {"fmt": fmt}, name="services"),
        path(f"services/<slug:service_code>.{fmt}", views.service_definition, {"fmt": fmt}, name="service_definition"),
        path(f"requests.{fmt}", views.service_requests, {"fmt": fmt}, name="requests"),
        path(f"requests/<slug:service_request_id>.{fmt}", views.service_request, {"fmt": fmt}, name="request"),
        path(f"tokens/<slug:token>.{fmt}", views.token, {"fmt": fmt}, name="token"),
    ]
