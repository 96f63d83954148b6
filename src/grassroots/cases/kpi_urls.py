from django.urls import path

from grassroots.cases.views_kpi import KpiView

app_name = "kpis"
urlpatterns = [
    path("", KpiView.as_view(), name="kpi_page"),
]
