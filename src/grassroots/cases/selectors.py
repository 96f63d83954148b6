"""Reads of cases, always for an acting user. Out-of-scope cases are a 404 (``Case.DoesNotExist``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from grassroots.accounts.enums import Capability, Role
from grassroots.accounts.roles import anchors_for
from grassroots.cases.enums import CLAIMABLE_KINDS, CaseKind, CaseStatus
from grassroots.cases.models import Case, CaseEvent, CaseQuerySet
from grassroots.core.scope import scope_q

LIST_RELATED = ("category", "item", "place", "grid", "assignee_org", "claimer_person", "claimer_org")


def case_visibility_q(user: Any) -> Q:
    """Cases the user may open: in their handling scope, or asked by them, or claimed by them."""
    q = scope_q(Case, user, Capability.VIEW_CASES)
    if getattr(user, "is_authenticated", False):
        q |= Q(requester_user_id=user.pk) | Q(claimer_user_id=user.pk)
    return q


def case_list(
    *,
    user: Any,
    kind: str | None = None,
    status: str | None = None,
    category: int | str | None = None,
    region: int | None = None,
    grid: int | None = None,
    overdue: bool | None = None,
    q: str = "",
    base: CaseQuerySet | None = None,
) -> QuerySet[Case]:
    """The staff inbox: cases in the user's scope, filtered. ``status="open"`` means claimable now.

    ``base`` replaces the user's scope as the rows to filter (the API passes its own, already scoped, rows).
    """
    rows = Case.objects.filter(scope_q(Case, user, Capability.VIEW_CASES)) if base is None else base
    qs = rows.select_related(*LIST_RELATED)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if category:
        qs = (
            qs.filter(category__code=category)
            if isinstance(category, str) and not category.isdigit()
            else qs.filter(category_id=int(category))
        )
    if region:
        qs = qs.filter(Q(street_id=region) | Q(community_id=region) | Q(compound_id=region) | Q(district_id=region))
    if grid:
        qs = qs.filter(grid_id=grid)
    if overdue is True:
        qs = qs.overdue()
    elif overdue is False:
        qs = qs.exclude(pk__in=Case.objects.overdue().values("pk"))
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(title__icontains=q) | Q(description__icontains=q))
    return qs


def case_get(*, user: Any, pk: int) -> Case:
    return Case.objects.select_related(*LIST_RELATED, "requester", "station").filter(case_visibility_q(user)).get(pk=pk)


def timeline(*, case: Case, public_only: bool = False) -> QuerySet[CaseEvent]:
    qs = case.events.select_related("actor").order_by("at", "id")
    return qs.filter(public=True) if public_only else qs


def wish_wall_public(*, community_id: int, kinds: tuple[str, ...] = (CaseKind.MICRO_WISH,)) -> QuerySet[Case]:
    """What anyone may see on a community's wall: accepted, unclaimed wishes. Callers show only the masked
    name, the category, the title and the resident group; never the place below the compound or a number."""
    return (
        Case.objects.filter(community_id=community_id, kind__in=kinds, status=CaseStatus.OPEN)
        .select_related("category", "compound")
        .order_by("-verified_at", "-id")
    )


def wishes_fulfilled_public(*, community_id: int, since: Any) -> QuerySet[Case]:
    return Case.objects.filter(community_id=community_id, kind=CaseKind.MICRO_WISH, deed_at__gte=since).select_related(
        "category"
    )


def claim_area_q(user: Any) -> Q:
    """Where the user may claim: every community (or narrower region) of their claiming anchors."""
    q = Q(pk__in=[])
    if not getattr(user, "is_authenticated", False):
        return q
    for anchor in anchors_for(user, Capability.CLAIM_CASES):
        if anchor.role == Role.PARTY_MEMBER and anchor.community_id:
            q |= Q(community_id=anchor.community_id)
        elif anchor.level in ("district", "street", "community", "compound"):
            q |= Q(**{f"{anchor.level}_id": anchor.pk})
        elif anchor.level == "grid":
            q |= Q(grid_id=anchor.pk)
    return q


def claimable_for(*, user: Any, kind: str | None = None) -> QuerySet[Case]:
    """The wall a claimer sees: open wishes and difficulties in every community they may claim in."""
    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    qs = Case.objects.filter(claim_area_q(user), status=CaseStatus.OPEN, kind__in=CLAIMABLE_KINDS).select_related(
        "category", "compound"
    )
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-verified_at", "-id")


def my_claims(*, user: Any) -> QuerySet[Case]:
    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    return (
        Case.objects.filter(claimer_user_id=user.pk)
        .select_related("category", "compound")
        .order_by("-claimed_at", "-id")
    )


def my_requests(*, user: Any) -> QuerySet[Case]:
    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    return (
        Case.objects.filter(requester_user_id=user.pk)
        .select_related("category", "item")
        .order_by("-submitted_at", "-id")
    )


def case_get_for_requester(*, user: Any, pk: int) -> Case:
    return my_requests(user=user).get(pk=pk)


def overdue_count(*, user: Any) -> int:
    return Case.objects.filter(scope_q(Case, user, Capability.VIEW_CASES)).overdue(timezone.now()).count()
