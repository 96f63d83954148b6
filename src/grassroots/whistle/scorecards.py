"""Department scorecards: how the called departments answered whistles (the "吹哨报到" ranking).

Every figure counts calls the user may see (their ``view_whistles`` scope, plus a department's own calls for
its staff), called in the period, not cancelled. Each is one aggregate query grouped by department (and month):
no loop over departments.

Rates are fractions from 0 to 1; a rate whose denominator is 0 is 0:

* ``on_time_rate`` = reported on site on time / received
* ``handled_rate`` = fed back by the handling deadline / received
* ``satisfaction_rate`` = (satisfied + basically satisfied) / rated

The score (0–100, one decimal) weighs them 40 / 30 / 30::

    score = 40 × on_time_rate + 30 × handled_rate + 30 × satisfaction_rate

Rank 1 is the highest score; equal scores are ordered by department name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from grassroots.cases.enums import Satisfaction
from grassroots.organizations.models import Organization
from grassroots.whistle.enums import CallStatus
from grassroots.whistle.models import WhistleCall

REPORT_WEIGHT = 40
HANDLE_WEIGHT = 30
SATISFACTION_WEIGHT = 30


@dataclass(frozen=True)
class ScoreRow:
    department_id: int
    department_name: str
    received: int
    reported: int
    reported_on_time: int
    fed_back: int
    handled_on_time: int
    rated: int
    satisfied: int
    basic: int
    dissatisfied: int
    on_time_rate: float
    handled_rate: float
    satisfaction_rate: float
    score: float
    rank: int
    month: dt.date | None = None  # the month counted (``department_scorecard``; None: the month asked for)


COUNTS: dict[str, Any] = {
    "received": Count("pk"),
    "reported": Count("pk", filter=Q(reported_at__isnull=False)),
    "reported_on_time": Count("pk", filter=Q(reported_on_time=True)),
    "fed_back": Count("pk", filter=Q(fed_back_at__isnull=False)),
    "handled_on_time": Count("pk", filter=Q(handled_on_time=True)),
    "rated": Count("pk", filter=~Q(rating="")),
    "satisfied": Count("pk", filter=Q(rating=Satisfaction.SATISFIED)),
    "basic": Count("pk", filter=Q(rating=Satisfaction.BASIC)),
    "dissatisfied": Count("pk", filter=Q(rating=Satisfaction.DISSATISFIED)),
}


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def score_row(
    *, department_id: int, department_name: str, counts: Mapping[str, Any], rank: int = 0, month: dt.date | None = None
) -> ScoreRow:
    """Build a row from the counts (missing counts are 0) and compute its rates and score."""
    c = {name: int(counts.get(name) or 0) for name in COUNTS}
    on_time = _ratio(c["reported_on_time"], c["received"])
    handled = _ratio(c["handled_on_time"], c["received"])
    satisfaction = _ratio(c["satisfied"] + c["basic"], c["rated"])
    score = round(REPORT_WEIGHT * on_time + HANDLE_WEIGHT * handled + SATISFACTION_WEIGHT * satisfaction, 1)
    return ScoreRow(
        department_id=department_id,
        department_name=department_name,
        received=c["received"],
        reported=c["reported"],
        reported_on_time=c["reported_on_time"],
        fed_back=c["fed_back"],
        handled_on_time=c["handled_on_time"],
        rated=c["rated"],
        satisfied=c["satisfied"],
        basic=c["basic"],
        dissatisfied=c["dissatisfied"],
        on_time_rate=on_time,
        handled_rate=handled,
        satisfaction_rate=satisfaction,
        score=score,
        rank=rank,
        month=month,
    )


def ranked(rows: list[ScoreRow]) -> list[ScoreRow]:
    """Sort by score (highest first), then department name, and number the ranks from 1."""
    ordered = sorted(rows, key=lambda r: (-r.score, r.department_name, r.department_id))
    return [replace(r, rank=i) for i, r in enumerate(ordered, start=1)]


def visible_calls(user: Any) -> QuerySet[WhistleCall]:
    """Calls counted for ``user``: in scope or to their departments, never cancelled ones."""
    from grassroots.whistle.selectors import call_visibility_q

    return WhistleCall.objects.filter(call_visibility_q(user)).exclude(status=CallStatus.CANCELLED)


def _month_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, 1))


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def department_scorecards(*, user: Any, month: dt.date) -> list[ScoreRow]:
    """One row per department called in ``month`` (local time), ranked."""
    start = _month_start(month)
    end = _month_start(_add_months(month, 1))
    rows = (
        visible_calls(user)
        .filter(called_at__gte=start, called_at__lt=end)
        .values("department_id", "department__name")
        .annotate(**COUNTS)
        .order_by()
    )
    return ranked(
        [score_row(department_id=r["department_id"], department_name=r["department__name"], counts=r) for r in rows]
    )


def department_scorecard(
    *, user: Any, department_id: int, months: int = 12, today: dt.date | None = None
) -> list[ScoreRow]:
    """One row per month (oldest first, ending with the current month) for one department, with its rank among
    the departments the user may see that month (0 in a month it was not called).

    ``Organization.DoesNotExist`` for an unknown department.
    """
    name = Organization.objects.values_list("name", flat=True).get(pk=department_id)
    months = max(1, min(int(months), 120))
    today = today or timezone.localdate()
    first = _add_months(today, -(months - 1))
    wanted = [_add_months(first, i) for i in range(months)]
    rows = (
        visible_calls(user)
        .filter(called_at__gte=_month_start(first), called_at__lt=_month_start(_add_months(today, 1)))
        .annotate(month=TruncMonth("called_at"))
        .values("month", "department_id", "department__name")
        .annotate(**COUNTS)
        .order_by()
    )
    by_month: dict[dt.date, list[ScoreRow]] = {}
    for r in rows:
        when = r["month"]
        day = timezone.localtime(when).date() if isinstance(when, dt.datetime) else when
        by_month.setdefault(day, []).append(
            score_row(department_id=r["department_id"], department_name=r["department__name"], counts=r)
        )
    result: list[ScoreRow] = []
    for day in wanted:
        mine = next((r for r in ranked(by_month.get(day, [])) if r.department_id == department_id), None)
        if mine is None:
            result.append(score_row(department_id=department_id, department_name=name, counts={}, month=day))
        else:
            result.append(replace(mine, department_name=name, month=day))
    return result
