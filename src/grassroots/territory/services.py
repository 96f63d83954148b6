"""Writes to the territory: one function per action, atomic, audited."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from grassroots.core.audit import audit_record
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditAction
from grassroots.territory.enums import PARENT_KIND, SCOPE_KINDS, RegionKind
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


@transaction.atomic
def grid_update(
    *,
    actor: Any,
    grid: Grid,
    code: str,
    name: str,
    areas: list[Region] | None = None,
    boundary: dict[str, Any] | None = None,
) -> Grid:
    """Rename, recode, re-area or redraw a grid; its community does not change."""
    grid = Grid.objects.select_for_update().select_related("community").get(pk=grid.pk)
    code, name = code.strip(), name.strip()
    if not name:
        raise ApplicationError("grid_name_required", _("A grid needs a name."), fields={"name": [_("Required.")]})
    for area in areas or []:
        if area.kind not in (RegionKind.COMPOUND, RegionKind.BUILDING) or area.community_id != grid.community_id:
            raise ApplicationError(
                "grid_area_outside",
                _("%(area)s is not a compound or building of %(community)s.")
                % {"area": area, "community": grid.community},
                fields={"areas": [_("%(area)s is not in this community.") % {"area": area}]},
            )
    if boundary is not None:
        grid_validate_boundary(boundary)
    if Grid.objects.filter(code=code).exclude(pk=grid.pk).exists():
        raise ApplicationError(
            "grid_code_taken",
            _("The code %(code)s is already used.") % {"code": code},
            fields={"code": [_("Already used.")]},
        )
    old_areas = sorted(grid.areas.values_list("pk", flat=True))
    new_areas = sorted(a.pk for a in areas or [])
    changes: dict[str, Any] = {}
    for field, value in (("code", code), ("name", name)):
        if getattr(grid, field) != value:
            changes[field] = [getattr(grid, field), value]
            setattr(grid, field, value)
    if grid.boundary != boundary:
        changes["boundary"] = ["…", "…"]
        grid.boundary = boundary
    grid.save()
    if old_areas != new_areas:
        grid.areas.set(areas or [])
        changes["areas"] = [old_areas, new_areas]
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, target=grid, changes=changes, scope_region=grid.community)
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


@dataclass(frozen=True)
class RegionNode:
    """One node for ``region_tree_load``; its parent is named by code (a node earlier in the list, or stored)."""

    kind: str
    name: str
    code: str
    parent_code: str | None = None


def _stored_by_code(codes: Iterable[str]) -> dict[str, Region]:
    wanted = sorted(set(codes))
    found: dict[str, Region] = {}
    for start in range(0, len(wanted), 500):
        for region in Region.objects.filter(code__in=wanted[start : start + 500]):
            found[region.code] = region
    return found


@transaction.atomic
def region_tree_load(*, actor: Any, nodes: Sequence[RegionNode]) -> list[Region]:
    """Create many regions at once, all or nothing, and return them (saved) in the order given.

    Each node's parent is a node earlier in ``nodes`` or a stored region (by code). Kinds are checked as by
    ``region_create``; treebeard paths are computed here so that siblings are ordered by code as ``add_child``
    orders them; each node's scope columns are its parent's plus itself at its own level (``_fill_scope``).
    New children of a stored parent must sort after that parent's present children (``region_bulk_order``).
    One audit row records the load.
    """
    new: dict[str, Region] = {}
    for node in nodes:
        code, name = node.code.strip(), node.name.strip()
        if not name:
            raise ApplicationError(
                "region_name_required", _("A region needs a name."), fields={"name": [_("Required.")]}
            )
        if code in new:
            raise ApplicationError("region_code_taken", _("The code %(code)s is already used.") % {"code": code})
        new[code] = Region(kind=node.kind, name=name, code=code)
    taken = _stored_by_code(new)
    if taken:
        raise ApplicationError("region_code_taken", _("The code %(code)s is already used.") % {"code": min(taken)})
    stored = _stored_by_code(n.parent_code for n in nodes if n.parent_code and n.parent_code not in new)

    parent_of: dict[str, Region | None] = {}
    children: dict[str | None, list[Region]] = {}
    for node in nodes:
        region = new[node.code.strip()]
        parent: Region | None = None
        if node.parent_code is not None:
            parent = stored.get(node.parent_code) or (new[node.parent_code] if node.parent_code in parent_of else None)
            if parent is None:
                raise ApplicationError(
                    "region_parent_unknown", _("No region has the code %(code)s.") % {"code": node.parent_code}
                )
        region_check_parent(kind=region.kind, parent=parent)
        parent_of[region.code] = parent
        children.setdefault(parent.code if parent is not None else None, []).append(region)

    def place(parent_key: str | None, base_path: str, depth: int, after_step: int) -> None:
        for step, kid in enumerate(sorted(children.get(parent_key, []), key=lambda r: r.code), start=after_step + 1):
            kid.path = base_path + Region._get_path(None, 1, step)
            kid.depth = depth
            kid.numchild = len(children.get(kid.code, []))
            place(kid.code, kid.path, depth + 1, 0)

    for parent_key in [k for k in children if k is None or k in stored]:
        parent = stored.get(parent_key) if parent_key is not None else None
        siblings = (
            Region.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
            if parent is not None
            else Region.objects.filter(depth=1)
        )
        last = siblings.order_by("-path").first()
        first_code = min(r.code for r in children[parent_key])
        if last is not None and first_code < last.code:
            raise ApplicationError(
                "region_bulk_order",
                _("%(code)s would sort before a region already under its parent.") % {"code": first_code},
            )
        after = Region._str2int(last.path[-Region.steplen :]) if last is not None else 0
        place(parent_key, parent.path if parent else "", parent.depth + 1 if parent else 1, after)

    by_depth: dict[int, list[Region]] = {}
    for region in new.values():
        by_depth.setdefault(region.depth, []).append(region)
    for depth in sorted(by_depth):
        level = by_depth[depth]
        for region in level:
            _fill_scope(region, parent_of[region.code])  # a new node's own column waits for its pk
        Region.objects.bulk_create(level, batch_size=1000)
        _read_back_pks(level)
        for kind in SCOPE_KINDS:
            own = [r for r in level if r.kind == kind]
            for region in own:
                setattr(region, f"{kind}_id", region.pk)
            if own:
                Region.objects.bulk_update(own, [str(kind)], batch_size=1000)
    for parent_key, kids in children.items():
        if parent_key in stored:
            Region.objects.filter(pk=stored[parent_key].pk).update(numchild=F("numchild") + len(kids))
    # The audit row belongs where the load happened: under its one stored parent, or at its one new root.
    tops = [key for key in children if key is None or key in stored]
    scope: Region | None = None
    if len(tops) == 1:
        scope = stored[tops[0]] if tops[0] is not None else (children[None][0] if len(children[None]) == 1 else None)
    audit_record(actor=actor, action=AuditAction.IMPORT, detail=f"regions: {len(new)}", scope_region=scope)
    return [new[n.code.strip()] for n in nodes]


def _read_back_pks(regions: list[Region]) -> None:
    """For backends that cannot return ids from a bulk insert: read them back by code."""
    missing = [r for r in regions if r.pk is None]
    if missing:
        found = _stored_by_code(r.code for r in missing)
        for region in missing:
            region.pk = found[region.code].pk
