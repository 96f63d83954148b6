"""Helpers shared by the whistle services: locks, the timeline row, the audit row, recipients and errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from grassroots.accounts.enums import Role
from grassroots.cases.enums import CaseLevel
from grassroots.cases.routing import level_recipients
from grassroots.core.audit import audit_record
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditAction
from grassroots.territory.enums import RegionKind
from grassroots.whistle.models import Whistle, WhistleCall, WhistleEvent


def actor_label(actor: Any) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return ""
    person = getattr(actor, "person", None)
    return str(person) if person is not None else str(actor)


def real_user(actor: Any) -> Any:
    """The actor as a user to store on a row (None for the system or an anonymous caller)."""
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def event_add(
    *,
    whistle: Whistle,
    kind: str,
    actor: Any,
    at: dt.datetime,
    call: WhistleCall | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
    label: str | None = None,
) -> WhistleEvent:
    return WhistleEvent.objects.create(
        whistle=whistle,
        call=call,
        kind=str(kind),
        actor=real_user(actor),
        actor_label=(label if label is not None else actor_label(actor))[:100],
        at=at,
        note=note[:500],
        data=data or {},
    )


def audit(*, target: Whistle | WhistleCall, actor: Any, changes: dict[str, Any], detail: str, request: Any) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=target,
        changes=changes,
        detail=detail,
        request=request,
    )


def whistle_url(whistle: Whistle) -> str:
    """The staff page of the whistle (empty while the pages are not mounted)."""
    try:
        return reverse("whistle:whistle_detail", args=[whistle.pk])
    except NoReverseMatch:
        return ""


def lock_whistle(whistle: Whistle) -> Whistle:
    """Re-read the whistle under a row lock (a no-op on SQLite, whose IMMEDIATE transactions serialise)."""
    return Whistle.objects.select_for_update().get(pk=whistle.pk)


def lock_call(call: WhistleCall) -> WhistleCall:
    """Re-read the call under a row lock, with its whistle and department (not locked: ``of=("self",)``)."""
    return WhistleCall.objects.select_for_update(of=("self",)).select_related("whistle", "department").get(pk=call.pk)


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise ApplicationError("not_allowed", message or _("You are not allowed to do this."), status=403)


def call_state_error(call: WhistleCall) -> ApplicationError:
    return ApplicationError(
        "invalid_state",
        _("This call is %(status)s; that cannot be done now.") % {"status": call.get_status_display()},
        status=409,
    )


def whistle_state_error(whistle: Whistle) -> ApplicationError:
    return ApplicationError(
        "invalid_state",
        _("This whistle is %(status)s; that cannot be done now.") % {"status": whistle.get_status_display()},
        status=409,
    )


def invalid(fields: dict[str, list[str]]) -> ApplicationError:
    return ApplicationError("whistle_invalid", _("Please correct the errors below."), fields=fields)


# Recipients


def department_staff(department_ids: list[int]) -> list[Any]:
    """The active staff acting for any of these departments."""
    from grassroots.accounts.models import User

    if not department_ids:
        return []
    return list(
        User.objects.filter(
            role_assignments__role=Role.DEPARTMENT_STAFF,
            role_assignments__organization_id__in=department_ids,
            is_active=True,
        ).distinct()
    )


def blowing_staff(whistle: Whistle) -> list[Any]:
    """Who blew it: the community's staff for a community whistle, the street's staff for a street whistle."""
    street_whistle = whistle.community_id is None or whistle.region.kind == RegionKind.STREET
    return level_recipients(
        level=CaseLevel.STREET if street_whistle else CaseLevel.COMMUNITY,
        community_id=whistle.community_id,
        street_id=whistle.street_id,
        grid_id=None,
        compound_id=None,
    )


def street_staff(whistle: Whistle) -> list[Any]:
    return level_recipients(
        level=CaseLevel.STREET, community_id=None, street_id=whistle.street_id, grid_id=None, compound_id=None
    )


def district_admins(whistle: Whistle) -> list[Any]:
    from grassroots.accounts.models import User

    q = Q(role_assignments__role=Role.DISTRICT_ADMIN, role_assignments__region_id=whistle.district_id)
    return list(User.objects.filter(q, is_active=True).distinct())
