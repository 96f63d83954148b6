"""The cockpit page: the user's region by default, drill-down into parts that add up, other regions refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

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


def test_community_staff_drill_down_to_grids_and_never_see_beichen(figures_world: World) -> None:
    w = figures_world
    client = w.client("community_staff")
    page = client.get(reverse("cockpit:dashboard"), {"period": "this_year"})
    assert page.status_code == 200
    assert page.context["region"] == w.communities["dongyue"].region
    assert [p.name for p in page.context["parts"]] == ["东岳第一网格"]
    assert SIBLING_MARK not in page.content.decode()
    assert client.get(reverse("cockpit:dashboard"), {"region": w.communities["beichen"].region.pk}).status_code == 404
    assert client.get(reverse("cockpit:dashboard"), {"region": w.district.pk}).status_code == 404


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
