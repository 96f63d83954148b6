"""Reads of organisations, always for an acting user."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from grassroots.organizations.models import Organization


def organization_list(*, user: Any, kind: str | None = None, q: str = "") -> QuerySet[Organization]:
    """The organisations ``user`` may see, optionally of one ``kind`` and matching ``q`` (name or code)."""
    qs = Organization.objects.visible_to(user).select_related("region", "grid")
    if kind:
        qs = qs.filter(kind=kind)
    q = q.strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__iexact=q))
    return qs.order_by("code", "id")


def organization_get(*, user: Any, pk: int) -> Organization:
    """The organisation, or 404 when it is outside the user's scope."""
    return get_object_or_404(Organization.objects.visible_to(user).select_related("region", "grid"), pk=pk)
