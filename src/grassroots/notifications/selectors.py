"""Reads of a user's own inbox; nobody reads another user's notifications."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from grassroots.notifications.models import Notification


def inbox(*, user: Any, unread_only: bool = False) -> QuerySet[Notification]:
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient_id=user.pk)
    return qs.filter(read_at__isnull=True) if unread_only else qs


def unread_count(*, user: Any) -> int:
    return inbox(user=user, unread_only=True).count()
