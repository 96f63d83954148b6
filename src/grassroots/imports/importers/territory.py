"""Regions (placed under a parent by code) and grids (over a community, covering compounds or buildings)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from grassroots.accounts.enums import Capability
from grassroots.core.errors import ApplicationError
from grassroots.imports.importers.base import Column, Importer, Row, RowInvalid, error_messages
from grassroots.imports.importers.common import RegionLookup
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Grid, Region
from grassroots.territory.services import RegionNode, grid_create, region_check_parent, region_tree_load

# The file names a region kind in Chinese (as the template's list offers) or by its English value.
REGION_KINDS = {
    "区": RegionKind.DISTRICT,
    "街道": RegionKind.STREET,
    "社区": RegionKind.COMMUNITY,
    "小区": RegionKind.COMPOUND,
    "楼栋": RegionKind.BUILDING,
    "单元": RegionKind.ENTRANCE,
    **{value: RegionKind(value) for value in RegionKind.values},
}


class RegionImporter(Importer):
    kind = "regions"
    capability = Capability.MANAGE_TERRITORY
    columns = (
        Column("上级编码", sample="4509020101", width=16, text=True),
        Column("类型", required=True, sample="小区", choices=tuple(list(REGION_KINDS)[:6]), width=10),
        Column("名称", required=True, sample="东岳花园", width=20),
        Column("编码", required=True, sample="450902010103", width=18, text=True),
    )

    def __init__(self, *, actor: Any) -> None:
        super().__init__(actor=actor)
        self.regions = RegionLookup(actor=actor, capability=self.capability)
        self.kinds: dict[str, str] = dict(REGION_KINDS)
        self.new: dict[str, str] = {}  # code → kind of rows earlier in the file
        self.nodes: list[RegionNode] = []

    def parse_row(self, row: Row) -> RegionNode:
        errors: list[str] = []
        kind_text = self.required(row, "类型", errors)
        kind = self.kinds.get(kind_text, "")
        if kind_text and not kind:
            errors.append(_("Unknown region kind: %(kind)s") % {"kind": kind_text})
        name = self.required(row, "名称", errors)
        code = self.required(row, "编码", errors)
        parent_code = row.get("上级编码")
        if code and (code in self.new or Region.objects.filter(code=code).exists()):
            errors.append(_("The code %(code)s is already used.") % {"code": code})
        parent: Region | None = None
        if parent_code:
            if parent_code in self.new:
                parent = Region(kind=self.new[parent_code], code=parent_code)
            else:
                try:
                    parent = self.regions.get(parent_code)
                except RowInvalid as exc:
                    errors.extend(exc.messages)
        elif not getattr(self.actor, "is_superuser", False) and kind and kind != RegionKind.DISTRICT:
            errors.append(_("%(column)s is required.") % {"column": "上级编码"})
        if kind and (parent is not None or not parent_code):
            try:
                region_check_parent(kind=kind, parent=parent)
            except ApplicationError as exc:
                errors.append(exc.message)
        if errors:
            raise RowInvalid(errors)
        self.new[code] = kind
        return RegionNode(kind=kind, name=name, code=code, parent_code=parent_code or None)

    def check(self, rows: list[tuple[Row, Any]]) -> list[tuple[str, list[str]]]:
        return [("n", []) for _row in rows]

    def commit(self, rows: list[tuple[Row, Any]]) -> None:
        self.nodes.extend(parsed for _row, parsed in rows)

    def finish(self) -> None:
        if self.nodes:
            region_tree_load(actor=self.actor, nodes=self.nodes)


@dataclass
class GridRow:
    community: Region
    code: str
    name: str
    areas: list[Region]


class GridImporter(Importer):
    kind = "grids"
    capability = Capability.MANAGE_TERRITORY
    columns = (
        Column("社区编码", required=True, sample="4509020101", width=16, text=True),
        Column("网格编码", required=True, sample="G450902010102", width=18, text=True),
        Column("网格名称", required=True, sample="东岳第二网格", width=20),
        Column("覆盖区域编码", sample="450902010102、450902010103", width=32, text=True),
    )

    def __init__(self, *, actor: Any) -> None:
        super().__init__(actor=actor)
        self.regions = RegionLookup(actor=actor, capability=self.capability)
        self.codes: set[str] = set()

    def parse_row(self, row: Row) -> GridRow:
        errors: list[str] = []
        community_code = self.required(row, "社区编码", errors)
        code = self.required(row, "网格编码", errors)
        name = self.required(row, "网格名称", errors)
        community: Region | None = None
        if community_code:
            try:
                community = self.regions.get(community_code, kind=RegionKind.COMMUNITY)
            except RowInvalid as exc:
                errors.extend(exc.messages)
        if code and (code in self.codes or Grid.objects.filter(code=code).exists()):
            errors.append(_("The code %(code)s is already used.") % {"code": code})
        areas: list[Region] = []
        for area_code in (c for c in re.split(r"[、,，;；\s]+", row.get("覆盖区域编码")) if c):
            area = Region.objects.filter(code=area_code).first()
            if area is None:
                errors.append(_("No region has the code %(code)s.") % {"code": area_code})
            else:
                areas.append(area)
        if errors or community is None:
            raise RowInvalid(errors)
        self.codes.add(code)
        return GridRow(community, code, name, areas)

    def _create(self, parsed: GridRow) -> None:
        grid_create(
            actor=self.actor, community=parsed.community, code=parsed.code, name=parsed.name, areas=parsed.areas
        )

    def check(self, rows: list[tuple[Row, Any]]) -> list[tuple[str, list[str]]]:
        results: list[tuple[str, list[str]]] = []
        if not self.dry_run:
            return [("n", []) for _row in rows]
        with transaction.atomic():
            for _row, parsed in rows:
                try:  # the real service, rolled back below
                    with transaction.atomic():
                        self._create(parsed)
                except ApplicationError as exc:
                    results.append(("e", error_messages(exc)))
                else:
                    results.append(("n", []))
            transaction.set_rollback(True)
        return results

    def commit(self, rows: list[tuple[Row, Any]]) -> None:
        for row, parsed in rows:
            try:
                self._create(parsed)
            except ApplicationError as exc:
                raise RowInvalid(error_messages(exc), row=row.number) from exc
