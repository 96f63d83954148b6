"""Where an Open311 request is: ``address_id``, ``lat``+``long`` or ``address_string`` → a compound,
building or entrance.

- ``address_id`` is the code of a compound, building or entrance (what GET returns as ``address_id``).
- ``lat``/``long`` (WGS84) fall in a grid whose ``boundary`` (a GeoJSON Polygon or MultiPolygon, as the
  territory pages and the demo store it) contains the point; the place is the first compound or building
  that grid covers (by code). Regions carry no coordinates of their own, so no finer match is possible; the
  point itself is kept on the case. A point in no grid is outside the district: refused.
- ``address_string`` is matched against names: the compound whose name it contains (the longest such name,
  in the community it names if it names one), then that compound's building, then the building's entrance —
  the most specific place named. When no compound name appears, a building or entrance whose full name
  appears is taken.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import F, Value
from django.db.models.functions import Length
from django.utils.translation import gettext as _

from grassroots.cases.open311.parsing import Open311Error
from grassroots.cases.routing import PLACE_KINDS
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Grid, Region


def _ring_contains(ring: Sequence[Sequence[float]], x: float, y: float) -> bool:
    """Even-odd ray casting on one ring of ``[lon, lat]`` points."""
    inside = False
    n = len(ring)
    for i in range(n):
        x1, y1 = float(ring[i][0]), float(ring[i][1])
        x2, y2 = float(ring[i - 1][0]), float(ring[i - 1][1])
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def boundary_contains(boundary: Any, lon: float, lat: float) -> bool:
    """Whether a GeoJSON Polygon/MultiPolygon (bare or in a Feature) contains the point; holes excluded."""
    if not isinstance(boundary, dict):
        return False
    geometry = boundary.get("geometry") if boundary.get("type") == "Feature" else boundary
    if not isinstance(geometry, dict):
        return False
    coordinates = geometry.get("coordinates") or []
    polygons = [coordinates] if geometry.get("type") == "Polygon" else coordinates
    try:
        for polygon in polygons:
            if (
                polygon
                and _ring_contains(polygon[0], lon, lat)
                and not any(_ring_contains(hole, lon, lat) for hole in polygon[1:])
            ):
                return True
    except (TypeError, ValueError, IndexError, ZeroDivisionError):
        return False
    return False


def place_by_id(address_id: str) -> Region:
    place = Region.objects.filter(code=address_id, kind__in=PLACE_KINDS).first()
    if place is None:
        raise Open311Error.one(
            400,
            "address_id",
            _("Unknown address_id: it must be the code of a compound, building or entrance."),
        )
    return place


def place_by_point(lat: float, lon: float) -> Region:
    for grid in Grid.objects.exclude(boundary__isnull=True).order_by("code"):
        if not boundary_contains(grid.boundary, lon, lat):
            continue
        area = grid.areas.filter(kind__in=PLACE_KINDS).order_by("path").first()
        if area is None:
            area = (
                Region.objects.filter(community_id=grid.community_id, kind=RegionKind.COMPOUND).order_by("path").first()
            )
        if area is not None:
            return area
    raise Open311Error.one(400, "lat", _("The point lies outside the district's grids."))


def _named_in(text: str, kinds: Sequence[str], **filters: Any) -> Region | None:
    """The region of one of ``kinds`` whose name occurs in ``text``; the longest name wins."""
    return (
        Region.objects.filter(kind__in=kinds, **filters)
        .alias(text=Value(text), name_length=Length("name"))
        .filter(text__contains=F("name"))
        .order_by("-name_length", "path")
        .first()
    )


def place_by_text(text: str) -> Region:
    community = _named_in(text, [RegionKind.COMMUNITY])
    within = {"community_id": community.pk} if community is not None else {}
    compound = _named_in(text, [RegionKind.COMPOUND], **within) or _named_in(text, [RegionKind.COMPOUND])
    if compound is None:
        found = _named_in(text, [RegionKind.ENTRANCE, RegionKind.BUILDING])
        if found is None:
            raise Open311Error.one(
                400, "address_string", _("No compound, building or entrance of the district is named in the address.")
            )
        return found
    place = compound
    for kind in (RegionKind.BUILDING, RegionKind.ENTRANCE):
        child = _named_in(text, [kind], path__startswith=place.path, depth=place.depth + 1)
        if child is None:
            break
        place = child
    return place
