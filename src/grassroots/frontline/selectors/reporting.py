"""Reads of unit and member reports, always for an acting user.

Staff see the reports whose region lies in their ``VIEW_FRONTLINE`` scope; a unit's admin sees its unit's
reports and members (by organisation, wherever they reported); a party member sees their own. Out-of-scope
reports are a 404 (``DoesNotExist``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from grassroots.accounts.enums import Capability, Role
from grassroots.accounts.roles import organizations_for
from grassroots.catalogue.models import ServiceCategory
from grassroots.core.scope import NOTHING, scope_q
from grassroots.frontline.enums import LIVE_REPORT_STATUSES, ProjectStatus, ReportStatus
from grassroots.frontline.models import MemberReport, PointsEntry, UnitCommitment, UnitProject, UnitReport
from grassroots.frontline.rules.reporting import is_district_admin
from grassroots.people.enums import MemberCategory
from grassroots.people.models import PartyMembership, Person


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def unit_report_visibility_q(user: Any) -> Q:
    if not _signed_in(user):
        return NOTHING
    q = scope_q(UnitReport, user, Capability.VIEW_FRONTLINE)
    units = organizations_for(user, Role.UNIT_ADMIN)
    return q | Q(unit_id__in=units) if units else q


def member_report_visibility_q(user: Any) -> Q:
    if not _signed_in(user):
        return NOTHING
    q = scope_q(MemberReport, user, Capability.VIEW_FRONTLINE)
    units = organizations_for(user, Role.UNIT_ADMIN)
    if units:
        q |= Q(home_unit_id__in=units)
    if getattr(user, "person_id", None):
        q |= Q(person_id=user.person_id)
    return q


# --- unit reports --------------------------------------------------------------------------------------------


def unit_report_list(*, user: Any, status: str | None = None, q: str | None = None) -> QuerySet[UnitReport]:
    qs = UnitReport.objects.filter(unit_report_visibility_q(user)).select_related("unit", "region")
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(unit__name__icontains=q) | Q(agreement_title__icontains=q) | Q(region__name__icontains=q))
    return qs


def unit_report_get(*, user: Any, pk: int) -> UnitReport:
    return (
        UnitReport.objects.filter(unit_report_visibility_q(user))
        .select_related("unit", "region", "submitted_by", "decided_by")
        .prefetch_related(
            "commitments", "resources", Prefetch("projects", UnitProject.objects.select_related("commitment"))
        )
        .get(pk=pk)
    )


@dataclass(frozen=True)
class CommitmentProgress:
    commitment: UnitCommitment
    target: int
    done: int
    rate: float  # done / target (above 1.0 when the unit did more than it promised)


def commitment_progress(*, report: UnitReport, year: int) -> list[CommitmentProgress]:
    """Per commitment of the report: the yearly target and the projects done in ``year`` against it."""
    done = dict(
        UnitProject.objects.filter(report=report, status=ProjectStatus.DONE, done_on__year=year)
        .exclude(commitment=None)
        .order_by()
        .values("commitment_id")
        .annotate(n=Count("id"))
        .values_list("commitment_id", "n")
    )
    rows = []
    for commitment in UnitCommitment.objects.filter(report=report).order_by("id"):
        count = int(done.get(commitment.pk, 0))
        target = commitment.yearly_target
        rows.append(CommitmentProgress(commitment, target, count, count / target if target else 0.0))
    return rows


# --- member reports ------------------------------------------------------------------------------------------


def _post_filter(qs: QuerySet[MemberReport], post: int | str | None) -> QuerySet[MemberReport]:
    if not post:
        return qs
    if isinstance(post, str) and not post.isdigit():
        return qs.filter(posts__code=post).distinct()
    return qs.filter(posts__id=int(post)).distinct()


def _person_filter(qs: QuerySet[MemberReport], q: str | None) -> QuerySet[MemberReport]:
    if not q:
        return qs
    return qs.filter(
        Q(person__name__icontains=q)
        | Q(person__name_pinyin__icontains=q.lower())
        | Q(person__name_initials__icontains=q.lower())
        | Q(home_unit__name__icontains=q)
    )


def member_report_list(
    *, user: Any, status: str | None = None, q: str | None = None, post: int | str | None = None
) -> QuerySet[MemberReport]:
    qs = MemberReport.objects.filter(member_report_visibility_q(user)).select_related("person", "home_unit", "region")
    if status:
        qs = qs.filter(status=status)
    return _post_filter(_person_filter(qs, q), post).prefetch_related("posts")


def member_report_get(*, user: Any, pk: int) -> MemberReport:
    return (
        MemberReport.objects.filter(member_report_visibility_q(user))
        .select_related("person", "home_unit", "region", "submitted_by", "decided_by")
        .prefetch_related("posts")
        .get(pk=pk)
    )


def my_member_report(*, user: Any) -> MemberReport | None:
    """The member's live report, else their latest one (so a returned report's note can be read)."""
    if not _signed_in(user) or not getattr(user, "person_id", None):
        return None
    qs = (
        MemberReport.objects.filter(person_id=user.person_id)
        .select_related("home_unit", "region")
        .prefetch_related("posts")
    )
    return qs.filter(status__in=LIVE_REPORT_STATUSES).first() or qs.first()


@dataclass(frozen=True)
class UnitMemberRow:
    person: Person
    report: MemberReport | None
    status_label: str

    @property
    def status(self) -> str:
        """``reported``, ``pending`` or ``not_reported`` (for styling)."""
        if self.report is None:
            return "not_reported"
        return "reported" if self.report.status == ReportStatus.CONFIRMED else "pending"


def unit_members(*, user: Any, unit_id: int | None = None) -> list[UnitMemberRow]:
    """A unit's in-service party members with whether each has reported (已报到 / 待确认 / 未报到).

    For the unit's admin (their first unit when ``unit_id`` is None) or the district admin; else empty."""
    units = organizations_for(user, Role.UNIT_ADMIN) if _signed_in(user) else []
    if unit_id is None:
        unit_id = units[0] if units else None
    if unit_id is None or (unit_id not in units and not is_district_admin(user)):
        return []
    memberships = (
        PartyMembership.objects.filter(category=MemberCategory.IN_SERVICE, home_unit_id=unit_id)
        .select_related("person")
        .order_by("person__name_pinyin", "person_id")
    )
    persons = [m.person for m in memberships]
    live = {
        r.person_id: r
        for r in MemberReport.objects.filter(
            person_id__in=[p.pk for p in persons], status__in=LIVE_REPORT_STATUSES
        ).select_related("region")
    }
    labels = {
        ReportStatus.CONFIRMED: _("Reported"),
        ReportStatus.PENDING: _("Awaiting confirmation"),
    }
    rows = []
    for person in persons:
        report = live.get(person.pk)
        label = labels[ReportStatus(report.status)] if report is not None else _("Not reported")
        rows.append(UnitMemberRow(person, report, label))
    return rows


def member_roster(*, user: Any, q: str | None = None, post: int | str | None = None) -> QuerySet[MemberReport]:
    """Confirmed members in the user's scope, with their posts and ``points_total`` (0 when none)."""
    points = (
        PointsEntry.objects.filter(person_id=OuterRef("person_id"))
        .order_by()
        .values("person_id")
        .annotate(total=Sum("points"))
        .values("total")
    )
    confirmed: QuerySet[MemberReport] = MemberReport.objects.filter(
        member_report_visibility_q(user), status=ReportStatus.CONFIRMED
    )
    qs = _post_filter(_person_filter(confirmed, q), post)
    return (
        qs.select_related("person", "home_unit", "region")
        .prefetch_related(Prefetch("posts", ServiceCategory.objects.order_by("order", "code")))
        .annotate(
            points_total=Coalesce(
                Subquery(points, output_field=DecimalField(max_digits=10, decimal_places=2)),
                Value(Decimal("0")),
                output_field=DecimalField(max_digits=10, decimal_places=2),
            )
        )
        .order_by("person__name_pinyin", "id")
    )
