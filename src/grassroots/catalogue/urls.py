from django.urls import path

from grassroots.cases import views_open311_clients as open311
from grassroots.catalogue import views, views_community

app_name = "catalogue"
urlpatterns = [
    path("", views.CategoryListView.as_view(), name="category_list"),
    path("categories/new/", views.CategoryCreateView.as_view(), name="category_create"),
    path("categories/<int:pk>/edit/", views.CategoryUpdateView.as_view(), name="category_update"),
    path("items/", views.ItemListView.as_view(), name="item_list"),
    path("items/new/", views.ItemCreateView.as_view(), name="item_create"),
    path("items/<int:pk>/", views.ItemDetailView.as_view(), name="item_detail"),
    path("items/<int:pk>/edit/", views.ItemUpdateView.as_view(), name="item_update"),
    path("items/<int:pk>/active/", views.ItemActiveView.as_view(), name="item_active"),
    path("items/<int:pk>/questions/new/", views.AttributeCreateView.as_view(), name="attribute_create"),
    path("questions/<int:pk>/edit/", views.AttributeUpdateView.as_view(), name="attribute_update"),
    path("questions/<int:pk>/delete/", views.AttributeDeleteView.as_view(), name="attribute_delete"),
    path("sla/", views.SlaPolicyListView.as_view(), name="sla_list"),
    path("sla/new/", views.SlaPolicyCreateView.as_view(), name="sla_create"),
    path("sla/<int:pk>/edit/", views.SlaPolicyUpdateView.as_view(), name="sla_update"),
    path("brands/", views_community.BrandListView.as_view(), name="brand_list"),
    path("brands/new/", views_community.BrandCreateView.as_view(), name="brand_create"),
    path("brands/<int:pk>/edit/", views_community.BrandUpdateView.as_view(), name="brand_update"),
    path("stations/", views_community.StationListView.as_view(), name="station_list"),
    path("stations/new/", views_community.StationCreateView.as_view(), name="station_create"),
    path("stations/<int:pk>/edit/", views_community.StationUpdateView.as_view(), name="station_update"),
    path("open311-clients/", open311.Open311ClientListView.as_view(), name="open311_client_list"),
    path("open311-clients/new/", open311.Open311ClientCreateView.as_view(), name="open311_client_create"),
    path(
        "open311-clients/<int:pk>/deactivate/",
        open311.Open311ClientDeactivateView.as_view(),
        name="open311_client_deactivate",
    ),
]
