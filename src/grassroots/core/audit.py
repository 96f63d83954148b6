"""Write audit rows. Services call ``audit_record`` in the same transaction as the change."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest

from grassroots.core.models import AuditAction, AuditEvent

# Never written to the audit log in clear; a birth date would complete a masked ID number.
SECRET_FIELDS = {"id_number", "mobile", "address", "password", "birth_date"}


def model_changes(instance: models.Model, before: dict[str, Any] | None) -> dict[str, Any]:
    """Changed concrete fields between ``before`` (a ``snapshot``) and ``instance``; secrets are named, not shown."""
    after = snapshot(instance)
    changes: dict[str, Any] = {}
    for name, value in after.items():
        old = before.get(name) if before else None
        if before is None or old != value:
            if name in SECRET_FIELDS or name.endswith("_hash"):
                changes[name] = "***"
            else:
                changes[name] = [old, value] if before is not None else value
    return changes


def snapshot(instance: models.Model) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        data[field.attname] = value if isinstance(value, (int, float, bool, str, type(None))) else str(value)
    return data


def audit_record(
    *,
    actor: Any,
    action: AuditAction | str,
    target: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    detail: str = "",
    request: HttpRequest | None = None,
    scope_region: Any = None,
) -> AuditEvent:
    event = AuditEvent(
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        action=str(action),
        changes=changes or {},
        detail=detail[:200],
    )
    if target is not None:
        event.target_type = ContentType.objects.get_for_model(target)
        event.target_id = str(target.pk)
        event.target_repr = str(target)[:200]
        for level in ("district", "street", "community", "compound"):
            setattr(event, f"{level}_id", getattr(target, f"{level}_id", None))
    if scope_region is not None:
        event.copy_scope_from(scope_region)
    if event.district_id is None:
        # Rows about things outside the tree (users, imports) belong to the district, so its admins see them.
        from grassroots.territory.models import Region

        event.district_id = Region.objects.filter(depth=1).order_by("path").values_list("pk", flat=True).first()
    if request is not None:
        event.ip_address = request.META.get("REMOTE_ADDR") or None
        event.path = request.path[:200]
    event.save()
    return event
