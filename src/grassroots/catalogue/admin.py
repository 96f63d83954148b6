"""The catalogue in the admin: read-only views, scoped. Edits go through the catalogue editor's pages
(``/catalogue/``), which call the audited services; the admin never writes around them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from grassroots.accounts.enums import Capability
from grassroots.accounts.roles import has_capability
from grassroots.catalogue.models import (
    RedRopeStation,
    ServiceAttribute,
    ServiceBrand,
    ServiceCategory,
    ServiceItem,
    SlaPolicy,
)
from grassroots.core.admin import CommunityListFilter, ScopedAdminMixin, register_scope


def _district_data(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Categories, items and SLA policies are district-wide: whoever may view cases reads them."""
    return queryset if has_capability(user, Capability.VIEW_CASES) else queryset.none()


for _model in (SlaPolicy, ServiceCategory, ServiceItem, ServiceAttribute):
    register_scope(_model, _district_data)


class ReadOnlyAdmin(ScopedAdminMixin):
    """Shown, never written here: the services are the one path for writes."""

    view_capability = Capability.VIEW_CASES

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}


@admin.register(SlaPolicy)
class SlaPolicyAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "response_hours", "resolution_hours", "hours_kind")
    ordering = ("response_hours", "code")


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(ReadOnlyAdmin):
    list_display = ("order", "code", "name", "first_handler", "sla_policy", "is_active")
    list_filter = ("is_active", "first_handler")
    list_select_related = ("sla_policy",)
    search_fields = ("code", "name")
    ordering = ("order", "code")


class ServiceAttributeInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ServiceAttribute
    fields = ("order", "code", "description", "datatype", "required", "values")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ServiceItem)
class ServiceItemAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "category", "mode", "sla_policy", "is_active")
    list_filter = ("is_active", "mode", "category")
    list_select_related = ("category", "sla_policy")
    search_fields = ("code", "name", "keywords")
    ordering = ("category__order", "order", "code")
    exclude = ("providers",)
    inlines = (ServiceAttributeInline,)


@admin.register(ServiceBrand)
class ServiceBrandAdmin(ReadOnlyAdmin):
    list_display = ("name", "region", "category", "is_active")
    list_filter = ("is_active", CommunityListFilter)
    list_select_related = ("region", "category")
    search_fields = ("name",)
    ordering = ("region__path", "name")
    # Providers are left out: the admin would list organisations without the reader's organisation scope.
    fields = ("name", "description", "region", "category", "is_active")
    readonly_fields = fields


@admin.register(RedRopeStation)
class RedRopeStationAdmin(ReadOnlyAdmin):
    list_display = ("name", "region", "location", "opening_hours", "is_active")
    list_filter = ("is_active", CommunityListFilter)
    list_select_related = ("region",)
    search_fields = ("name", "location")
    ordering = ("region__path", "name")
