"""Department scorecards: exact figures for a handful of calls (a late report, a dissatisfied rating), the
score formula, ranks, what each user may count, and one aggregate query."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grassroots.accounts.models import User
from grassroots.organizations.models import Organization
from grassroots.whistle.selectors import ScoreRow, department_scorecard, department_scorecards
from grassroots.whistle.services import call_rate, whistle_cancel
from tests.conftest import World
from tests.whistle.conftest import answer, at, call_of, make_whistle

MARCH = dt.date(2026, 3, 1)
T = at(2026, 3, 2, 9)


@pytest.fixture
def scored(whistle_world: World) -> World:
    """March 2026 in 东岳社区:

    * 区城市管理局: three calls — on time and satisfied; late on both deadlines and dissatisfied; never came;
    * 区住房和城乡建设局: one call — on time, basically satisfied.

    Outside the figures: a call to 区城市管理局 in February, a cancelled whistle in March, and a 北辰 whistle
    that only the street and the district count.
    """
    w = whistle_world
    staff = w.users["community_staff"]
    h = dt.timedelta(hours=1)
    good = make_whistle(w, departments=("department", "other_department"), handle_hours=48, now=T)
    answer(w, call_of(good), reported_at=T + 2 * h, fed_back_at=T + 40 * h)
    call_rate(call=call_of(good), actor=staff, rating="satisfied", now=T + 41 * h)
    answer(w, call_of(good, "other_department"), reported_at=T + 3 * h, fed_back_at=T + 47 * h)
    call_rate(call=call_of(good, "other_department"), actor=staff, rating="basic", reason="稍慢", now=T + 48 * h)

    late = make_whistle(w, handle_hours=48, now=T + 100 * h)
    answer(w, call_of(late), reported_at=T + 125 * h, fed_back_at=T + 149 * h)  # 25 h and 49 h after
    call_rate(call=call_of(late), actor=staff, rating="dissatisfied", reason="拖延", now=T + 150 * h)

    make_whistle(w, now=T + 200 * h)  # 区城市管理局 never came

    cancelled = make_whistle(w, departments=("other_department",), now=T + 210 * h)
    whistle_cancel(whistle=cancelled, actor=staff, reason="误报", now=T + 211 * h)
    make_whistle(w, now=at(2026, 2, 27, 9))
    make_whistle(w, actor="sibling_staff", region="beichen", departments=("other_department",), now=T)
    return w


def fresh(world: World, persona: str) -> User:
    """The persona's user without cached anchors (so query counts include reading them)."""
    return User.objects.get(pk=world.users[persona].pk)


def test_figures_rates_score_and_rank_are_exact(scored: World) -> None:
    w = scored
    rows = department_scorecards(user=fresh(w, "community_staff"), month=MARCH)
    assert [(r.department_name, r.rank) for r in rows] == [("区住房和城乡建设局", 1), ("区城市管理局", 2)]
    housing, city = rows
    assert housing == ScoreRow(
        department_id=w.duty.other_department.pk,
        department_name="区住房和城乡建设局",
        received=1,
        reported=1,
        reported_on_time=1,
        fed_back=1,
        handled_on_time=1,
        rated=1,
        satisfied=0,
        basic=1,
        dissatisfied=0,
        on_time_rate=1.0,
        handled_rate=1.0,
        satisfaction_rate=1.0,
        score=100.0,
        rank=1,
    )
    assert (
        city.received,
        city.reported,
        city.reported_on_time,
        city.fed_back,
        city.handled_on_time,
        city.rated,
        city.satisfied,
        city.basic,
        city.dissatisfied,
    ) == (3, 2, 1, 2, 1, 2, 1, 0, 1)
    assert city.on_time_rate == pytest.approx(1 / 3)
    assert city.handled_rate == pytest.approx(1 / 3)
    assert city.satisfaction_rate == pytest.approx(1 / 2)
    # 40 × 1/3 + 30 × 1/3 + 30 × 1/2 = 38.33…
    assert city.score == 38.3


