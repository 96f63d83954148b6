from django.urls import path

from grassroots.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.ImportJobListView.as_view(), name="job_list"),
    path("new/", views.ImportJobCreateView.as_view(), name="job_create"),
    path("<int:pk>/", views.ImportJobDetailView.as_view(), name="job_detail"),
    path("<int:pk>/progress/", views.ImportJobProgressView.as_view(), name="job_progress"),
    path("<int:pk>/commit/", views.ImportJobCommitView.as_view(), name="job_commit"),
    path("templates/<slug:kind>.xlsx", views.ImportTemplateView.as_view(), name="template"),
]
