from django.urls import URLPattern, URLResolver, path  # noqa: F401

app_name = "frontline"

urlpatterns: list[URLPattern | URLResolver] = []  # filled by the frontline pages
