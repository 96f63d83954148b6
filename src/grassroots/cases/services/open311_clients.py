"""Open311 API keys: issued per client by district admins, shown once, stored as a keyed hash."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.accounts.enums import Capability
from grassroots.accounts.roles import has_capability
from grassroots.cases.models import Open311Client
from grassroots.core.audit import audit_record
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditAction
from grassroots.core.personal_data import lookup_hash


@transaction.atomic
def open311_client_create(*, actor: Any, name: str, request: Any = None) -> tuple[Open311Client, str]:
    """Issue a key; returns the client and the clear key, which is never shown again."""
    if actor is not None and not has_capability(actor, Capability.MANAGE_CATALOGUE):
        raise ApplicationError("not_allowed", _("Only district admins issue Open311 keys."), status=403)
    name = (name or "").strip()
    if not name:
        raise ApplicationError("name_required", _("Name the client."), fields={"name": [_("This field is required.")]})
    key = secrets.token_urlsafe(24)
    client = Open311Client.objects.create(
        name=name[:100],
        key_prefix=key[:8],
        key_hash=lookup_hash(f"open311:{key}"),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, target=client, changes={"name": client.name}, request=request)
    return client, key


@transaction.atomic
def open311_client_deactivate(*, actor: Any, client: Open311Client, request: Any = None) -> Open311Client:
    """Withdraw a key: requests with it are refused from now on. Clients are kept (their cases refer to them)."""
    if actor is not None and not has_capability(actor, Capability.MANAGE_CATALOGUE):
        raise ApplicationError("not_allowed", _("Only district admins manage Open311 keys."), status=403)
    client = Open311Client.objects.select_for_update().get(pk=client.pk)
    if client.is_active:
        client.is_active = False
        client.save(update_fields=["is_active"])
        audit_record(
            actor=actor, action=AuditAction.UPDATE, target=client, changes={"is_active": [True, False]}, request=request
        )
    return client


def open311_client_authenticate(*, key: str | None) -> Open311Client | None:
    if not key:
        return None
    client = Open311Client.objects.filter(key_hash=lookup_hash(f"open311:{key}"), is_active=True).first()
    if client is not None:
        Open311Client.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
    return client
