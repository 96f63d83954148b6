from django.urls import path

from grassroots.web import views
from grassroots.web.views import organizations as organization_views
from grassroots.web.views import people as people_views
from grassroots.web.views import territory as territory_views
from grassroots.web.views.switcher import RegionSwitchView

app_name = "web"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("switch-region/", RegionSwitchView.as_view(), name="region_switch"),
    path("regions/", territory_views.RegionListView.as_view(), name="region_list"),
    path("regions/new/", territory_views.RegionCreateView.as_view(), name="region_create"),
    path("regions/<int:pk>/", views.RegionDetailView.as_view(), name="region_detail"),
    path("regions/<int:pk>/edit/", territory_views.RegionUpdateView.as_view(), name="region_update"),
    path("grids/", views.GridListView.as_view(), name="grid_list"),
    path("grids/new/", territory_views.GridCreateView.as_view(), name="grid_create"),
    path("grids/<int:pk>/", views.GridDetailView.as_view(), name="grid_detail"),
    path("grids/<int:pk>/edit/", territory_views.GridUpdateView.as_view(), name="grid_update"),
    path("organizations/", organization_views.OrganizationListView.as_view(), name="organization_list"),
    path("organizations/new/", organization_views.OrganizationCreateView.as_view(), name="organization_create"),
    path("organizations/<int:pk>/", organization_views.OrganizationDetailView.as_view(), name="organization_detail"),
    path(
        "organizations/<int:pk>/edit/",
        organization_views.OrganizationUpdateView.as_view(),
        name="organization_update",
    ),
    path("persons/", views.PersonListView.as_view(), name="person_list"),
    path("persons/new/", people_views.PersonCreateView.as_view(), name="person_create"),
    path("persons/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("persons/<int:pk>/edit/", people_views.PersonUpdateView.as_view(), name="person_update"),
    path("persons/<int:pk>/unmask/", views.PersonUnmaskView.as_view(), name="person_unmask"),
    path("audit/", views.AuditListView.as_view(), name="audit_list"),
]
