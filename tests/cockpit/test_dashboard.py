"""The cockpit page: the user's region by default, drill-down into parts that add up, other regions refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from grassroots.cockpit.compute import metric_values
from grassroots.cockpit.views import period_bounds
from tests.conftest import SIBLING_MARK, World

pytestmark = pytest.mark.usefixtures("midday")


def test_street_staff_see_their_street_and_its_communities_adding_up(figures_world: World) -> None:
    w = figures_world
    response = w.client("street_staff").get(reverse("cockpit:dashboard"), {"metric": "residents_served"})
    assert response.status_code == 200
    assert response.context["region"] == w.streets["mingshan"]
    parts = {p.name: p.value for p in response.context["parts"]}
    first, last = response.context["first"], response.context["last"]
    expected = {}
    for community in (w.communities["dongyue"].region, w.communities["beichen"].region):
        value = metric_values(
            user=w.users["street_staff"], key="residents_served", region=community, date_from=first, date_to=last
        )[0].value
        if value:
            expected[community.name] = value
    assert parts == expected and parts["东岳社区"] == Decimal(5)
    cards = {c.metric.key: c for c in response.context["cards"]}
    assert cards["residents_served"].value == sum(parts.values())
    assert cards["grids"].value == 2 and cards["grids"].change is None


def _adds_up(page: Any) -> None:
    """The parts and the remainder ("not in any …") add up to the place's own figure."""
    breakdown = page.context["breakdown"]
    assert breakdown.parts_total + (breakdown.remainder or 0) == breakdown.total


def test_community_staff_drill_down_to_compounds_and_grids_and_never_see_beichen(figures_world: World) -> None:
    w = figures_world
    dy = w.communities["dongyue"]
    client = w.client("community_staff")
    page = client.get(reverse("cockpit:dashboard"), {"period": "this_year"})
    assert page.status_code == 200
    assert page.context["region"] == dy.region
    assert [p.name for p in page.context["parts"]] == ["东岳花园"]
    _adds_up(page)
    assert SIBLING_MARK not in page.content.decode()
    # the switcher offers the compound and the community's grids
    assert {c.label for c in page.context["switcher"]} == {"东岳花园", "东岳第一网格"}
    compound = client.get(reverse("cockpit:dashboard"), {"region": dy.compound.pk, "period": "this_year"})
    assert compound.status_code == 200
    assert [p.name for p in compound.context["parts"]] == ["东岳第一网格"]
    assert compound.context["child_level"] == "grid"
    _adds_up(compound)
    grid = client.get(reverse("cockpit:dashboard"), {"grid": dy.grid.pk, "period": "this_year"})
    assert grid.status_code == 200 and grid.context["breakdown"] is None
    cards = {c.metric.key: c for c in grid.context["cards"]}
    assert cards["deeds_done"].value == compound.context["breakdown"].parts[0].value == 2
    assert cards["units_reported"].value is None  # not counted for a grid: shown as "—"
    assert [r.name for r in grid.context["trail"]] == ["东岳社区", "东岳第一网格"]
    bc = w.communities["beichen"]
    for params in (
        {"region": bc.region.pk},
        {"region": bc.compound.pk},
        {"grid": bc.grid.pk},
        {"region": w.district.pk},
    ):
        assert client.get(reverse("cockpit:dashboard"), params).status_code == 404, params


def test_every_part_of_the_street_adds_up(figures_world: World) -> None:
    w = figures_world
    client = w.client("street_staff")
    for key in ("deeds_done", "residents_served", "cases_submitted"):
        page = client.get(reverse("cockpit:dashboard"), {"metric": key, "period": "this_year"})
        assert page.context["breakdown"].total == sum(p.value for p in page.context["parts"]) > 0
        _adds_up(page)
        body = page.content.decode()
        assert "南江街道" not in body and "江滨社区" not in body


