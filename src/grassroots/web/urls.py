from django.urls import path

from grassroots.web import views

app_name = "web"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("regions/", views.RegionRootsView.as_view(), name="region_list"),
    path("regions/<int:pk>/", views.RegionDetailView.as_view(), name="region_detail"),
    path("grids/", views.GridListView.as_view(), name="grid_list"),
    path("grids/<int:pk>/", views.GridDetailView.as_view(), name="grid_detail"),
    path("persons/", views.PersonListView.as_view(), name="person_list"),
    path("persons/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("persons/<int:pk>/unmask/", views.PersonUnmaskView.as_view(), name="person_unmask"),
    path("audit/", views.AuditListView.as_view(), name="audit_list"),
]
