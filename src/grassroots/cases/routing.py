"""Routing: from a place and a category to the grid covering it, the first rung and the first handler.

"小事不出小区、大事不出社区": a case starts at the grid/compound rung (grid worker, compound party branch or
property company, as the category says) or at the community when the category is the community's own; the
sweep and the escalate action move it up. Who is told at each rung is ``level_recipients``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from grassroots.accounts.enums import Role
from grassroots.cases.enums import CaseLevel
from grassroots.catalogue.enums import FirstHandler
from grassroots.catalogue.models import ServiceCategory
from grassroots.organizations.enums import OrganizationKind
from grassroots.organizations.models import Organization
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Grid, Region

PLACE_KINDS = frozenset({RegionKind.COMPOUND, RegionKind.BUILDING, RegionKind.ENTRANCE})


@dataclass(frozen=True)
class Route:
    grid: Grid | None
    level: int
    assignee_org: Organization | None


def grid_for(place: Region) -> Grid | None:
    """The grid covering ``place``: one listing its building first, else one listing its compound.

    One query over the grid-area link table for the place and its ancestors (found by path prefix), then the
    grid itself; a community's first grid when no grid lists the place.
    """
    paths = [place.path[: place.steplen * depth] for depth in range(1, place.depth + 1)]
    links = Grid.areas.through.objects.filter(region__path__in=paths, region__kind__in=PLACE_KINDS)
    best: tuple[int, int] | None = None  # (depth, grid id): the deepest listed place wins
    for depth, grid_id in links.values_list("region__depth", "grid_id").order_by("grid_id"):
        if best is None or depth > best[0]:
            best = (depth, grid_id)
    if best is not None:
        return Grid.objects.get(pk=best[1])
    return Grid.objects.filter(community_id=place.community_id).order_by("code").first()


def route(*, place: Region, category: ServiceCategory) -> Route:
    grid = grid_for(place)
    handler = category.first_handler
    org: Organization | None = None
    if handler == FirstHandler.COMPOUND_BRANCH and place.compound_id:
        org = (
            Organization.objects.filter(kind=OrganizationKind.BRANCH, region_id=place.compound_id)
            .order_by("code")
            .first()
        )
    elif handler == FirstHandler.PROPERTY_COMPANY and place.compound_id:
        org = (
            Organization.objects.filter(kind=OrganizationKind.PROPERTY_COMPANY, served_compounds=place.compound_id)
            .order_by("code")
            .first()
        )
    if handler == FirstHandler.COMMUNITY:
        return Route(grid=grid, level=CaseLevel.COMMUNITY, assignee_org=None)
    return Route(grid=grid, level=CaseLevel.GRID, assignee_org=org)


def level_recipients(
    *, level: int, community_id: int | None, street_id: int | None, grid_id: int | None, compound_id: int | None
) -> list[Any]:
    """The users to tell when a case arrives at ``level``: grid workers and the compound's secretary,
    the community's staff, or the street's staff."""
    from grassroots.accounts.models import User

    if level == CaseLevel.GRID:
        q = Q(role_assignments__role=Role.GRID_WORKER, role_assignments__grid_id=grid_id) if grid_id else Q(pk__in=[])
        if compound_id:
            q |= Q(role_assignments__role=Role.COMPOUND_SECRETARY, role_assignments__region_id=compound_id)
    elif level == CaseLevel.COMMUNITY:
        q = Q(role_assignments__role=Role.COMMUNITY_STAFF, role_assignments__region_id=community_id)
    else:
        q = Q(role_assignments__role=Role.STREET_STAFF, role_assignments__region_id=street_id)
    return list(User.objects.filter(q, is_active=True).distinct())
