from django.urls import URLPattern, URLResolver, path  # noqa: F401

app_name = "whistle"

urlpatterns: list[URLPattern | URLResolver] = []  # filled by the whistle pages
