"""``{% recent_notifications 5 as rows %}``: the signed-in user's latest notifications, unread first."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import F

from grassroots.notifications.models import Notification
from grassroots.notifications.selectors import inbox

register = template.Library()


@register.simple_tag(takes_context=True)
def recent_notifications(context: dict[str, Any], limit: int = 5) -> list[Notification]:
    request = context.get("request")
    user = getattr(request, "user", None)
    rows = inbox(user=user).order_by(F("read_at").asc(nulls_first=True), "-created_at", "-id")
    return list(rows[: max(1, min(int(limit), 20))])