def test_the_street_counts_its_other_communities_too(scored: World) -> None:
    rows = department_scorecards(user=fresh(scored, "street_staff"), month=MARCH)
    housing = next(r for r in rows if r.department_name == "区住房和城乡建设局")
    assert housing.received == 2  # 东岳 and 北辰
    assert department_scorecards(user=fresh(scored, "district_admin"), month=MARCH) == rows


def test_a_department_sees_only_its_own_row_and_a_sibling_community_nothing_of_dongyue(scored: World) -> None:
    w = scored
    own = department_scorecards(user=fresh(w, "department_staff"), month=MARCH)
    assert [(r.department_name, r.received, r.rank) for r in own] == [("区城市管理局", 3, 1)]
    other = department_scorecards(user=fresh(w, "other_department_staff"), month=MARCH)
    assert [(r.department_name, r.received) for r in other] == [
        ("区住房和城乡建设局", 2)
    ]  # 东岳 and 北辰 both called it
    sibling = department_scorecards(user=fresh(w, "sibling_staff"), month=MARCH)
    assert [(r.department_name, r.received) for r in sibling] == [("区住房和城乡建设局", 1)]  # only 北辰's own whistle
    for persona in ("resident", "party_member", "unit_admin", "grid_worker"):
        assert department_scorecards(user=fresh(w, persona), month=MARCH) == []


def test_other_months_are_counted_apart(scored: World) -> None:
    feb = department_scorecards(user=fresh(scored, "community_staff"), month=dt.date(2026, 2, 1))
    assert [(r.department_name, r.received, r.reported, r.score) for r in feb] == [("区城市管理局", 1, 0, 0.0)]
    assert department_scorecards(user=fresh(scored, "community_staff"), month=dt.date(2026, 4, 1)) == []


def test_one_aggregate_query_whatever_the_number_of_departments(scored: World) -> None:
    w = scored
    for persona, departments in (("community_staff", 2), ("department_staff", 1), ("district_admin", 2)):
        user = fresh(w, persona)
        with CaptureQueriesContext(connection) as ctx:
            rows = department_scorecards(user=user, month=MARCH)
        assert len(rows) == departments
        # the user's anchors, the user's organisations, one aggregate
        assert len(ctx.captured_queries) == 3, [q["sql"] for q in ctx.captured_queries]


def test_month_by_month_for_one_department(scored: World) -> None:
    w = scored
    rows = department_scorecard(
        user=fresh(w, "community_staff"), department_id=w.duty.department.pk, months=3, today=dt.date(2026, 4, 15)
    )
    assert [r.month for r in rows] == [dt.date(2026, 2, 1), dt.date(2026, 3, 1), dt.date(2026, 4, 1)]
    assert [(r.received, r.rank) for r in rows] == [(1, 1), (3, 2), (0, 0)]
    assert rows[1].score == 38.3
    assert {r.department_name for r in rows} == {"区城市管理局"}

    sibling = department_scorecard(
        user=fresh(w, "sibling_staff"), department_id=w.duty.department.pk, months=3, today=dt.date(2026, 4, 15)
    )
    assert [(r.received, r.score, r.rank) for r in sibling] == [(0, 0.0, 0)] * 3
    with pytest.raises(Organization.DoesNotExist):
        department_scorecard(user=fresh(w, "community_staff"), department_id=999999)


def test_month_by_month_counts_across_the_year_boundary(whistle_world: World) -> None:
    w = whistle_world
    make_whistle(w, now=at(2025, 12, 31, 23, 30))  # local time: still December
    make_whistle(w, now=at(2026, 1, 1, 0, 30))
    rows = department_scorecard(
        user=fresh(w, "community_staff"), department_id=w.duty.department.pk, months=2, today=dt.date(2026, 1, 20)
    )
    assert [(r.month, r.received) for r in rows] == [(dt.date(2025, 12, 1), 1), (dt.date(2026, 1, 1), 1)]
