"""Who may do what with unit and member reports: plain predicates over the user's anchors and organisations.

Community staff act on reports whose region lies in their ``MANAGE_FRONTLINE`` scope (a community or street
anchor, the district admin everywhere). A unit's admin acts for their unit (``RoleAssignment.organization``)
whatever the region reported to. A party member acts on their own report.
"""

from __future__ import annotations

from typing import Any

import rules

from grassroots.accounts.enums import Capability, Role
from grassroots.accounts.roles import anchors_for, organizations_for
from grassroots.frontline.enums import ReportStatus
from grassroots.frontline.models import MemberReport, UnitReport

SCOPE_LEVELS = ("district", "street", "community", "compound")


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def covers(user: Any, region: Any, capability: str = Capability.MANAGE_FRONTLINE) -> bool:
    """Whether one of the user's anchors holding ``capability`` covers ``region`` (a Region or a scoped row)."""
    if not _active(user) or region is None:
        return False
    if user.is_superuser:
        return True
    for anchor in anchors_for(user, capability):
        if anchor.level == "grid":
            if anchor.community_id is not None and anchor.community_id == getattr(region, "community_id", None):
                return True
        elif anchor.level in SCOPE_LEVELS and getattr(region, f"{anchor.level}_id", None) == anchor.pk:
            return True
    return False


def is_unit_admin(user: Any, unit_id: int | None) -> bool:
    """Whether the user is the admin of this unit (acts for it as ``unit_admin``)."""
    return _active(user) and unit_id is not None and unit_id in organizations_for(user, Role.UNIT_ADMIN)


def is_district_admin(user: Any) -> bool:
    if not _active(user):
        return False
    return bool(user.is_superuser) or any(a.role == Role.DISTRICT_ADMIN for a in anchors_for(user))


def is_own_report(user: Any, report: MemberReport) -> bool:
    person_id = getattr(user, "person_id", None)
    return _active(user) and person_id is not None and person_id == report.person_id


# --- unit reports --------------------------------------------------------------------------------------------


@rules.predicate
def can_view_unit_report(user: Any, report: UnitReport | None) -> bool:
    if report is None:
        return False
    return covers(user, report, Capability.VIEW_FRONTLINE) or is_unit_admin(user, report.unit_id)


@rules.predicate
def can_decide_unit_report(user: Any, report: UnitReport | None) -> bool:
    return report is not None and report.status == ReportStatus.PENDING and covers(user, report)


@rules.predicate
def can_withdraw_unit_report(user: Any, report: UnitReport | None) -> bool:
    return report is not None and report.status == ReportStatus.PENDING and is_unit_admin(user, report.unit_id)


@rules.predicate
def can_manage_projects(user: Any, report: UnitReport | None) -> bool:
    """Adding and updating the projects of a confirmed report: the unit's admin or the community's staff."""
    if report is None or report.status != ReportStatus.CONFIRMED:
        return False
    return is_unit_admin(user, report.unit_id) or covers(user, report)


def can_submit_unit_report(user: Any, *, unit_id: int, community: Any) -> bool:
    return is_unit_admin(user, unit_id) or covers(user, community)


def unit_report_actions(user: Any, report: UnitReport) -> set[str]:
    """What a page offers on this report now; the services check again on submit."""
    actions: set[str] = set()
    if can_decide_unit_report(user, report):
        actions |= {"confirm", "reject"}
    if can_withdraw_unit_report(user, report):
        actions.add("withdraw")
    if can_manage_projects(user, report):
        actions.add("projects")
    return actions


# --- member reports ------------------------------------------------------------------------------------------


@rules.predicate
def can_view_member_report(user: Any, report: MemberReport | None) -> bool:
    if report is None:
        return False
    return (
        is_own_report(user, report)
        or covers(user, report, Capability.VIEW_FRONTLINE)
        or is_unit_admin(user, report.home_unit_id)
    )


@rules.predicate
def can_decide_member_report(user: Any, report: MemberReport | None) -> bool:
    return report is not None and report.status == ReportStatus.PENDING and covers(user, report)


@rules.predicate
def can_withdraw_member_report(user: Any, report: MemberReport | None) -> bool:
    """The member themself or the community's staff, while the report is live."""
    if report is None or report.status not in (ReportStatus.PENDING, ReportStatus.CONFIRMED):
        return False
    return is_own_report(user, report) or covers(user, report)


def can_submit_member_report(user: Any, *, channel: str, person_id: int, home_unit_id: int | None, region: Any) -> bool:
    """Self: the member's own login; roster: their unit's admin or the community's staff; staff: staff."""
    if channel == "self":
        return _active(user) and getattr(user, "person_id", None) == person_id
    if channel == "roster":
        return is_unit_admin(user, home_unit_id) or covers(user, region)
    if channel == "staff":
        return covers(user, region)
    return False


def member_report_actions(user: Any, report: MemberReport) -> set[str]:
    actions: set[str] = set()
    if can_decide_member_report(user, report):
        actions |= {"confirm", "reject"}
    if can_withdraw_member_report(user, report):
        actions.add("withdraw")
    return actions


rules.add_perm("frontline.view_unit_report", can_view_unit_report)
rules.add_perm("frontline.decide_unit_report", can_decide_unit_report)
rules.add_perm("frontline.withdraw_unit_report", can_withdraw_unit_report)
rules.add_perm("frontline.manage_unit_projects", can_manage_projects)
rules.add_perm("frontline.view_member_report", can_view_member_report)
rules.add_perm("frontline.decide_member_report", can_decide_member_report)
rules.add_perm("frontline.withdraw_member_report", can_withdraw_member_report)
