"""``{% whistle_nav as links %}``: which whistle links the side bar shows, and which one is the current page."""

from __future__ import annotations

from typing import Any

from django import template

from grassroots.accounts.enums import Capability
from grassroots.accounts.roles import has_capability
from grassroots.whistle.views.common import answers_for_departments

register = template.Library()

# The side bar entry each whistle page belongs to.
CURRENT = {
    "whistle_list": "board",
    "whistle_detail": "board",
    "whistle_create": "create",
    "my_whistles": "mine",
    "scorecards": "scorecards",
    "department_scorecard": "scorecards",
}


@register.simple_tag(takes_context=True)
def whistle_nav(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    url_name = match.url_name if match is not None and match.namespace == "whistle" else ""
    board = has_capability(user, Capability.VIEW_WHISTLES)
    mine = answers_for_departments(user)
    current = CURRENT.get(url_name or "", "")
    if current == "board" and not board and mine:
        current = "mine"
    return {
        "board": board,
        "blow": has_capability(user, Capability.BLOW_WHISTLE),
        "mine": mine,
        "any": board or mine,
        "current": current,
    }
