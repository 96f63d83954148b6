"""Reads of points: the ledger, member and unit rankings (先锋指数), and a member's service summary.

Who sees which entries: staff by the entry's scope columns (the community the member reported to), a unit's
admin the entries of the unit's members (by home unit, wherever they reported), and anyone their own.
Summaries read one query per figure for any number of people, so a unit's report costs the same few queries
whether it has five members or five hundred.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import Count, Model, Q, QuerySet, Sum

from grassroots.accounts.enums import Capability, Role
from grassroots.accounts.roles import organizations_for
from grassroots.cases.enums import CaseKind
from grassroots.cases.models import Case, CaseClaim
from grassroots.core.scope import scope_q
from grassroots.frontline.enums import LIVE_REPORT_STATUSES, BookingStatus, ReportStatus
from grassroots.frontline.models import MemberReport, PointsEntry, ServiceRecord, ShiftBooking
from grassroots.frontline.services.points.ledger import day_start
from grassroots.organizations.models import Organization
from grassroots.people.models import Person

ZERO = Decimal(0)
CENT = Decimal("0.01")
T = TypeVar("T")
M = TypeVar("M", bound=Model)


def _own_q(user: Any, model: type[Any]) -> Q:
    """Rows the user sees beyond their region scope: their units' members (unit admin) and their own."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    q = scope_q(model, user, Capability.VIEW_FRONTLINE)
    units = organizations_for(user, Role.UNIT_ADMIN)
    if units:
        q |= Q(home_unit_id__in=units)
    person_id = getattr(user, "person_id", None)
    if person_id is not None:
        q |= Q(person_id=person_id)
    return q


def ledger_visibility_q(user: Any) -> Q:
    return _own_q(user, PointsEntry)


def _period(qs: QuerySet[M], column: str, date_from: dt.date | None, date_to: dt.date | None) -> QuerySet[M]:
    if date_from is not None:
        qs = qs.filter(**{f"{column}__gte": day_start(date_from)})
    if date_to is not None:
        qs = qs.filter(**{f"{column}__lt": day_start(date_to + dt.timedelta(days=1))})
    return qs


def _year(year: int | None) -> tuple[dt.date | None, dt.date | None]:
    return (dt.date(year, 1, 1), dt.date(year, 12, 31)) if year else (None, None)


