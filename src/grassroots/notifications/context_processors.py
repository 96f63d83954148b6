"""The header bell: the user's unread notification count, counted only when a template reads it."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.http import HttpRequest

from grassroots.notifications.selectors import unread_count


class Unread:
    """``{{ unread_notifications.count }}``: one indexed COUNT, run on first use."""

    def __init__(self, user: Any) -> None:
        self.user = user

    @cached_property
    def count(self) -> int:
        if not getattr(self.user, "is_authenticated", False):
            return 0
        return unread_count(user=self.user)


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    return {"unread_notifications": Unread(getattr(request, "user", None))}
