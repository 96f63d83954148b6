"""What each role may do, and where: the single source that scope filters and rules read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from grassroots.accounts.enums import Capability, Role

C = Capability

ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.DISTRICT_ADMIN: frozenset(C),
    Role.STREET_STAFF: frozenset(
        {
            C.VIEW_TERRITORY,
            C.VIEW_PEOPLE,
            C.VIEW_ORGANIZATIONS,
            C.UNMASK_PERSONAL_DATA,
            C.MANAGE_PEOPLE,
            C.VIEW_CASES,
            C.HANDLE_CASES,
            C.VIEW_KPIS,
            C.VIEW_WHISTLES,
            C.BLOW_WHISTLE,
            C.VIEW_FRONTLINE,
            C.MANAGE_FRONTLINE,
        }
    ),
    Role.COMMUNITY_STAFF: frozenset(
        {
            C.VIEW_TERRITORY,
            C.VIEW_PEOPLE,
            C.VIEW_ORGANIZATIONS,
            C.UNMASK_PERSONAL_DATA,
            C.MANAGE_PEOPLE,
            C.VIEW_CASES,
            C.HANDLE_CASES,
            C.VIEW_KPIS,
            C.VIEW_WHISTLES,
            C.BLOW_WHISTLE,
            C.VIEW_FRONTLINE,
            C.MANAGE_FRONTLINE,
        }
    ),
    Role.COMPOUND_SECRETARY: frozenset(
        {
            C.VIEW_TERRITORY,
            C.VIEW_PEOPLE,
            C.VIEW_ORGANIZATIONS,
            C.VIEW_CASES,
            C.HANDLE_CASES,
            C.CLAIM_CASES,
            C.VIEW_FRONTLINE,
        }
    ),
    Role.GRID_WORKER: frozenset({C.VIEW_TERRITORY, C.VIEW_PEOPLE, C.VIEW_CASES, C.HANDLE_CASES}),
    Role.DEPARTMENT_STAFF: frozenset({C.VIEW_TERRITORY, C.VIEW_ORGANIZATIONS}),
    Role.UNIT_ADMIN: frozenset({C.VIEW_ORGANIZATIONS, C.CLAIM_CASES}),
    Role.PARTY_MEMBER: frozenset({C.VIEW_TERRITORY, C.VIEW_ORGANIZATIONS, C.CLAIM_CASES}),
    Role.RESIDENT: frozenset(),
}

# Roles that act for one organisation (``RoleAssignment.organization``): what they see follows that
# organisation (a department sees the whistles that called it; a unit admin sees its own members), not a region.
ORGANIZATION_ROLES: dict[str, frozenset[str]] = {
    Role.DEPARTMENT_STAFF: frozenset(
        {"department", "agency", "public_institution", "enterprise", "property_company", "street_committee"}
    ),
    Role.UNIT_ADMIN: frozenset({"agency", "enterprise", "public_institution", "department"}),
}


def organizations_for(user: Any, role: str) -> list[int]:
    """Ids of the organisations ``user`` acts for in ``role`` (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cache: dict[str, list[int]] | None = getattr(user, "_org_cache", None)
    if cache is None:
        from grassroots.accounts.models import RoleAssignment

        cache = {}
        rows = RoleAssignment.objects.filter(user_id=user.pk, organization__isnull=False)
        for r, org_id in rows.values_list("role", "organization_id"):
            cache.setdefault(r, []).append(org_id)
        user._org_cache = cache
    return list(cache.get(role, []))


# The level of the region a role is anchored at ("grid": anchored at a grid).
ROLE_LEVELS: dict[str, frozenset[str]] = {
    Role.DISTRICT_ADMIN: frozenset({"district"}),
    Role.STREET_STAFF: frozenset({"street"}),
    Role.COMMUNITY_STAFF: frozenset({"community"}),
    Role.COMPOUND_SECRETARY: frozenset({"compound"}),
    Role.GRID_WORKER: frozenset({"grid"}),
    Role.DEPARTMENT_STAFF: frozenset({"district", "street"}),
    Role.UNIT_ADMIN: frozenset({"district", "street", "community"}),
    Role.PARTY_MEMBER: frozenset({"community", "compound"}),
    Role.RESIDENT: frozenset({"community", "compound"}),
}


@dataclass(frozen=True)
class Anchor:
    """Where one role assignment applies: a region level and id, with the community it lies in."""

    role: str
    level: str
    pk: int
    community_id: int | None


def anchors_for(user: Any, capability: str | None = None) -> list[Anchor]:
    """The user's anchors, limited to roles that hold ``capability``; cached on the user object."""
    cache: list[Anchor] | None = getattr(user, "_anchor_cache", None)
    if cache is None:
        from grassroots.accounts.models import RoleAssignment

        cache = []
        rows = RoleAssignment.objects.filter(user_id=user.pk).select_related("region", "grid")
        for ra in rows:
            if ra.grid is not None:
                cache.append(Anchor(ra.role, "grid", ra.grid.pk, ra.grid.community_id))
            elif ra.region is not None:
                cache.append(Anchor(ra.role, ra.region.kind, ra.region.pk, ra.region.community_id))
        user._anchor_cache = cache
    if capability is None:
        return list(cache)
    return [a for a in cache if capability in ROLE_CAPABILITIES.get(a.role, frozenset())]


def has_capability(user: Any, capability: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return bool(anchors_for(user, capability))


def roles_of(user: Any) -> set[str]:
    return {a.role for a in anchors_for(user)} if getattr(user, "is_authenticated", False) else set()
