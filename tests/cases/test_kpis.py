"""The KPIs on a known set of cases, every figure asserted exactly (definitions: docs/kpis.md).

The "wish" SLA policy is set to 24 calendar hours to respond and 72 to resolve, so every deadline below is a
plain sum. Period: June 2026; the figures are taken at 2026-06-30 12:00.

    case  community category submitted  responded        fulfilled        rated                  served
    A     东岳       elderly  06-01 10:00 06-01 12:00 ok   06-02 10:00 ok   06-02 12:00 satisfied       3
    B     东岳       elderly  06-03 10:00 06-05 10:00 late 06-08 10:00 late 06-08 12:00 basic           2
    C     东岳       youth    06-10 10:00 06-10 11:00 ok   06-11 10:00      06-12 10:00 dissatisfied →  1
                                                           06-13 10:00 ok   (reopened, not rated again)
    D     北辰       elderly  06-05 10:00 06-05 10:30 ok   06-06 10:00 ok   06-06 12:00 satisfied       4
    E     北辰       elderly  06-20 10:00 never (pending; response due 06-21 10:00 passed → overdue)
    F     东岳       elderly  05-10 10:00 all in May (responded, fulfilled, rated satisfied)            5
    G     东岳       elderly  06-29 20:00 pending; response due 06-30 20:00, still ahead → not yet due
    H     东岳       elderly  06-15 10:00 withdrawn 06-15 11:00 before anyone responded → not due
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import override_settings

from grassroots.cases.enums import CaseStatus, Satisfaction
from grassroots.cases.kpis import KpiRow, kpi_rows, kpi_total, month_bounds, ranking
from grassroots.cases.models import Case
from grassroots.cases.services import case_accept, case_cancel, case_claim, case_fulfil, case_rate
from grassroots.catalogue.models import SlaPolicy
from tests.cases.factories import make_case
from tests.conftest import World

SH = ZoneInfo("Asia/Shanghai")
T = TypeVar("T")
NOW = dt.datetime(2026, 6, 30, 12, tzinfo=SH)
JUNE = month_bounds(2026, 6)


def at(m: int, d: int, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime(2026, m, d, hh, mm, tzinfo=SH)


def when(moment: dt.datetime, fn: Callable[..., T], **kwargs: Any) -> T:
    with time_machine.travel(moment, tick=False):
        return fn(**kwargs)


@dataclass
class Book:
    world: World
    cases: dict[str, Case]


def _through(
    w: World,
    *,
    community: str,
    category: str,
    submitted: dt.datetime,
    responded: dt.datetime,
    fulfilled: dt.datetime,
    rated: dt.datetime,
    satisfaction: str,
    served: int,
) -> Case:
    staff = w.users["community_staff" if community == "dongyue" else "sibling_staff"]
    case = when(submitted, make_case, world=w, community=community, category=category)
    case = when(responded, case_accept, case=case, actor=staff)
    if community == "dongyue":
        case = when(responded, case_claim, case=case, actor=w.users["party_member"])
    else:
        case = when(responded, case_claim, case=case, actor=staff, on_behalf_of=w.communities[community].organization)
    case = when(fulfilled, case_fulfil, case=case, actor=staff, note="办好了", residents_served=served)
    stars = {"satisfied": 5, "basic": 4, "dissatisfied": 1}[satisfaction]
    return when(rated, case_rate, case=case, actor=staff, stars=stars, satisfaction=satisfaction)


@pytest.fixture
def book(cases_world: World) -> Book:
    w = cases_world
    SlaPolicy.objects.filter(code="wish").update(hours_kind="calendar", response_hours=24, resolution_hours=72)
    c: dict[str, Case] = {}
    c["A"] = _through(
        w,
        community="dongyue",
        category="elderly",
        submitted=at(6, 1, 10),
        responded=at(6, 1, 12),
        fulfilled=at(6, 2, 10),
        rated=at(6, 2, 12),
        satisfaction=Satisfaction.SATISFIED,
        served=3,
    )
    c["B"] = _through(
        w,
        community="dongyue",
        category="elderly",
        submitted=at(6, 3, 10),
        responded=at(6, 5, 10),
        fulfilled=at(6, 8, 10),
        rated=at(6, 8, 12),
        satisfaction=Satisfaction.BASIC,
        served=2,
    )
    c["C"] = _through(
        w,
        community="dongyue",
        category="youth",
        submitted=at(6, 10, 10),
        responded=at(6, 10, 11),
        fulfilled=at(6, 11, 10),
        rated=at(6, 12, 10),
        satisfaction=Satisfaction.DISSATISFIED,
        served=1,
    )
    c["C"] = when(
        at(6, 13, 10), case_fulfil, case=c["C"], actor=w.users["party_member"], note="重新办好", residents_served=9
    )
    c["D"] = _through(
        w,
        community="beichen",
        category="elderly",
        submitted=at(6, 5, 10),
        responded=at(6, 5, 10, 30),
        fulfilled=at(6, 6, 10),
        rated=at(6, 6, 12),
        satisfaction=Satisfaction.SATISFIED,
        served=4,
    )
    c["E"] = when(at(6, 20, 10), make_case, world=w, community="beichen")
    c["F"] = _through(
        w,
        community="dongyue",
        category="elderly",
        submitted=at(5, 10, 10),
        responded=at(5, 10, 11),
        fulfilled=at(5, 11, 10),
        rated=at(5, 12, 10),
        satisfaction=Satisfaction.SATISFIED,
        served=5,
    )
    c["G"] = when(at(6, 29, 20), make_case, world=w)
    c["H"] = when(at(6, 15, 10), make_case, world=w)
    c["H"] = when(at(6, 15, 11), case_cancel, case=c["H"], actor=w.users["resident"], reason="不需要了")
    return Book(w, c)


def test_the_book_is_what_the_docstring_says(book: Book) -> None:
    c = book.cases
    assert [c[k].status for k in "ABCDEFGH"] == [
        CaseStatus.CLOSED,
        CaseStatus.CLOSED,
        CaseStatus.FULFILLED,
        CaseStatus.CLOSED,
        CaseStatus.PENDING,
        CaseStatus.CLOSED,
        CaseStatus.PENDING,
        CaseStatus.CANCELLED,
    ]
    assert c["B"].response_due == at(6, 4, 10) and c["B"].resolution_due == at(6, 6, 10)
    assert c["C"].resolution_due == at(6, 15, 10)  # a new allowance from the dissatisfied rating
    assert (c["C"].reopen_count, c["C"].deed_at, c["C"].residents_served) == (1, at(6, 11, 10), 1)
    assert c["G"].response_due == at(6, 30, 20)


def test_totals_for_june(book: Book) -> None:
    row = kpi_total(cases=Case.objects.all(), start=JUNE[0], end=JUNE[1], now=NOW)
    assert (row.response_due, row.responded_on_time, row.response_rate) == (5, 3, 60.0)
    assert (row.rated, row.resolved, row.resolution_rate) == (4, 3, 75.0)
    assert (row.satisfied, row.basic, row.satisfaction_rate) == (2, 1, 75.0)
    assert (row.fulfilled, row.fulfilled_on_time, row.on_time_rate) == (4, 3, 75.0)
    assert (row.submitted, row.reopened, row.overdue) == (7, 1, 1)
    assert (row.deeds, row.residents_served) == (4, 10)
    assert row.avg_response_minutes == (120 + 2880 + 60 + 30) / 4 == 772.5
    assert row.avg_resolution_minutes == (1440 + 7200 + 4320 + 1440) / 4 == 3600.0


def test_may_counts_only_case_f(book: Book) -> None:
    row = kpi_total(cases=Case.objects.all(), start=month_bounds(2026, 5)[0], end=month_bounds(2026, 5)[1], now=NOW)
    assert (row.response_due, row.responded_on_time, row.rated, row.satisfied, row.fulfilled) == (1, 1, 1, 1, 1)
    assert (row.submitted, row.deeds, row.residents_served, row.avg_response_minutes) == (1, 1, 5, 60.0)


@pytest.mark.parametrize(("weight", "satisfaction"), [(1, 75.0), (0.5, 62.5), (0, 50.0)])
def test_basic_satisfied_weight_changes_only_the_satisfaction_rate(
    book: Book, weight: float, satisfaction: float
) -> None:
    with override_settings(CASES_BASIC_SATISFIED_WEIGHT=weight):
        row = kpi_total(cases=Case.objects.all(), start=JUNE[0], end=JUNE[1], now=NOW)
        assert row.satisfaction_rate == satisfaction
        assert (row.response_rate, row.resolution_rate, row.on_time_rate) == (60.0, 75.0, 75.0)
        assert (row.rated, row.satisfied, row.basic) == (4, 2, 1)


COUNTS = (
    "response_due",
    "responded_on_time",
    "rated",
    "resolved",
    "satisfied",
    "basic",
    "fulfilled",
    "fulfilled_on_time",
    "submitted",
    "reopened",
    "overdue",
    "deeds",
    "residents_served",
)


@pytest.mark.parametrize("group_by", ["community", "grid", "category", "street", "kind", "claimer_org"])
def test_grouped_rows_sum_to_the_total(book: Book, group_by: str) -> None:
    rows = kpi_rows(cases=Case.objects.all(), start=JUNE[0], end=JUNE[1], group_by=group_by, now=NOW)
    total = kpi_total(cases=Case.objects.all(), start=JUNE[0], end=JUNE[1], now=NOW)
    summed = KpiRow()
    for row in rows:
        summed.add(row)
    assert {n: getattr(summed, n) for n in COUNTS} == {n: getattr(total, n) for n in COUNTS}
    assert summed.response_rate == total.response_rate and summed.satisfaction_rate == total.satisfaction_rate
    assert len({row.key for row in rows}) == len(rows)


def test_rates_are_ratios_of_sums_not_averages_of_rates(book: Book) -> None:
    w = book.world
    rows = {
        r.key: r for r in kpi_rows(cases=Case.objects.all(), start=JUNE[0], end=JUNE[1], group_by="community", now=NOW)
    }
    dy, bc = rows[w.communities["dongyue"].region.pk], rows[w.communities["beichen"].region.pk]
    assert (dy.response_due, dy.responded_on_time, dy.response_rate) == (3, 2, 66.7)
    assert (bc.response_due, bc.responded_on_time, bc.response_rate) == (2, 1, 50.0)
    assert (dy.rated, dy.satisfied, dy.basic, dy.satisfaction_rate) == (3, 1, 1, 66.7)
    assert (bc.rated, bc.satisfied, bc.satisfaction_rate) == (1, 1, 100.0)
    assert (dy.overdue, bc.overdue, dy.deeds, bc.deeds) == (0, 1, 3, 1)
    assert (dy.residents_served, bc.residents_served) == (6, 4)
    total = kpi_total(cases=Case.objects.all(), start=JUNE[0], end=JUNE[1], now=NOW)
    averaged = round(100 * (2 / 3 + 1 / 2) / 2, 1)
    assert (total.response_rate, averaged) == (60.0, 58.3)  # (2 + 1) / (3 + 2), not the mean of 2/3 and 1/2
    averaged = round(100 * (2 / 3 + 1 / 1) / 2, 1)
    assert (total.satisfaction_rate, averaged) == (75.0, 83.3)


def test_scoped_queryset_gives_the_community_figures(book: Book) -> None:
    """Callers pass cases already limited to the user's scope; the figures are those of that scope."""
    dy = book.world.communities["dongyue"].region
    row = kpi_total(cases=Case.objects.filter(community=dy), start=JUNE[0], end=JUNE[1], now=NOW)
    assert (row.response_due, row.responded_on_time, row.rated, row.deeds, row.overdue) == (3, 2, 3, 3, 0)