def test_the_district_admin_sees_every_street(figures_world: World) -> None:
    w = figures_world
    page = w.client("district_admin").get(reverse("cockpit:dashboard"), {"period": "this_year"})
    assert page.context["region"] == w.district
    cards = {c.metric.key: c for c in page.context["cards"]}
    assert cards["deeds_done"].numerator is None
    assert {p.name for p in page.context["parts"]} <= {"名山街道", "南江街道"}


@pytest.mark.parametrize("persona", ["resident", "party_member", "department_staff"])
def test_people_without_figures_get_403(figures_world: World, persona: str) -> None:
    assert figures_world.client(persona).get(reverse("cockpit:dashboard")).status_code == 403


def test_periods_compare_like_with_like() -> None:
    day = dt.date(2026, 11, 27)
    assert period_bounds("this_month", day) == (
        dt.date(2026, 11, 1),
        day,
        dt.date(2026, 10, 1),
        dt.date(2026, 10, 27),
    )
    assert period_bounds("last_month", day) == (
        dt.date(2026, 10, 1),
        dt.date(2026, 10, 31),
        dt.date(2026, 9, 1),
        dt.date(2026, 9, 30),
    )
    assert period_bounds("this_quarter", day)[:3] == (dt.date(2026, 10, 1), day, dt.date(2026, 7, 1))
    assert period_bounds("this_year", dt.date(2026, 1, 5)) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 1, 5),
        dt.date(2025, 1, 1),
        dt.date(2025, 1, 5),
    )
    # March 31st: the month before has no 31st; the comparison stops at its end.
    assert period_bounds("this_month", dt.date(2026, 3, 31))[2:] == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"from": "2026-05-01", "to": "2026-04-30"}, "date_to", "The period ends before it starts."),
        ({"from": "2010-01-01", "to": "2026-01-01"}, "date_to", "Choose a period of ten years at most."),
        ({"period": "custom", "from": "2026-05-01"}, "date_from", "Enter both dates of a custom range."),
    ],
)
def test_a_wrong_custom_period_is_explained_and_this_month_shown(
    figures_world: World, query: dict[str, str], field: str, message: str
) -> None:
    from django.utils.translation import gettext

    page = figures_world.client("district_admin").get(reverse("cockpit:dashboard"), query)
    assert page.status_code == 200
    assert page.context["period_form"].errors[field] == [gettext(message)]
    assert page.context["period"].code == "this_month"
    assert 'role="alert"' in page.content.decode()


def test_a_custom_period_is_compared_with_the_same_length_before(figures_world: World) -> None:
    page = figures_world.client("district_admin").get(
        reverse("cockpit:dashboard"), {"from": "2026-03-01", "to": "2026-03-10"}
    )
    period = page.context["period"]
    assert (period.first, period.last, period.before_first, period.before_last) == (
        dt.date(2026, 3, 1),
        dt.date(2026, 3, 10),
        dt.date(2026, 2, 19),
        dt.date(2026, 2, 28),
    )


def test_the_district_dashboard_costs_the_same_queries_whatever_the_records(
    figures_world: World, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.cockpit.conftest import _done

    w = figures_world
    client = w.client("district_admin")
    client.get(reverse("cockpit:dashboard"))  # warm the session and caches
    with CaptureQueriesContext(connection) as before:
        assert client.get(reverse("cockpit:dashboard"), {"period": "this_year"}).status_code == 200
    for community in ("dongyue", "beichen", "jiangbin", "nanguan"):
        for days_ago in (0, 35, 70):
            _done(w, community, served=2, rating="satisfied", days_ago=days_ago)
    with django_assert_max_num_queries(len(before.captured_queries)):
        page = client.get(reverse("cockpit:dashboard"), {"period": "this_year"})
    assert len(before.captured_queries) <= 15  # one or two roll-up queries a section; the rankings come later
    cards = {c.metric.key: c for c in page.context["cards"]}
    assert cards["deeds_done"].value >= 12
