"""Writes to organisations: create and update, validated, atomic, audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumValidationError

from grassroots.core.audit import audit_record, model_changes, snapshot
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditAction
from grassroots.organizations.enums import PARENT_KINDS, Formation, OrganizationKind
from grassroots.organizations.models import Organization
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Grid, Region


def organization_validate_credit_code(value: str) -> str:
    """The compact form of a unified social credit code (GB 32100), or ``organization_invalid`` on the field."""
    try:
        return str(uscc.validate(value))
    except StdnumValidationError as exc:
        raise ApplicationError(
            "organization_invalid",
            _("The organisation's details are not valid."),
            fields={"credit_code": [_("This is not a valid unified social credit code.")]},
        ) from exc


def _validate(
    *,
    organization: Organization | None,
    kind: str,
    name: str,
    code: str,
    region: Region | None,
    parent: Organization | None,
    grid: Grid | None,
    credit_code: str,
    formation: str,
) -> tuple[str, str, str]:
    """Check every rule; raise one ``organization_invalid`` error carrying all field errors."""
    errors: dict[str, list[str]] = {}
    name, code, credit_code = name.strip(), code.strip(), credit_code.strip()
    others = (
        Organization.objects.exclude(pk=organization.pk) if organization is not None else Organization.objects.all()
    )
    if kind not in OrganizationKind.values:
        errors.setdefault("kind", []).append(_("Choose a kind of organisation."))
    if not name:
        errors.setdefault("name", []).append(_("A name is required."))
    if not code:
        errors.setdefault("code", []).append(_("A code is required."))
    elif others.filter(code=code).exists():
        errors.setdefault("code", []).append(_("Already used."))
    if region is None:
        errors.setdefault("region", []).append(_("Choose the region the organisation serves."))
    allowed = PARENT_KINDS.get(kind)
    if allowed is not None and (parent is None or parent.kind not in allowed):
        labels = "、".join(str(OrganizationKind(k).label) for k in sorted(allowed))
        errors.setdefault("parent", []).append(
            _("Choose a parent of one of these kinds: %(kinds)s.") % {"kinds": labels}
        )
    if parent is not None and organization is not None:
        # No cycles: the parent may not be the organisation itself or below it.
        node: Organization | None = parent
        seen: set[int] = set()
        while node is not None and node.pk not in seen:
            if node.pk == organization.pk:
                errors.setdefault("parent", []).append(_("An organisation cannot sit under itself."))
                break
            seen.add(node.pk)
            node = node.parent
    if kind == OrganizationKind.OWNERS_COMMITTEE and region is not None:
        if region.kind != RegionKind.COMPOUND:
            errors.setdefault("region", []).append(_("An owners' committee serves one compound."))
        elif others.filter(kind=OrganizationKind.OWNERS_COMMITTEE, region=region).exists():
            errors.setdefault("region", []).append(_("This compound already has an owners' committee."))
    if grid is not None and region is not None and grid.community_id != region.community_id:
        errors.setdefault("grid", []).append(_("The grid is in another community."))
    if formation and formation not in Formation.values:
        errors.setdefault("formation", []).append(_("Choose how the organisation was formed."))
    if credit_code:
        try:
            credit_code = organization_validate_credit_code(credit_code)
        except ApplicationError as exc:
            errors.update(exc.fields)
    if errors:
        raise ApplicationError("organization_invalid", _("The organisation's details are not valid."), fields=errors)
    return name, code, credit_code


@transaction.atomic
def organization_create(
    *,
    actor: Any,
    kind: str,
    name: str,
    code: str,
    region: Region,
    parent: Organization | None = None,
    grid: Grid | None = None,
    credit_code: str = "",
    formation: str = "",
) -> Organization:
    name, code, credit_code = _validate(
        organization=None,
        kind=kind,
        name=name,
        code=code,
        region=region,
        parent=parent,
        grid=grid,
        credit_code=credit_code,
        formation=formation,
    )
    org = Organization(
        kind=kind,
        name=name,
        code=code,
        region=region,
        parent=parent,
        grid=grid,
        credit_code=credit_code,
        formation=formation,
    )
    org.save()
    audit_record(actor=actor, action=AuditAction.CREATE, target=org, changes=model_changes(org, None))
    return org


@transaction.atomic
def organization_update(
    *,
    actor: Any,
    organization: Organization,
    kind: str,
    name: str,
    code: str,
    region: Region,
    parent: Organization | None = None,
    grid: Grid | None = None,
    credit_code: str = "",
    formation: str = "",
) -> Organization:
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    name, code, credit_code = _validate(
        organization=org,
        kind=kind,
        name=name,
        code=code,
        region=region,
        parent=parent,
        grid=grid,
        credit_code=credit_code,
        formation=formation,
    )
    before = snapshot(org)
    org.kind, org.name, org.code, org.credit_code, org.formation = kind, name, code, credit_code, formation
    org.region, org.parent, org.grid = region, parent, grid
    org.save()
    changes = model_changes(org, before)
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, target=org, changes=changes)
    return org
