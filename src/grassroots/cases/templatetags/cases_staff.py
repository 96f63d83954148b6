"""Template helpers of the staff case pages: the side bar's case links and the status badge."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from grassroots.accounts.enums import Capability
from grassroots.accounts.roles import has_capability
from grassroots.cases.models import Case
from grassroots.cases.tables import status_badge

register = template.Library()


@register.simple_tag(takes_context=True)
def cases_nav(context: template.Context) -> dict[str, Any]:
    """Which case links the side bar shows, and which one is the current page."""
    request = context.get("request")
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    current = match.url_name if match is not None and match.namespace == "cases" else ""
    return {
        "view": has_capability(user, Capability.VIEW_CASES),
        "handle": has_capability(user, Capability.HANDLE_CASES),
        "current": current or "",
    }


@register.filter
def case_status_badge(case: Case) -> SafeString:
    return status_badge(case)
