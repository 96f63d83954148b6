"""Organisations: kind, name, code, the region served and (optionally) the parent organisation by code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from grassroots.accounts.enums import Capability
from grassroots.core.errors import ApplicationError
from grassroots.imports.importers.base import Column, Importer, Row, RowInvalid, error_messages
from grassroots.imports.importers.common import RegionLookup
from grassroots.organizations.enums import PARENT_KINDS, OrganizationKind
from grassroots.organizations.models import Organization
from grassroots.organizations.services import organization_create
from grassroots.territory.models import Region


def organization_kinds() -> dict[str, str]:
    """Chinese label (as the template's list offers) or English value → kind."""
    with translation.override("zh-hans"):
        names = {str(label): str(value) for value, label in OrganizationKind.choices}
    return {**names, **{value: value for value in OrganizationKind.values}}


@dataclass
class OrganizationRow:
    kind: str
    name: str
    code: str
    region: Region
    parent_code: str
    credit_code: str


class OrganizationImporter(Importer):
    kind = "organizations"
    capability = Capability.MANAGE_TERRITORY
    columns = ()

    @classmethod
    def get_columns(cls) -> Sequence[Column]:
        kinds = tuple(organization_kinds())[: len(OrganizationKind.values)]
        return (
            Column("组织类型", required=True, sample=kinds[4], choices=kinds, width=18),
            Column("组织名称", required=True, sample="东岳社区第一党支部", width=24),
            Column("组织编码", required=True, sample="O450902010101", width=16, text=True),
            Column("所在区域编码", required=True, sample="4509020101", width=16, text=True),
            Column("上级组织编码", sample="O4509020101", width=16, text=True),
            Column("统一社会信用代码", sample="", width=22, text=True),
        )

    def __init__(self, *, actor: Any) -> None:
        super().__init__(actor=actor)
        self.regions = RegionLookup(actor=actor, capability=self.capability)
        self.kinds = organization_kinds()
        self.new: dict[str, str] = {}  # code → kind of rows earlier in the file

    def parse_row(self, row: Row) -> OrganizationRow:
        errors: list[str] = []
        kind_text = self.required(row, "组织类型", errors)
        kind = self.kinds.get(kind_text, "")
        if kind_text and not kind:
            errors.append(_("Unknown organisation kind: %(kind)s") % {"kind": kind_text})
        name = self.required(row, "组织名称", errors)
        code = self.required(row, "组织编码", errors)
        region_code = self.required(row, "所在区域编码", errors)
        region: Region | None = None
        if region_code:
            try:
                region = self.regions.get(region_code)
            except RowInvalid as exc:
                errors.extend(exc.messages)
        if code and (code in self.new or Organization.objects.filter(code=code).exists()):
            errors.append(_("The code %(code)s is already used.") % {"code": code})
        parent_code = row.get("上级组织编码")
        parent_kind = self.new.get(parent_code) if parent_code else None
        if parent_code and parent_kind is None:
            parent_kind = Organization.objects.filter(code=parent_code).values_list("kind", flat=True).first()
            if parent_kind is None:
                errors.append(_("No organisation has the code %(code)s.") % {"code": parent_code})
        allowed = PARENT_KINDS.get(kind)
        if kind and parent_kind and allowed is not None and parent_kind not in allowed:
            errors.append(
                _("A %(kind)s cannot sit under a %(parent)s.")
                % {"kind": OrganizationKind(kind).label, "parent": OrganizationKind(parent_kind).label}
            )
        if errors or region is None:
            raise RowInvalid(errors)
        self.new[code] = kind
        return OrganizationRow(kind, name, code, region, parent_code, row.get("统一社会信用代码"))

    def _create(self, parsed: OrganizationRow) -> Organization:
        """One path for every organisation write: the same service the pages use (rules, audit)."""
        parent = Organization.objects.filter(code=parsed.parent_code).first() if parsed.parent_code else None
        return organization_create(
            actor=self.actor,
            kind=parsed.kind,
            name=parsed.name,
            code=parsed.code,
            region=parsed.region,
            parent=parent,
            credit_code=parsed.credit_code,
        )

    def check(self, rows: list[tuple[Row, Any]]) -> list[tuple[str, list[str]]]:
        if not self.dry_run:
            return [("n", []) for _row in rows]
        results: list[tuple[str, list[str]]] = []
        with transaction.atomic():
            for _row, parsed in rows:
                try:  # the real write, rolled back below (parents earlier in the batch exist meanwhile)
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
