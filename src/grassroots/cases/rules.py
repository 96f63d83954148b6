"""Who may do what to a case: plain predicates over the user's anchors, registered with ``rules``.

Scope is data: a handler's anchor must cover the case (grid, compound, community or street column). Claiming
is for party members anchored in the case's community (a confirmed report to the community gives that anchor;
the frontline app records the report), for unit admins and compound secretaries acting for their organisation,
and for staff recording a claim on behalf of a unit or volunteer team.
"""

from __future__ import annotations

from typing import Any

import rules

from grassroots.accounts.enums import Capability, Role
from grassroots.accounts.roles import Anchor, anchors_for
from grassroots.cases.enums import CLAIMABLE_KINDS, CaseStatus
from grassroots.cases.models import Case


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


rules.add_perm("cases.view_case", can_view)
rules.add_perm("cases.handle_case", can_handle)
rules.add_perm("cases.claim_case", can_claim)
rules.add_perm("cases.fulfil_case", is_claimer | can_handle)
rules.add_perm("cases.rate_case", is_requester | can_handle)
