"""Template helpers of the frontline staff pages: the side bar's links, status badges and fill bars."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from grassroots.accounts.enums import Capability, Role
from grassroots.accounts.roles import has_capability, roles_of
from grassroots.frontline.tables import campaign_badge as _campaign_badge
from grassroots.frontline.tables import report_badge as _report_badge

register = template.Library()


@register.simple_tag(takes_context=True)
def frontline_nav(context: template.Context) -> dict[str, Any]:
    """Which dual-reporting links the side bar shows (staff, unit admins), and the current page's name."""
    request = context.get("request")
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    current = match.url_name if match is not None and match.namespace == "frontline" else ""
    # From the cached anchors (no query): the unit pages themselves check the organisation acted for.
    unit_admin = Role.UNIT_ADMIN in roles_of(user)
    return {
        "view": has_capability(user, Capability.VIEW_FRONTLINE),
        "manage": has_capability(user, Capability.MANAGE_FRONTLINE),
        "unit_admin": unit_admin,
        "current": current or "",
    }


@register.filter
def report_badge(report: Any) -> SafeString:
    return _report_badge(report)


@register.filter
def campaign_badge(campaign: Any) -> SafeString:
    return _campaign_badge(campaign)


@register.filter
def percent(rate: Any) -> int:
    """A 0–1 rate as a whole percentage (capped at 100 for bar widths)."""
    try:
        return max(0, min(100, round(float(rate) * 100)))
    except (TypeError, ValueError):
        return 0


@register.filter
def fill_class(rate: Any) -> str:
    try:
        value = float(rate)
    except (TypeError, ValueError):
        return "low"
    if value >= 1:
        return "full"
    return "low" if value < 0.5 else ""
