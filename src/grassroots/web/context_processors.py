from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from grassroots.accounts.enums import Capability
from grassroots.accounts.roles import has_capability, roles_of


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "nav": {
            "roles": sorted(roles_of(user)),
            "territory": has_capability(user, Capability.VIEW_TERRITORY),
            "people": has_capability(user, Capability.VIEW_PEOPLE),
            "organizations": has_capability(user, Capability.VIEW_ORGANIZATIONS),
            "audit": has_capability(user, Capability.VIEW_AUDIT),
        }
    }
