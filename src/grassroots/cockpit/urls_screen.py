"""URLs of the cockpit's big screen: the page and the JSON it refreshes from."""

from django.urls import URLPattern, URLResolver, path

from grassroots.cockpit.screen import ScreenDataView, ScreenView

urlpatterns: list[URLPattern | URLResolver] = [
    path("", ScreenView.as_view(), name="screen"),
    path("data.json", ScreenDataView.as_view(), name="screen_data"),
]
