"""Helpers shared by the case services: the timeline row, the audit row and notifications."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse

from grassroots.cases.enums import CaseStatus, EventKind
from grassroots.cases.models import Case, CaseEvent
from grassroots.cases.routing import level_recipients
from grassroots.core.audit import audit_record
from grassroots.core.models import AuditAction
from grassroots.notifications.services import notify


def actor_label(actor: Any) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return ""
    person = getattr(actor, "person", None)
    return str(person) if person is not None else str(actor)


def event_add(
    *,
    case: Case,
    kind: EventKind | str,
    actor: Any,
    at: dt.datetime,
    from_status: str = "",
    note: str = "",
    public: bool = True,
    data: dict[str, Any] | None = None,
    label: str | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        kind=str(kind),
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        actor_label=(label if label is not None else actor_label(actor))[:100],
        at=at,
        from_status=from_status,
        to_status=case.status,
        note=note[:500],
        public=public,
        data=data or {},
    )


def audit_transition(*, case: Case, actor: Any, from_status: str, detail: str, request: Any = None) -> None:
    changes: dict[str, Any] = {"status": [from_status, case.status]} if from_status != case.status else {}
    audit_record(actor=actor, action=AuditAction.UPDATE, target=case, changes=changes, detail=detail, request=request)


def staff_url(case: Case) -> str:
    return reverse("cases:case_detail", args=[case.pk])


def resident_url(case: Case) -> str:
    return reverse("portal:case_detail", args=[case.pk])


def notify_level(*, case: Case, verb: str, title: str, body: str = "") -> None:
    users = level_recipients(
        level=case.level,
        community_id=case.community_id,
        street_id=case.street_id,
        grid_id=case.grid_id,
        compound_id=case.compound_id,
    )
    notify(recipients=users, verb=verb, title=title, body=body, url=staff_url(case), channels=("sms",))


def notify_requester(*, case: Case, verb: str, title: str, body: str = "") -> None:
    if case.requester_user_id:
        notify(
            recipients=[case.requester_user],
            verb=verb,
            title=title,
            body=body,
            url=resident_url(case),
            channels=("sms", "wechat"),
        )


def lock(case: Case) -> Case:
    """Re-read the case under a row lock (a no-op lock on SQLite, whose IMMEDIATE transactions serialise)."""
    return Case.objects.select_for_update().get(pk=case.pk)


def on_commit(fn: Any) -> None:
    transaction.on_commit(fn)


ACTIVE_FOR_ESCALATION = (CaseStatus.PENDING, CaseStatus.OPEN, CaseStatus.IN_PROGRESS)
