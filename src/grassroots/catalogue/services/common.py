"""What the catalogue editor's services share: the actor checks, field checks and the audit row.

Categories, items, their questions and SLA policies are district-wide data that only holders of
MANAGE_CATALOGUE change; brands and Red Rope stations belong to one community and are managed by staff who
handle cases there. Each service checks the actor (None: the system, e.g. the demo), validates every field at
once (one ``catalogue_invalid`` error with field errors), writes, and audits.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

from grassroots.accounts.enums import Capability
from grassroots.accounts.roles import has_capability
from grassroots.core.audit import audit_record, model_changes
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditAction
from grassroots.territory.models import Region

SLUG = re.compile(r"[-a-zA-Z0-9_]+")

INVALID = "catalogue_invalid"
MAX_RESPONSE_HOURS = 24 * 60
MAX_RESOLUTION_HOURS = 24 * 365


class Errors(dict[str, list[str]]):
    def add(self, name: str, message: str) -> None:
        self.setdefault(name, []).append(message)

    def raise_if_any(self, message: str | None = None) -> None:
        if self:
            raise ApplicationError(INVALID, message or _("Correct the marked fields."), fields=dict(self))


def check_manage(actor: Any) -> None:
    if actor is not None and not has_capability(actor, Capability.MANAGE_CATALOGUE):
        raise ApplicationError("not_allowed", _("Only district admins edit the service catalogue."), status=403)


def check_community(actor: Any, region: Region | None) -> None:
    """Brands and stations: the actor handles cases in the region (district and street staff included)."""
    if actor is None or region is None or getattr(actor, "is_superuser", False):
        return
    if not Region.objects.visible_to(actor, Capability.HANDLE_CASES).filter(pk=region.pk).exists():
        raise ApplicationError("not_allowed", _("You cannot manage this community's services."), status=403)


def audit(*, actor: Any, obj: Any, before: dict[str, Any] | None, extra: dict[str, Any] | None = None) -> None:
    changes = model_changes(obj, before)
    changes.update(extra or {})
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
        target=obj,
        changes=changes,
    )


def text_check(errors: Errors, name: str, value: str | None, *, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        errors.add(name, _("This field is required."))
    elif len(value) > limit:
        errors.add(name, _("At most %(limit)s characters.") % {"limit": limit})
    return value


def code_check(errors: Errors, value: str | None, taken: Any) -> str:
    code = (value or "").strip()
    if not code:
        errors.add("code", _("This field is required."))
    elif len(code) > 32 or not SLUG.fullmatch(code):
        errors.add("code", _("Use at most 32 letters, digits, hyphens or underscores."))
    elif taken.filter(code=code).exists():
        errors.add("code", _("Already used."))
    return code


def hours_check(errors: Errors, name: str, value: Any, maximum: int) -> int:
    try:
        hours = int(value)
    except (TypeError, ValueError):
        errors.add(name, _("Enter a whole number of hours."))
        return 0
    if not 1 <= hours <= maximum:
        errors.add(name, _("Enter between 1 and %(maximum)s hours.") % {"maximum": maximum})
    return hours
