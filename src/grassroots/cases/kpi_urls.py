from django.urls import URLPattern, URLResolver

app_name = "kpis"
urlpatterns: list[URLPattern | URLResolver] = []