def test_grouped_by_category_and_ranking(book: Book) -> None:
    rows = kpi_rows(cases=Case.objects.all(), start=JUNE[0], end=JUNE[1], group_by="category", now=NOW)
    by_code = {Case.objects.filter(category_id=r.key).first().category.code: r for r in rows}  # type: ignore[union-attr]
    elderly, youth = by_code["elderly"], by_code["youth"]
    assert (elderly.rated, elderly.satisfied, elderly.basic, elderly.satisfaction_rate) == (3, 2, 1, 100.0)
    assert (youth.rated, youth.satisfied, youth.satisfaction_rate, youth.reopened) == (1, 0, 0.0, 1)
    assert [r.key for r in ranking(rows, by="satisfaction_rate")] == [elderly.key, youth.key]
    assert [r.key for r in ranking(rows, by="satisfaction_rate", minimum=2)] == [elderly.key, youth.key]


def test_empty_period_has_no_rates() -> None:
    row = KpiRow()
    assert (row.response_rate, row.resolution_rate, row.satisfaction_rate, row.on_time_rate) == (None,) * 4


def test_month_bounds_are_local_midnights() -> None:
    assert month_bounds(2026, 6) == (dt.datetime(2026, 6, 1, tzinfo=SH), dt.datetime(2026, 7, 1, tzinfo=SH))
    assert month_bounds(2026, 12) == (dt.datetime(2026, 12, 1, tzinfo=SH), dt.datetime(2027, 1, 1, tzinfo=SH))
