"""The dashboard's rankings: communities (or grids) by the three rates, departments by whistle performance, party
members by points. The satisfaction and resolution rates come from the roll-ups; the response rate, which has no
roll-up, from the 12345 figures of ``grassroots.cases.kpis``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from grassroots.accounts.enums import Capability
from grassroots.cases.kpis import kpi_rows
from grassroots.cases.models import Case
from grassroots.cockpit.compute import Place, Point, level_of, metric_series
from grassroots.cockpit.views.periods import Period
from grassroots.cockpit.views.places import dashboard_url, visible_regions
from grassroots.core.errors import ApplicationError
from grassroots.frontline.selectors.points import MemberRank, points_ranking_members
from grassroots.territory.models import Grid, Region
from grassroots.whistle.scorecards import ScoreRow, department_scorecards

RANK_BY = ("satisfaction_rate", "resolution_rate", "response_rate")
TOP = 10


@dataclass
class Rate:
    value: Decimal | None  # None: nothing to divide by
    numerator: Decimal
    denominator: Decimal


@dataclass
class RateRow:
    pk: int
    name: str
    url: str
    satisfaction_rate: Rate
    resolution_rate: Rate
    response_rate: Rate

    @property
    def rates(self) -> list[Rate]:
        return [self.satisfaction_rate, self.resolution_rate, self.response_rate]


def _rate(point: Point | None) -> Rate:
    if point is None or not point.denominator:
        return Rate(None, Decimal(point.numerator or 0) if point else Decimal(0), Decimal(0))
    return Rate(point.value, point.numerator or Decimal(0), point.denominator)


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def rate_rows(user: Any, place: Place, period: Period, keep: dict[str, Any]) -> tuple[str, list[RateRow]]:
    """The communities (of a district or street) or the grids (of a community or compound) by the three rates.

    Returns the ranked level and the rows. The satisfaction and resolution rates are one roll-up query; the
    response rate one GROUP BY over the place's cases. The caller checked the place is the user's."""
    level = level_of(place)
    if level == "grid":
        return "grid", []
    unit = "community" if level in ("district", "street") else "grid"
    group: Any = "region" if unit == "community" else "grid"
    try:
        found = metric_series(
            keys=["satisfaction_rate", "resolution_rate"],
            place=place,
            date_from=period.first,
            date_to=period.last,
            group_by=group,
            parts="community" if level == "district" else None,
        )
    except ApplicationError:
        return unit, []
    rates: dict[str, dict[int, Point]] = {
        key: {int(p.key): p for p in found.get(key, [])} for key in ("satisfaction_rate", "resolution_rate")
    }
    cases = Case.objects.visible_to(user, Capability.VIEW_KPIS)
    if isinstance(place, Region):
        cases = cases.filter(**{f"{place.kind}_id": place.pk})
    kpis = {
        row.key: row
        for row in kpi_rows(
            cases=cases,
            start=_aware(period.first),
            end=_aware(period.last + dt.timedelta(days=1)),
            group_by=unit,
        )
        if row.key is not None
    }
    ids = set(rates["satisfaction_rate"]) | set(rates["resolution_rate"]) | {int(k) for k in kpis}
    if unit == "community":
        names: dict[int, Any] = visible_regions(user).filter(kind="community").in_bulk(list(ids))
    else:
        from grassroots.cockpit.views.places import grids_in

        names = grids_in(user, place).in_bulk(list(ids))
    rows = []
    for pk, part in names.items():
        kpi = kpis.get(pk)
        response = Rate(None, Decimal(0), Decimal(0))
        if kpi is not None and kpi.response_due:
            value = Decimal(kpi.responded_on_time * 100) / Decimal(kpi.response_due)
            response = Rate(value.quantize(Decimal("0.01")), Decimal(kpi.responded_on_time), Decimal(kpi.response_due))
        rows.append(
            RateRow(
                pk,
                part.name,
                dashboard_url(part, **keep),
                _rate(rates["satisfaction_rate"].get(pk)),
                _rate(rates["resolution_rate"].get(pk)),
                response,
            )
        )
    return unit, rows


def ranked(rows: list[RateRow], by: str) -> list[RateRow]:
    """Best first by the chosen rate; places with nothing to divide go last."""
    if by not in RANK_BY:
        by = RANK_BY[0]

    def key(row: RateRow) -> tuple[int, Decimal, Decimal, str]:
        rate: Rate = getattr(row, by)
        return (0 if rate.value is not None else 1, -(rate.value or Decimal(0)), -rate.denominator, row.name)

    return sorted(rows, key=key)


def department_rows(user: Any, period: Period) -> list[ScoreRow]:
    """Departments by their whistle scorecard for the month the period ends in (top ten)."""
    return department_scorecards(user=user, month=period.last.replace(day=1))[:TOP]


def member_rows(user: Any, place: Place, period: Period) -> list[MemberRank]:
    """Party members by the points they earned in the year the period ends in (top ten, in the user's view)."""
    community = place.community_id if isinstance(place, Grid) or place.kind in ("community", "compound") else None
    return points_ranking_members(user=user, community_id=community, year=period.last.year, limit=TOP)
