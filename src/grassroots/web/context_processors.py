from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from grassroots.accounts.enums import Capability
from grassroots.accounts.roles import has_capability, roles_of

# The navigation section each page belongs to, by URL name, to highlight it in the side bar.
SECTIONS = {
    "home": "home",
    "region_list": "regions",
    "region_detail": "regions",
    "grid_list": "grids",
    "grid_detail": "grids",
    "person_list": "persons",
    "person_detail": "persons",
    "person_unmask": "persons",
    "audit_list": "audit",
}


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Which modules the side bar shows: only those the user's roles grant a capability for."""
    user = request.user
    match = getattr(request, "resolver_match", None)
    return {
        "nav": {
            "roles": sorted(roles_of(user)),
            "territory": has_capability(user, Capability.VIEW_TERRITORY),
            "people": has_capability(user, Capability.VIEW_PEOPLE),
            "organizations": has_capability(user, Capability.VIEW_ORGANIZATIONS),
            "audit": has_capability(user, Capability.VIEW_AUDIT),
            "admin": bool(getattr(user, "is_staff", False) and user.is_active),
            "section": SECTIONS.get(match.url_name or "", "") if match else "",
        }
    }
