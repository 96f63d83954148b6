"""Cases and Open311 keys in the admin: read-only and scoped. Every change to a case is a transition made by a
service (accept, claim, fulfil, rate …) from the case pages or the API; keys are issued on the Open311 key page.
Contact numbers are shown masked; e-mail addresses and hashes are not shown."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from grassroots.accounts.enums import Capability
from grassroots.accounts.roles import has_capability
from grassroots.cases.models import Case, CaseEvent, Open311Client
from grassroots.core.admin import CommunityListFilter, ScopedAdminMixin, register_scope


class _ReadOnly(ScopedAdminMixin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}


class CaseEventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = CaseEvent
    fields = ("at", "kind", "actor_label", "from_status", "to_status", "note", "public")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("at", "id")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True  # the case itself was fetched through the scoped queryset


@admin.register(Case)
class CaseAdmin(_ReadOnly):
    list_display = ("number", "title", "kind", "status", "category", "community", "level", "submitted_at")
    list_filter = ("kind", "status", "level", "channel", "category", CommunityListFilter)
    list_select_related = ("category", "community")
    search_fields = ("number", "title")
    date_hierarchy = "submitted_at"
    ordering = ("-submitted_at", "-id")
    fields = (
        "number",
        "kind",
        "status",
        "channel",
        "need_group",
        "category",
        "item",
        "title",
        "description",
        "place",
        "community",
        "grid",
        "requester_name",
        "contact_mobile_display",
        "level",
        "assignee_org",
        "claimer_display",
        "submitted_at",
        "response_due",
        "responded_at",
        "resolution_due",
        "fulfilled_at",
        "closed_at",
        "escalation_count",
        "reopen_count",
        "residents_served",
        "satisfaction",
        "rating_stars",
        "rating_comment",
    )
    readonly_fields = fields
    inlines = (CaseEventInline,)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Not Django's "cases.view_case": that name is the ``rules`` permission on one case (cases.rules), which
        # needs the case. Viewing here is the role's capability; the rows are the scoped queryset.
        return bool(request.user.is_superuser) or self._may_view(request)

    @admin.display(description=_("contact mobile"))
    def contact_mobile_display(self, obj: Case) -> str:
        return obj.contact_mobile_masked or "—"

    @admin.display(description=_("claimed by"))
    def claimer_display(self, obj: Case) -> str:
        return obj.claimer_label or "—"


def _key_managers(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Open311 keys are district configuration: only those who manage the catalogue see them."""
    return queryset if has_capability(user, Capability.MANAGE_CATALOGUE) else queryset.none()


register_scope(Open311Client, _key_managers)


@admin.register(Open311Client)
class Open311ClientAdmin(_ReadOnly):
    view_capability = Capability.MANAGE_CATALOGUE
    list_display = ("name", "key_prefix", "is_active", "created_at", "last_used_at")
    list_filter = ("is_active",)
    search_fields = ("name",)
    ordering = ("name",)
    fields = ("name", "key_prefix", "is_active", "created_by", "created_at", "last_used_at")
    readonly_fields = fields
