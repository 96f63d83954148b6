from django.urls import URLPattern, URLResolver, include, path

from grassroots.cockpit.geo import GridGeoJsonView
from grassroots.cockpit.records import RecordsView
from grassroots.cockpit.views import DashboardView, RankingsView

app_name = "cockpit"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", DashboardView.as_view(), name="dashboard"),
    path("rankings/", RankingsView.as_view(), name="rankings"),
    path("records/<slug:key>/", RecordsView.as_view(), name="records"),
    path("geo/grids.json", GridGeoJsonView.as_view(), name="grid_geojson"),
    path("screen/", include("grassroots.cockpit.urls_screen")),
    path("reports/", include("grassroots.cockpit.urls_reports")),
]
