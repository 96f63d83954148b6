"""Template helpers of the portal's case pages."""

from __future__ import annotations

from typing import Any

from django import template

from grassroots.accounts.enums import Capability
from grassroots.accounts.roles import has_capability

register = template.Library()


@register.filter
def can_claim_cases(user: Any) -> bool:
    """Whether to show the party members' tab: the user may claim wishes and difficulties."""
    return has_capability(user, Capability.CLAIM_CASES)
