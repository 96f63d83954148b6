"""Writes to the territory: one function per action, atomic, audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from grassroots.core.audit import audit_record
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditAction
from grassroots.territory.enums import PARENT_KIND, RegionKind
from grassroots.territory.models import Grid, Household, Region


def region_check_parent(*, kind: str, parent: Region | None) -> None:
    """Raise ``region_kind_mismatch`` unless a ``kind`` node may sit under ``parent``."""
    if kind not in PARENT_KIND:
        raise ApplicationError("region_kind_unknown", _("Unknown region kind: %(kind)s") % {"kind": kind})
    expected = PARENT_KIND[kind]
    label = RegionKind(kind).label
    if expected is None and parent is not None:
        raise ApplicationError(
            "region_kind_mismatch", _("A %(kind)s is the root of the tree and has no parent.") % {"kind": label}
        )
    if expected is not None and (parent is None or parent.kind != expected):
        raise ApplicationError(
            "region_kind_mismatch",
            _("A %(kind)s must sit under a %(expected)s, not under %(parent)s.")
            % {
                "kind": label,
                "expected": RegionKind(expected).label,
                "parent": RegionKind(parent.kind).label if parent else _("nothing"),
            },
            fields={"parent": [_("Choose a %(expected)s.") % {"expected": RegionKind(expected).label}]},
        )


def _fill_scope(region: Region, parent: Region | None) -> None:
    """A node's scope columns are its parent's, plus itself at its own level."""
    region.copy_scope_from(parent)
    if region.kind in ("district", "street", "community", "compound"):
        setattr(region, f"{region.kind}_id", region.pk)


@transaction.atomic
def region_create(*, actor: Any, kind: str, name: str, code: str, parent: Region | None = None) -> Region:
    region_check_parent(kind=kind, parent=parent)
    name = name.strip()
    code = code.strip()
    if not name:
        raise ApplicationError("region_name_required", _("A region needs a name."), fields={"name": [_("Required.")]})
    if Region.objects.filter(code=code).exists():
        raise ApplicationError(
            "region_code_taken",
            _("The code %(code)s is already used.") % {"code": code},
            fields={"code": [_("Already used.")]},
        )
    if parent is None:
        region = Region.objects.add_root({"kind": kind, "name": name, "code": code})
    else:
        parent = Region.objects.get(pk=parent.pk)  # fresh path/numchild for treebeard
        region = Region.objects.add_child(parent, {"kind": kind, "name": name, "code": code})
    _fill_scope(region, parent)
    region.save(update_fields=["district", "street", "community", "compound"])
    audit_record(
        actor=actor, action=AuditAction.CREATE, target=region, changes={"kind": kind, "name": name, "code": code}
    )
    return region


@transaction.atomic
def region_rename(*, actor: Any, region: Region, name: str) -> Region:
    name = name.strip()
    if not name:
        raise ApplicationError("region_name_required", _("A region needs a name."), fields={"name": [_("Required.")]})
    old = region.name
    region.name = name
    region.save(update_fields=["name"])
    audit_record(actor=actor, action=AuditAction.UPDATE, target=region, changes={"name": [old, name]})
    return region


@transaction.atomic
def grid_create(
    *,
    actor: Any,
    community: Region,
    code: str,
    name: str,
    areas: list[Region] | None = None,
    boundary: dict[str, Any] | None = None,
) -> Grid:
    if community.kind != RegionKind.COMMUNITY:
        raise ApplicationError("grid_community_required", _("A grid belongs to a community."))
    for area in areas or []:
        if area.kind not in (RegionKind.COMPOUND, RegionKind.BUILDING) or area.community_id != community.pk:
            raise ApplicationError(
                "grid_area_outside",
                _("%(area)s is not a compound or building of %(community)s.") % {"area": area, "community": community},
            )
    if boundary is not None:
        grid_validate_boundary(boundary)
    if Grid.objects.filter(code=code).exists():
        raise ApplicationError("grid_code_taken", _("The code %(code)s is already used.") % {"code": code})
    grid = Grid.objects.create(
        community=community,
        district_id=community.district_id,
        street_id=community.street_id,
        code=code,
        name=name,
        boundary=boundary,
    )
    if areas:
        grid.areas.set(areas)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=grid,
        changes={"code": code, "name": name},
        scope_region=community,
    )
    return grid


def grid_validate_boundary(boundary: dict[str, Any]) -> None:
    """Accept a GeoJSON Polygon or MultiPolygon (bare, or as a Feature) with closed rings."""
    geometry = boundary.get("geometry") if boundary.get("type") == "Feature" else boundary
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise ApplicationError("grid_boundary_invalid", _("The boundary must be a GeoJSON Polygon or MultiPolygon."))
    coordinates: Any = geometry.get("coordinates")
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    try:
        for polygon in polygons or []:
            for ring in polygon:
                if len(ring) < 4 or ring[0] != ring[-1]:
                    raise ValueError
                for lon, lat, *_rest in ring:
                    if not (-180 <= float(lon) <= 180 and -90 <= float(lat) <= 90):
                        raise ValueError
    except (TypeError, ValueError) as exc:
        raise ApplicationError(
            "grid_boundary_invalid", _("Each boundary ring needs at least four points, closed, in longitude/latitude.")
        ) from exc


@transaction.atomic
def household_create(*, actor: Any, entrance: Region, number: str, grid: Grid | None = None) -> Household:
    if entrance.kind != RegionKind.ENTRANCE:
        raise ApplicationError("household_entrance_required", _("A household belongs to an entrance."))
    if grid is not None and grid.community_id != entrance.community_id:
        raise ApplicationError("household_grid_outside", _("The grid is in another community."))
    if Household.objects.filter(entrance=entrance, number=number).exists():
        raise ApplicationError("household_exists", _("This entrance already has room %(number)s.") % {"number": number})
    household = Household.objects.create(entrance=entrance, number=number, grid=grid)
    audit_record(actor=actor, action=AuditAction.CREATE, target=household, changes={"number": number})
    return household
