"""What the unit and member report services share: inputs, limits, errors, recipients, the decision."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from grassroots.accounts.enums import Role
from grassroots.accounts.models import User
from grassroots.core.audit import audit_record
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditAction
from grassroots.frontline.enums import ReportStatus
from grassroots.frontline.models import MemberReport, UnitReport
from grassroots.people.models import Person
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Region

UNIT_REPORT_KINDS = frozenset({"agency", "enterprise", "public_institution", "department"})
MEMBER_REGION_KINDS = frozenset({RegionKind.COMMUNITY, RegionKind.COMPOUND})
MAX_POSTS = 3
MAX_SKILLS = 200


@dataclass(frozen=True)
class CommitmentInput:
    text: str
    yearly_target: int = 1


@dataclass(frozen=True)
class ResourceInput:
    kind: str
    description: str
    quantity: str = ""


def denied(message: str | None = None) -> ApplicationError:
    return ApplicationError("not_allowed", message or _("You are not allowed to do this."), status=403)


def state_error(status: str) -> ApplicationError:
    return ApplicationError(
        "invalid_state",
        _("This report is %(status)s; it cannot be changed this way.") % {"status": ReportStatus(status).label},
        status=409,
    )


def invalid(fields: dict[str, list[str]]) -> ApplicationError:
    return ApplicationError("report_invalid", _("Correct the marked fields."), fields=fields)


def link(name: str, pk: int) -> str:
    """The page of a report, once the frontline pages define it (notifications work without one)."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def community_staff(region: Any) -> list[User]:
    """The staff who decide reports to this community (community staff anchored there)."""
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.COMMUNITY_STAFF,
            role_assignments__region_id=region.community_id,
        ).distinct()
    )


def unit_admins(unit_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, role_assignments__role=Role.UNIT_ADMIN, role_assignments__organization_id=unit_id
        ).distinct()
    )


def user_of(person: Person) -> User | None:
    return User.objects.filter(person=person, is_active=True).first()


def community_of(region: Region) -> Region:
    return region if region.kind == RegionKind.COMMUNITY else Region.objects.get(pk=region.community_id)


def decide(
    report: UnitReport | MemberReport, *, actor: Any, accept: bool, note: str, now: dt.datetime, request: Any = None
) -> None:
    """The community's decision on a pending report (locked by the caller): who may, the state, the audit row."""
    from grassroots.frontline.rules import reporting as rules

    if not rules.covers(actor, report):
        raise denied(_("Only the staff of the community reported to can decide."))
    if report.status != ReportStatus.PENDING:
        raise state_error(report.status)
    report.status = ReportStatus.CONFIRMED if accept else ReportStatus.REJECTED
    report.decided_at = now
    report.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    report.decision_note = (note or "").strip()[:300]
    report.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=report,
        changes={"status": [ReportStatus.PENDING, report.status]},
        detail="confirm" if accept else "reject",
        request=request,
    )
