"""Reads of whistles, always for an acting user. Out-of-scope whistles are a 404 (``Whistle.DoesNotExist``).

Staff see the whistles of their ``view_whistles`` scope (community, street, district); department staff see
the whistles that called their department, and nothing else. Scorecards live in ``scorecards`` and are
re-exported here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from grassroots.accounts.enums import Capability
from grassroots.core.scope import NOTHING, scope_q
from grassroots.whistle.enums import AWAITING_FEEDBACK, AWAITING_REPORT, WhistleStatus
from grassroots.whistle.models import Whistle, WhistleCall, WhistleEvent
from grassroots.whistle.rules import department_ids
from grassroots.whistle.scorecards import ScoreRow, department_scorecard, department_scorecards

__all__ = [
    "ScoreRow",
    "call_list_for_department",
    "call_visibility_q",
    "department_scorecard",
    "department_scorecards",
    "overdue_calls_q",
    "timeline",
    "whistle_get",
    "whistle_list",
    "whistle_visibility_q",
]


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def whistle_visibility_q(user: Any) -> Q:
    """Whistles the user may open: in their ``view_whistles`` scope, or calling one of their departments."""
    if not _active(user):
        return NOTHING
    q = scope_q(Whistle, user, Capability.VIEW_WHISTLES)
    departments = department_ids(user)
    if departments:
        q |= Q(pk__in=WhistleCall.objects.filter(department_id__in=departments).values("whistle_id"))
    return q


def call_visibility_q(user: Any) -> Q:
    """Calls the user may count: in their ``view_whistles`` scope, or to one of their departments."""
    if not _active(user):
        return NOTHING
    q = scope_q(WhistleCall, user, Capability.VIEW_WHISTLES)
    departments = department_ids(user)
    if departments:
        q |= Q(department_id__in=departments)
    return q


def overdue_calls_q(now: dt.datetime) -> Q:
    """Calls late now: not on site by ``report_due``, or not fed back by ``handle_due``."""
    return Q(status__in=list(AWAITING_REPORT), report_due__lt=now) | Q(
        status__in=list(AWAITING_FEEDBACK), handle_due__lt=now
    )


def whistle_list(
    *,
    user: Any,
    status: str | None = None,
    q: str | None = None,
    department_id: int | None = None,
    overdue: bool | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[Whistle]:
    """The whistles the user may see, newest first, filtered.

    ``overdue=True``: open whistles with a department late to report or to feed back; ``False``: the others.
    """
    qs = Whistle.objects.filter(whistle_visibility_q(user)).select_related("region", "origin_case")
    if status:
        qs = qs.filter(status=status)
    if department_id:
        qs = qs.filter(Exists(WhistleCall.objects.filter(whistle=OuterRef("pk"), department_id=department_id)))
    if overdue is not None:
        late = Q(status=WhistleStatus.OPEN) & Q(
            Exists(WhistleCall.objects.filter(overdue_calls_q(now or timezone.now()), whistle=OuterRef("pk")))
        )
        qs = qs.filter(late) if overdue else qs.exclude(late)
    text = (q or "").strip()
    if text:
        qs = qs.filter(Q(number__icontains=text) | Q(title__icontains=text) | Q(description__icontains=text))
    return qs


def whistle_get(*, user: Any, pk: int) -> Whistle:
    """One whistle with its calls (and their departments); ``Whistle.DoesNotExist`` when out of scope."""
    calls = WhistleCall.objects.select_related("department").order_by("id")
    return (
        Whistle.objects.filter(whistle_visibility_q(user))
        .select_related("region", "origin_case", "raised_by", "closed_by")
        .prefetch_related(Prefetch("calls", queryset=calls))
        .get(pk=pk)
    )


def timeline(*, whistle: Whistle) -> QuerySet[WhistleEvent]:
    """The whistle's events in order (fetch the whistle through ``whistle_get`` first)."""
    return whistle.events.select_related("call__department").order_by("at", "id")


def call_list_for_department(*, user: Any, status: str | None = None) -> QuerySet[WhistleCall]:
    """The calls to the user's departments (a department's inbox), newest first; empty for other users."""
    departments = department_ids(user) if _active(user) else []
    qs = (
        WhistleCall.objects.filter(department_id__in=departments)
        .select_related("whistle", "whistle__region", "department")
        .order_by("-called_at", "-id")
    )
    if status:
        qs = qs.filter(status=status)
    return qs
