"""What the frame of every staff page needs: the side bar's modules and the region switcher."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from grassroots.accounts.enums import Capability
from grassroots.accounts.roles import has_capability, roles_of
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Region
from grassroots.web import narrow

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
    "organization_list": "organizations",
    "organization_detail": "organizations",
    "audit_list": "audit",
    "region_switch": "home",
}
# Sections of pages outside the ``web`` namespace, by namespace.
NAMESPACE_SECTIONS = {"imports": "imports"}

SWITCHER_KINDS = (RegionKind.STREET, RegionKind.COMMUNITY, RegionKind.COMPOUND)
# The switcher lists the user's top level and the one below it; more than this and the search takes over.
SWITCHER_LIMIT = 300


def url_or_none(name: str) -> str | None:
    """The URL of a page another part of the project may not have added yet."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


class Switcher:
    """The region switcher's choices, computed only when the page renders it (one query)."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    @cached_property
    def current(self) -> Region | None:
        return narrow.current_region(self.request)

    @cached_property
    def options(self) -> list[dict[str, Any]]:
        """The visible streets/communities/compounds of the user's top level and the level below, in tree order."""
        rows = list(
            Region.objects.visible_to(self.request.user)
            .filter(kind__in=SWITCHER_KINDS)
            .order_by("depth", "path")
            .values("pk", "name", "kind", "depth", "path")[:SWITCHER_LIMIT]
        )
        if not rows:
            return []
        top = rows[0]["depth"]
        rows = sorted((r for r in rows if r["depth"] <= top + 1), key=lambda r: r["path"])
        for row in rows:
            row["indent"] = row["depth"] > top
            row["kind_label"] = RegionKind(row["kind"]).label
        return rows

    @cached_property
    def option_ids(self) -> set[int]:
        return {row["pk"] for row in self.options}

    @cached_property
    def path(self) -> list[Region]:
        """The narrowed region and its ancestors, from the top of the tree (one query)."""
        if self.current is None:
            return []
        return [*Region.objects.get_ancestors(self.current), self.current]

    @cached_property
    def enabled(self) -> bool:
        """Worth showing: the user can choose between regions, or has narrowed to one."""
        return self.current is not None or len(self.options) > 1


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Which modules the side bar shows: only those the user's roles grant a capability for."""
    user = request.user
    match = getattr(request, "resolver_match", None)
    section = ""
    if match:
        section = NAMESPACE_SECTIONS.get(match.namespace or "", "") or SECTIONS.get(match.url_name or "", "")
    authenticated = bool(getattr(user, "is_authenticated", False))
    people = has_capability(user, Capability.VIEW_PEOPLE)
    organizations = has_capability(user, Capability.VIEW_ORGANIZATIONS)
    manage = has_capability(user, Capability.MANAGE_PEOPLE) or has_capability(user, Capability.MANAGE_TERRITORY)
    return {
        "nav": {
            "roles": sorted(roles_of(user)),
            "territory": has_capability(user, Capability.VIEW_TERRITORY),
            "people": people,
            "organizations": organizations,
            "organizations_url": url_or_none("web:organization_list") if organizations else None,
            # The import pages need VIEW_PEOPLE; only roles that may change data are offered them.
            "imports_url": url_or_none("imports:job_list") if people and manage else None,
            "audit": has_capability(user, Capability.VIEW_AUDIT),
            "api_docs": authenticated and (people or organizations),
            "portal_url": url_or_none("portal:home"),
            "admin": bool(getattr(user, "is_staff", False) and user.is_active),
            "section": section,
        },
        "switcher": Switcher(request) if authenticated else None,
    }
