"""Notifications in the admin: each user sees only their own messages and deliveries, read-only.
Messages are written by ``notify`` and marked read from the inbox (``/inbox/``)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from grassroots.core.admin import ScopedAdminMixin, register_scope
from grassroots.notifications.models import Delivery, Notification


def _own_notifications(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    return queryset.filter(recipient_id=user.pk)


def _own_deliveries(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    return queryset.filter(notification__recipient_id=user.pk)


register_scope(Notification, _own_notifications)
register_scope(Delivery, _own_deliveries)


class OwnReadOnlyAdmin(ScopedAdminMixin):
    """Any active staff user opens the list; it holds only their own rows."""

    def _staff(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._staff(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._staff(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}


@admin.register(Notification)
class NotificationAdmin(OwnReadOnlyAdmin):
    list_display = ("title", "verb", "created_at", "read_at")
    list_filter = ("verb",)
    search_fields = ("title",)
    ordering = ("-created_at", "-id")
    fields = ("title", "verb", "body", "url", "created_at", "read_at")
    readonly_fields = fields


@admin.register(Delivery)
class DeliveryAdmin(OwnReadOnlyAdmin):
    list_display = ("notification", "channel", "status", "attempted_at")
    list_filter = ("channel", "status")
    list_select_related = ("notification",)
    ordering = ("-id",)
    fields = ("notification", "channel", "status", "attempted_at", "error")
    readonly_fields = fields
