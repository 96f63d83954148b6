"""Whistles in the admin: read-only and scoped. Every change is a transition made by a whistle service (blow,
report, feed back, rate, close, cancel) from the whistle pages or the API."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from grassroots.core.admin import CommunityListFilter, ScopedAdminMixin
from grassroots.whistle.models import Whistle, WhistleCall, WhistleEvent


class _ReadOnly(ScopedAdminMixin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Not Django's "whistle.view_whistle": that name is the ``rules`` permission on one whistle (whistle.rules),
        # which needs the whistle. Viewing here is the role's capability; the rows are the scoped queryset.
        return bool(request.user.is_superuser) or self._may_view(request)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}


class _ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True  # the whistle itself was fetched through the scoped queryset


class WhistleCallInline(_ReadOnlyInline):
    model = WhistleCall
    fields = (
        "department",
        "status",
        "report_due",
        "reported_at",
        "reported_on_time",
        "fed_back_at",
        "handled_on_time",
        "rating",
        "escalation_level",
    )
    readonly_fields = fields
    ordering = ("id",)


class WhistleEventInline(_ReadOnlyInline):
    model = WhistleEvent
    fields = ("at", "kind", "call", "actor_label", "note")
    readonly_fields = fields
    ordering = ("at", "id")


@admin.register(Whistle)
class WhistleAdmin(_ReadOnly):
    list_display = ("number", "title", "region", "urgency", "status", "raised_at", "handle_due")
    list_filter = ("status", "urgency", CommunityListFilter)
    list_select_related = ("region",)
    search_fields = ("number", "title")
    date_hierarchy = "raised_at"
    ordering = ("-raised_at", "-id")
    fields = (
        "number",
        "title",
        "description",
        "region",
        "origin_case",
        "urgency",
        "handle_due",
        "status",
        "raised_at",
        "raised_by_label",
        "closed_at",
        "close_note",
    )
    readonly_fields = fields
    inlines = (WhistleCallInline, WhistleEventInline)


@admin.register(WhistleCall)
class WhistleCallAdmin(_ReadOnly):
    list_display = ("whistle", "department", "status", "report_due", "reported_on_time", "handled_on_time", "rating")
    list_filter = ("status", "rating", "escalation_level", CommunityListFilter)
    list_select_related = ("whistle", "department")
    search_fields = ("whistle__number", "department__name")
    ordering = ("-called_at", "-id")
    fields = (
        "whistle",
        "department",
        "task",
        "status",
        "called_at",
        "report_due",
        "handle_due",
        "acknowledged_at",
        "reported_at",
        "on_site_people",
        "report_note",
        "report_photo",
        "reported_on_time",
        "fed_back_at",
        "feedback_note",
        "handled_on_time",
        "rating",
        "rating_reason",
        "rated_at",
        "escalation_level",
    )
    readonly_fields = fields
