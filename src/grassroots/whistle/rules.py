"""Who may do what to a whistle: plain predicates over the user's anchors and organisations, registered with ``rules``.

* Blowing, closing, cancelling and rating belong to the staff whose ``blow_whistle`` anchor covers the whistle's
  region: community staff for their community, street staff for their street (and every community in it),
  district admins anywhere.
* Answering a call (acknowledge, report on site, feed back) belongs to the staff of the called department
  (``RoleAssignment.organization``), and to district admins.
* Viewing: ``view_whistles`` scope, or being staff of a department the whistle called.

The services check these again on every write; ``whistle_actions``/``call_actions`` are the one place that
decides which buttons a page shows.
"""

from __future__ import annotations

from typing import Any

import rules

from grassroots.accounts.enums import Capability, Role
from grassroots.accounts.roles import Anchor, anchors_for, organizations_for
from grassroots.territory.enums import RegionKind
from grassroots.whistle.enums import AWAITING_REPORT, CallStatus, WhistleStatus
from grassroots.whistle.models import Whistle, WhistleCall

BLOW_REGION_KINDS = frozenset({RegionKind.COMMUNITY, RegionKind.STREET})


def _active(user: Any, obj: Any) -> bool:
    """A signed-in, active user asking about an actual object (never granted without one)."""
    return bool(obj is not None and getattr(user, "is_authenticated", False) and user.is_active)


def _covers(anchor: Anchor, row: Any) -> bool:
    """Whether an anchor covers a row with scope columns (a region, a whistle or a call)."""
    column = {
        "district": row.district_id,
        "street": row.street_id,
        "community": row.community_id,
        "compound": row.compound_id,
    }.get(anchor.level)
    return column is not None and column == anchor.pk


def _covered(user: Any, row: Any, capability: str) -> bool:
    return bool(user.is_superuser) or any(_covers(a, row) for a in anchors_for(user, capability))


def department_ids(user: Any) -> list[int]:
    """The departments the user answers for (as department staff)."""
    return organizations_for(user, Role.DEPARTMENT_STAFF)


def _district_admin_of(user: Any, row: Any) -> bool:
    return any(
        a.role == Role.DISTRICT_ADMIN and a.level == "district" and a.pk == row.district_id for a in anchors_for(user)
    )


@rules.predicate
def can_blow(user: Any, region: Any) -> bool:
    """Whether the user may blow a whistle for this community or street."""
    if not _active(user, region) or region.kind not in BLOW_REGION_KINDS:
        return False
    return _covered(user, region, Capability.BLOW_WHISTLE)


@rules.predicate
def can_view(user: Any, whistle: Whistle) -> bool:
    if not _active(user, whistle):
        return False
    if _covered(user, whistle, Capability.VIEW_WHISTLES):
        return True
    departments = department_ids(user)
    return bool(departments) and whistle.calls.filter(department_id__in=departments).exists()


@rules.predicate
def can_answer(user: Any, call: WhistleCall) -> bool:
    """Staff of the called department (or a district admin, or a superuser) may answer the call."""
    if not _active(user, call):
        return False
    if user.is_superuser or call.department_id in department_ids(user):
        return True
    return _district_admin_of(user, call)


@rules.predicate
def can_close(user: Any, whistle: Whistle) -> bool:
    """The community or street staff in scope (who could have blown it) may close or cancel it."""
    return _active(user, whistle) and _covered(user, whistle, Capability.BLOW_WHISTLE)


@rules.predicate
def can_rate(user: Any, call: WhistleCall) -> bool:
    """Rating a department's work is for the staff who may close the whistle."""
    return _active(user, call) and _covered(user, call, Capability.BLOW_WHISTLE)


def call_actions(user: Any, call: WhistleCall, whistle: Whistle | None = None) -> set[str]:
    """What the user may do to one call now: acknowledge, report, feedback, rate."""
    whistle = whistle or call.whistle
    actions: set[str] = set()
    if whistle.status == WhistleStatus.OPEN and can_answer(user, call):
        if call.status == CallStatus.CALLED:
            actions.add("acknowledge")
        if call.status in AWAITING_REPORT:
            actions.add("report")
        if call.status == CallStatus.REPORTED:
            actions.add("feedback")
    if whistle.status != WhistleStatus.CANCELLED and call.status == CallStatus.FED_BACK and can_rate(user, call):
        actions.add("rate")
    return actions


def whistle_actions(user: Any, whistle: Whistle) -> set[str]:
    """What the user may do to the whistle now: ``close`` and ``cancel`` for the whole whistle, and the union of
    the call actions (``acknowledge``, ``report``, ``feedback``, ``rate``) over its calls (see ``call_actions``
    for one call)."""
    if not _active(user, whistle):
        return set()
    calls = list(whistle.calls.all())
    actions: set[str] = set()
    if whistle.status == WhistleStatus.OPEN and can_close(user, whistle):
        actions.add("cancel")
        live = [c for c in calls if c.status != CallStatus.CANCELLED]
        if live and all(c.status in (CallStatus.FED_BACK, CallStatus.RATED) for c in live):
            actions.add("close")
    for call in calls:
        actions |= call_actions(user, call, whistle)
    return actions


rules.add_perm("whistle.blow_whistle", can_blow)
rules.add_perm("whistle.view_whistle", can_view)
rules.add_perm("whistle.answer_call", can_answer)
rules.add_perm("whistle.close_whistle", can_close)
rules.add_perm("whistle.rate_call", can_rate)
