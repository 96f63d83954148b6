"""Part-time committee members in the user's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from grassroots.accounts.enums import Capability
from grassroots.organizations.models import CommitteeSeat


def committee_seat_list(
    *, user: Any, current: bool | None = None, community_id: int | None = None, q: str | None = None
) -> QuerySet[CommitteeSeat]:
    """Seats on the committees of communities the user sees (frontline scope), newest terms first."""
    qs = CommitteeSeat.objects.visible_to(user, Capability.VIEW_FRONTLINE).select_related(
        "person", "from_organization", "community_region"
    )
    today = timezone.localdate()
    if current is True:
        qs = qs.filter(Q(term_end__isnull=True) | Q(term_end__gte=today), term_start__lte=today)
    elif current is False:
        qs = qs.filter(term_end__lt=today)
    if community_id:
        qs = qs.filter(community_region_id=community_id)
    if q:
        qs = qs.filter(
            Q(person__name__icontains=q) | Q(from_organization__name__icontains=q) | Q(position__icontains=q)
        )
    return qs.order_by("community_region__path", "-term_start", "pk")


def committee_seat_get(*, user: Any, pk: int) -> CommitteeSeat:
    return committee_seat_list(user=user).get(pk=pk)
