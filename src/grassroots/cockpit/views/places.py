"""Which place a cockpit page is about: a region (district … compound) or a grid, always one the user may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.http import urlencode

from grassroots.accounts.enums import Capability
from grassroots.accounts.roles import anchors_for
from grassroots.cockpit.compute import Place, level_of
from grassroots.territory.models import Grid, Region
from grassroots.web import narrow

LEVEL_ORDER = {"district": 0, "street": 1, "community": 2, "compound": 3, "grid": 4}
REGION_LEVELS = ("district", "street", "community", "compound")


def visible_regions(user: Any) -> QuerySet[Region]:
    return Region.objects.visible_to(user, Capability.VIEW_KPIS).filter(kind__in=REGION_LEVELS)


def visible_grids(user: Any) -> QuerySet[Grid]:
    return Grid.objects.visible_to(user, Capability.VIEW_KPIS)


def _pk(raw: str) -> int:
    if not raw.isdigit():
        raise Http404
    return int(raw)


def place_from(request: HttpRequest, *, default: bool = True) -> Place:
    """The place asked for by ``?grid=`` or ``?region=`` (404 outside the user's scope), else the user's own."""
    user = request.user
    if raw := request.GET.get("grid", ""):
        grid = visible_grids(user).filter(pk=_pk(raw)).first()
        if grid is None:
            raise Http404
        return grid
    visible = visible_regions(user)
    if raw := request.GET.get("region", ""):
        region = visible.filter(pk=_pk(raw)).first()
        if region is None:
            raise Http404
        return region
    if not default:
        raise Http404
    current = narrow.current_region(request)
    if current is not None and visible.filter(pk=current.pk).exists():
        return current
    anchors = sorted(anchors_for(user, Capability.VIEW_KPIS), key=lambda a: LEVEL_ORDER.get(a.level, 9))
    if anchors and anchors[0].level == "grid":
        grid = visible_grids(user).filter(pk=anchors[0].pk).first()
        if grid is not None:
            return grid
    top = visible.filter(pk=anchors[0].pk).first() if anchors else None
    found = top or visible.order_by("depth", "path").first()
    if found is None:
        raise Http404
    return found


def place_query(place: Place) -> dict[str, int]:
    return {"grid": place.pk} if isinstance(place, Grid) else {"region": place.pk}


def dashboard_url(place: Place, **extra: Any) -> str:
    query = {**place_query(place), **{k: v for k, v in extra.items() if v not in (None, "")}}
    return f"{reverse('cockpit:dashboard')}?{urlencode(query)}"


def grids_in(user: Any, place: Place) -> QuerySet[Grid]:
    """The grids inside ``place`` the user may see (a compound's: those covering it or a building of it)."""
    grids = visible_grids(user)
    if isinstance(place, Grid):
        return grids.filter(pk=place.pk)
    if place.kind == "compound":
        covering = Grid.areas.through.objects.filter(region__path__startswith=place.path).values("grid_id")
        return grids.filter(pk__in=covering)
    return grids.filter(**{f"{place.kind}_id": place.pk})


def trail(user: Any, place: Place) -> list[Place]:
    """The place's ancestors the user may see, from the top, ending with the place itself."""
    if isinstance(place, Grid):
        above = [place.district_id, place.street_id, place.community_id]
    else:
        above = [place.district_id, place.street_id, place.community_id]
    ids = [pk for pk in above if pk and pk != place.pk]
    found: list[Place] = list(visible_regions(user).filter(pk__in=ids).order_by("depth"))
    return [*found, place]


@dataclass(frozen=True)
class Choice:
    """An entry of the region switcher."""

    label: str
    url: str
    level: str


def children_of(user: Any, place: Place) -> list[Place]:
    """The place's parts one level down the user may see (a compound's: its grids), by code."""
    if isinstance(place, Grid):
        return []
    if place.kind == "compound":
        return list(grids_in(user, place).order_by("code"))
    child = {"district": "street", "street": "community", "community": "compound"}[place.kind]
    return list(visible_regions(user).filter(kind=child, **{f"{place.kind}_id": place.pk}).order_by("code"))


def parts_of(user: Any, place: Place, keep: dict[str, str], children: list[Place] | None = None) -> list[Choice]:
    """The parts one level down (and, for a community, its grids too): where the switcher can go. ``children``:
    ``children_of(user, place)`` when the caller has it already."""
    if isinstance(place, Grid):
        return []
    found = children_of(user, place) if children is None else children
    choices = [Choice(part.name, dashboard_url(part, **keep), level_of(part)) for part in found]
    if place.kind == "community":
        for grid in grids_in(user, place).order_by("code"):
            choices.append(Choice(grid.name, dashboard_url(grid, **keep), "grid"))
    return choices


__all__ = [
    "LEVEL_ORDER",
    "Choice",
    "children_of",
    "dashboard_url",
    "grids_in",
    "level_of",
    "parts_of",
    "place_from",
    "place_query",
    "trail",
    "visible_grids",
    "visible_regions",
]
