"""Who may do what to a case: plain predicates over the user's anchors, registered with ``rules``.

Scope is data: a handler's anchor must cover the case (grid, compound, community or street column). Claiming
is for party members anchored in the case's community (a confirmed report to the community gives that anchor;
the frontline app records the report), for unit admins and compound secretaries acting for their organisation,
and for staff recording a claim on behalf of a unit or volunteer team.
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils import timezone

from grassroots.accounts.enums import Capability, Role
from grassroots.accounts.roles import Anchor, anchors_for
from grassroots.cases.enums import ACTIVE_STATUSES, CLAIMABLE_KINDS, CaseLevel, CaseStatus, ClaimOutcome
from grassroots.cases.models import Case, CaseClaim


def _covers(anchor: Anchor, case: Case) -> bool:
    if anchor.level == "grid":
        return case.grid_id == anchor.pk
    column = {
        "district": case.district_id,
        "street": case.street_id,
        "community": case.community_id,
        "compound": case.compound_id,
    }.get(anchor.level)
    return column is not None and column == anchor.pk


def _active(user: Any, case: Case | None = None) -> bool:
    """An active, signed-in user asking about an actual case (``has_perm`` without an object is never granted:
    ``cases.view_case`` is also the name of Django's model permission, which the admin checks without one)."""
    return bool(case is not None and getattr(user, "is_authenticated", False) and user.is_active)


@rules.predicate
def can_view(user: Any, case: Case) -> bool:
    if not _active(user, case):
        return False
    if user.is_superuser or case.requester_user_id == user.pk or case.claimer_user_id == user.pk:
        return True
    return any(_covers(a, case) for a in anchors_for(user, Capability.VIEW_CASES))


@rules.predicate
def can_handle(user: Any, case: Case) -> bool:
    if not _active(user, case):
        return False
    return user.is_superuser or any(_covers(a, case) for a in anchors_for(user, Capability.HANDLE_CASES))


def claim_anchors(user: Any, case: Case) -> list[Anchor]:
    """The user's claiming anchors that reach the case: a party member's community-wide, others by scope."""
    found = []
    for anchor in anchors_for(user, Capability.CLAIM_CASES):
        if anchor.role == Role.PARTY_MEMBER:
            if anchor.community_id is not None and anchor.community_id == case.community_id:
                found.append(anchor)
        elif _covers(anchor, case):
            found.append(anchor)
    return found


@rules.predicate
def can_claim(user: Any, case: Case) -> bool:
    """Whether the user may press "认领" on this case now (state and place; identity is checked on claim)."""
    if not _active(user, case) or case.kind not in CLAIMABLE_KINDS or case.status != CaseStatus.OPEN:
        return False
    return bool(claim_anchors(user, case)) or can_handle(user, case)


@rules.predicate
def is_claimer(user: Any, case: Case) -> bool:
    return _active(user, case) and case.claimer_user_id == user.pk


@rules.predicate
def is_requester(user: Any, case: Case) -> bool:
    return _active(user, case) and case.requester_user_id is not None and case.requester_user_id == user.pk


def actions_for(user: Any, case: Case) -> set[str]:
    """The actions a page offers this user on this case now (staff page, portal). The services check again on
    submit; this is the one place that decides what to show, from the same predicates and states."""
    handle = bool(can_handle(user, case))
    claimer = bool(is_claimer(user, case))
    requester = bool(is_requester(user, case))
    status = case.status
    actions: set[str] = set()
    if handle and status == CaseStatus.PENDING:
        actions |= {"accept", "reject"}
    if handle and status == CaseStatus.OPEN and case.kind in CLAIMABLE_KINDS:
        actions.add("claim")
    if status == CaseStatus.IN_PROGRESS and (handle or claimer):
        actions.add("fulfil")
        claim = CaseClaim.objects.filter(case=case, outcome=ClaimOutcome.ACTIVE).only("release_by").first()
        if claim is not None and (claim.release_by is None or timezone.now() < claim.release_by):
            actions.add("release")
    if (handle or requester) and status == CaseStatus.FULFILLED:
        actions.add("rate")
    if handle and status in ACTIVE_STATUSES and case.level < CaseLevel.STREET:
        actions.add("escalate")
    if (handle or requester) and status in (CaseStatus.PENDING, CaseStatus.OPEN):
        actions.add("cancel")
    if handle or claimer:
        actions.add("note")
    return actions


rules.add_perm("cases.view_case", can_view)
rules.add_perm("cases.handle_case", can_handle)
rules.add_perm("cases.claim_case", can_claim)
rules.add_perm("cases.fulfil_case", is_claimer | can_handle)
rules.add_perm("cases.rate_case", is_requester | can_handle)
