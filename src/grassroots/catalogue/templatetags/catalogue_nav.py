"""``{% catalogue_nav as links %}``: which catalogue, KPI and Open311-key links the side bar shows."""

from __future__ import annotations

from typing import Any

from django import template

from grassroots.accounts.enums import Capability
from grassroots.accounts.roles import has_capability

register = template.Library()


@register.simple_tag(takes_context=True)
def catalogue_nav(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    namespace = match.namespace if match is not None else ""
    url_name = match.url_name if match is not None else ""
    if namespace == "catalogue":
        current = "open311" if (url_name or "").startswith("open311") else "catalogue"
    else:
        current = "kpis" if namespace == "kpis" else ""
    return {
        "catalogue": has_capability(user, Capability.VIEW_CASES),
        "kpis": has_capability(user, Capability.VIEW_KPIS),
        "open311": has_capability(user, Capability.MANAGE_CATALOGUE),
        "current": current,
    }
