"""URLs of the cockpit's work reports (工作报告)."""

from django.urls import URLPattern, URLResolver, path

from grassroots.cockpit import views_reports as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.ReportListView.as_view(), name="report_list"),
    path("new/", views.ReportCreateView.as_view(), name="report_create"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("<int:pk>/progress/", views.ReportProgressView.as_view(), name="report_progress"),
    path("<int:pk>/text/", views.ReportProseView.as_view(), name="report_prose"),
    path("<int:pk>/cancel/", views.ReportCancelView.as_view(), name="report_cancel"),
    path("<int:pk>/download.<str:fmt>", views.ReportDownloadView.as_view(), name="report_download"),
]
