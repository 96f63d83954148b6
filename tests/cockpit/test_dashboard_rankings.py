"""The dashboard's rankings: loaded after the page (htmx) from their own endpoint, scoped like the dashboard, with
the figures of the roll-ups; the page itself reads only the roll-ups, in a fixed number of queries."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils.html import escape

from grassroots.cockpit.compute import metric_values
from tests.conftest import SIBLING_MARK, World

pytestmark = pytest.mark.usefixtures("midday")


def test_the_page_loads_the_rankings_afterwards_with_a_link_without_javascript(figures_world: World) -> None:
    client = figures_world.client("district_admin")
    page = client.get(reverse("cockpit:dashboard"), {"period": "this_year", "rank": "resolution_rate"})
    assert page.status_code == 200
    url = page.context["rankings_url"]
    assert url.startswith(reverse("cockpit:rankings") + "?") and "period=this_year" in url and "rank=resolution" in url
    body = page.content.decode()
    assert f'hx-get="{escape(url)}"' in body and 'hx-trigger="load"' in body
    assert f'<a href="{escape(url)}">' in body  # without JavaScript: the rankings' own page
    assert "rate_rows" not in page.context and "members" not in page.context


def test_the_district_s_communities_are_ranked_by_the_rates_of_the_roll_ups(figures_world: World) -> None:
    w = figures_world
    client = w.client("district_admin")
    query = {"period": "this_year", "rank": "satisfaction_rate"}
    partial = client.get(reverse("cockpit:rankings"), query, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    body = partial.content.decode()
    assert "<html" not in body and 'id="cockpit-rankings"' in body  # swapped in for the placeholder
    period = partial.context["period"]
    rows = partial.context["rate_rows"]
    by_name = {r.name: r for r in rows}
    for community in ("dongyue", "beichen", "jiangbin"):
        region = w.communities[community].region
        point = metric_values(
            user=w.users["district_admin"],
            key="satisfaction_rate",
            region=region,
            date_from=period.first,
            date_to=period.last,
        )[0]
        if point.denominator:
            assert by_name[region.name].satisfaction_rate.value == point.value
            assert by_name[region.name].satisfaction_rate.denominator == point.denominator
    assert by_name["东岳社区"].satisfaction_rate.value == Decimal("50.00")
    assert by_name["江滨社区"].satisfaction_rate.value == Decimal("100.00")
    rated = [r.satisfaction_rate.value for r in rows if r.satisfaction_rate.value is not None]
    assert rated == sorted(rated, reverse=True)  # best first
    # from the dashboard the other orders go back to the dashboard; on its own page they stay there
    assert f'href="{escape(reverse("cockpit:dashboard"))}?' in body
    page = client.get(reverse("cockpit:rankings"), query)
    assert page.status_code == 200 and "<html" in page.content.decode()
    assert f'href="{escape(reverse("cockpit:rankings"))}?' in page.content.decode()


def test_beichen_staff_get_404_for_dongyue_s_rankings(figures_world: World) -> None:
    w = figures_world
    dy, bc = w.communities["dongyue"], w.communities["beichen"]
    client = w.client("sibling_staff")
    for params in (
        {"region": dy.region.pk},
        {"region": dy.compound.pk},
        {"grid": dy.grid.pk},
        {"region": w.district.pk},
    ):
        assert client.get(reverse("cockpit:rankings"), params, HTTP_HX_REQUEST="true").status_code == 404, params
        assert client.get(reverse("cockpit:rankings"), params).status_code == 404, params
    own = client.get(reverse("cockpit:rankings"), {"region": bc.region.pk, "period": "this_year"})
    assert own.status_code == 200 and "东岳" not in own.content.decode()
    mine = w.client("community_staff").get(reverse("cockpit:rankings"), {"period": "this_year"})
    assert mine.status_code == 200 and SIBLING_MARK not in mine.content.decode()


@pytest.mark.parametrize("persona", ["resident", "party_member", "department_staff"])
def test_people_without_figures_get_403_for_the_rankings(figures_world: World, persona: str) -> None:
    assert figures_world.client(persona).get(reverse("cockpit:rankings")).status_code == 403


def test_the_page_and_the_rankings_cost_a_fixed_few_queries(
    figures_world: World, django_assert_max_num_queries: Any
) -> None:
    client = figures_world.client("district_admin")
    client.get(reverse("cockpit:dashboard"))  # warm the session
    with django_assert_max_num_queries(16):
        assert client.get(reverse("cockpit:dashboard"), {"period": "this_year"}).status_code == 200
    with django_assert_max_num_queries(15):
        partial = client.get(reverse("cockpit:rankings"), {"period": "this_year"}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and partial.context["rate_rows"]