def points_ledger(
    *,
    user: Any,
    person_id: int | None = None,
    unit_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[PointsEntry]:
    """Ledger lines the user may see, newest first, optionally for one person or home unit and a period."""
    qs: QuerySet[PointsEntry] = PointsEntry.objects.filter(ledger_visibility_q(user))
    if person_id:
        qs = qs.filter(person_id=person_id)
    if unit_id:
        qs = qs.filter(home_unit_id=unit_id)
    qs = _period(qs, "at", date_from, date_to)
    return qs.select_related("person", "home_unit", "community", "compound", "rule__rule_set").order_by("-at", "-id")


def _ranked(items: Sequence[T], key: Callable[[T], Any]) -> list[tuple[int, T]]:
    """Competition ranking (1, 2, 2, 4) of items already sorted best first."""
    ranked: list[tuple[int, T]] = []
    previous: Any = object()
    rank = 0
    for index, item in enumerate(items, start=1):
        value = key(item)
        if value != previous:
            rank, previous = index, value
        ranked.append((rank, item))
    return ranked


@dataclass(frozen=True)
class MemberRank:
    rank: int
    person_id: int
    name: str
    unit_id: int | None
    unit_name: str
    points: Decimal
    entries: int


def points_ranking_members(
    *,
    user: Any,
    community_id: int | None = None,
    unit_id: int | None = None,
    year: int | None = None,
    limit: int = 50,
) -> list[MemberRank]:
    """Members by points earned (in the user's view of the ledger), best first, with their rank."""
    qs: QuerySet[PointsEntry] = PointsEntry.objects.filter(ledger_visibility_q(user))
    if community_id:
        qs = qs.filter(community_id=community_id)
    if unit_id:
        qs = qs.filter(home_unit_id=unit_id)
    qs = _period(qs, "at", *_year(year))
    top = list(
        qs.values("person_id")
        .annotate(total=Sum("points"), entries=Count("id"))
        .order_by("-total", "person_id")[: max(int(limit), 0)]
    )
    people = {
        row["pk"]: row
        for row in Person.objects.filter(pk__in=[r["person_id"] for r in top]).values(
            "pk", "name", "party_membership__home_unit_id", "party_membership__home_unit__name"
        )
    }
    return [
        MemberRank(
            rank=rank,
            person_id=row["person_id"],
            name=people[row["person_id"]]["name"],
            unit_id=people[row["person_id"]]["party_membership__home_unit_id"],
            unit_name=people[row["person_id"]]["party_membership__home_unit__name"] or "",
            points=row["total"] or ZERO,
            entries=row["entries"],
        )
        for rank, row in _ranked(top, lambda r: r["total"])
    ]


@dataclass(frozen=True)
class UnitRank:
    rank: int
    unit_id: int
    unit_name: str
    members_reported: int
    points: Decimal
    index: Decimal  # 先锋指数: points per reported member


def points_ranking_units(*, user: Any, year: int | None = None) -> list[UnitRank]:
    """Units by the vanguard index: their members' points divided by the members with a confirmed report."""
    start, end = _year(year)
    entries = _period(PointsEntry.objects.filter(ledger_visibility_q(user), home_unit__isnull=False), "at", start, end)
    totals = {
        row["home_unit"]: row["total"] or ZERO
        for row in entries.values("home_unit").annotate(total=Sum("points")).order_by()
    }
    reports = MemberReport.objects.filter(
        _own_q(user, MemberReport), status=ReportStatus.CONFIRMED, home_unit__isnull=False
    )
    if end is not None:
        reports = reports.filter(decided_at__lt=day_start(end + dt.timedelta(days=1)))
    reported = {
        row["home_unit"]: row["members"]
        for row in reports.values("home_unit").annotate(members=Count("person", distinct=True)).order_by()
    }
    names = dict(Organization.objects.filter(pk__in=set(totals) | set(reported)).values_list("pk", "name"))
    rows = []
    for unit_id, name in names.items():
        points = totals.get(unit_id, ZERO)
        members = reported.get(unit_id, 0)
        index = (points / members).quantize(CENT) if members else ZERO
        rows.append((unit_id, name, members, points, index))
    rows.sort(key=lambda r: (-r[4], -r[3], r[1], r[0]))
    return [
        UnitRank(rank=rank, unit_id=r[0], unit_name=r[1], members_reported=r[2], points=r[3], index=r[4])
        for rank, r in _ranked(rows, lambda r: (r[4], r[3]))
    ]


@dataclass
class MemberServiceSummary:
    """What a member did in a period (the figures of the unit feedback report)."""

    posts: list[str] = field(default_factory=list)
    wishes_claimed: int = 0
    wishes_fulfilled: int = 0
    cases_fulfilled: int = 0
    shifts: int = 0
    hours: Decimal = ZERO
    activities: int = 0
    points: Decimal = ZERO


def member_service_summaries(
    *, persons: QuerySet[Any, Any] | Iterable[int], date_from: dt.date, date_to: dt.date
) -> dict[int, MemberServiceSummary]:
    """Summaries for many people at once (``persons``: their ids, or a query of ids): one query per figure."""
    ids = persons if isinstance(persons, QuerySet) else list(persons)
    found: defaultdict[int, MemberServiceSummary] = defaultdict(MemberServiceSummary)
    start, end = day_start(date_from), day_start(date_to + dt.timedelta(days=1))

    posts = MemberReport.objects.filter(person_id__in=ids, status__in=LIVE_REPORT_STATUSES, posts__isnull=False)
    for person_id, name in posts.values_list("person_id", "posts__name").order_by("person_id", "posts__order"):
        found[person_id].posts.append(name)

    claims = CaseClaim.objects.filter(
        claimer_person_id__in=ids, claimer_org__isnull=True, case__kind=CaseKind.MICRO_WISH
    ).filter(claimed_at__gte=start, claimed_at__lt=end)
    for claimed in claims.values("claimer_person_id").annotate(n=Count("case", distinct=True)).order_by():
        found[claimed["claimer_person_id"]].wishes_claimed = claimed["n"]

    deeds = Case.objects.filter(
        claimer_person_id__in=ids, claimer_org__isnull=True, deed_at__gte=start, deed_at__lt=end
    )
    by_kind = deeds.values("claimer_person_id").annotate(
        wishes=Count("id", filter=Q(kind=CaseKind.MICRO_WISH)), cases=Count("id", filter=Q(kind=CaseKind.DIFFICULTY))
    )
    for deed in by_kind.order_by():
        summary = found[deed["claimer_person_id"]]
        summary.wishes_fulfilled, summary.cases_fulfilled = deed["wishes"], deed["cases"]

    shifts = ShiftBooking.objects.filter(
        person_id__in=ids, status=BookingStatus.CHECKED_OUT, checked_out_at__gte=start, checked_out_at__lt=end
    )
    for shift in shifts.values("person_id").annotate(n=Count("id"), hours=Sum("hours")).order_by():
        summary = found[shift["person_id"]]
        summary.shifts = shift["n"]
        summary.hours += shift["hours"] or ZERO

    records = ServiceRecord.objects.filter(person_id__in=ids, served_on__gte=date_from, served_on__lte=date_to)
    for row in records.values("person_id").annotate(n=Count("id"), hours=Sum("hours")).order_by():
        summary = found[row["person_id"]]
        summary.activities = row["n"]
        summary.hours += row["hours"] or ZERO

    entries = PointsEntry.objects.filter(person_id__in=ids, at__gte=start, at__lt=end)
    for earned in entries.values("person_id").annotate(total=Sum("points")).order_by():
        found[earned["person_id"]].points = earned["total"] or ZERO
    return dict(found)


def member_service_summary(*, person: Person, date_from: dt.date, date_to: dt.date) -> MemberServiceSummary:
    """One member's posts and service in a period (dates inclusive)."""
    summaries = member_service_summaries(persons=[person.pk], date_from=date_from, date_to=date_to)
    return summaries.get(person.pk, MemberServiceSummary())


def points_total(*, person: Person) -> Decimal:
    """All the points a person has earned."""
    return PointsEntry.objects.filter(person_id=person.pk).aggregate(total=Sum("points"))["total"] or ZERO
