from django.urls import URLPattern, URLResolver, path

from grassroots.cockpit.views import DashboardView

app_name = "cockpit"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", DashboardView.as_view(), name="dashboard"),
]
