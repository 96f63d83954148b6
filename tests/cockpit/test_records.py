"""The records behind a figure: as many as the card says (or adding up to it), scoped, exportable."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import World

pytestmark = pytest.mark.usefixtures("midday")


def _cards(client: Client, **params: Any) -> dict[str, Any]:
    page = client.get(reverse("cockpit:dashboard"), {"period": "this_year", **params})
    assert page.status_code == 200
    return {c.metric.key: c for c in page.context["cards"]}


def _follow(client: Client, url: str) -> Any:
    page = client.get(url)
    assert page.status_code == 200, url
    return page


@pytest.mark.parametrize("persona", ["district_admin", "street_staff", "community_staff"])
def test_each_card_links_to_as_many_records_as_it_says(figures_world: World, persona: str) -> None:
    client = figures_world.client(persona)
    cards = _cards(client)
    for key in ("deeds_done", "cases_submitted", "micro_wishes_fulfilled", "cases_rated", "cases_satisfied"):
        page = _follow(client, cards[key].url)
        assert page.context["page_obj"].paginator.count == cards[key].value, key
        assert page.context["figure"].value == cards[key].value
        assert page.context["hidden"] == 0
    served = _follow(client, cards["residents_served"].url)  # a sum: its records add up to the figure
    assert served.context["check"]["sum"] == cards["residents_served"].value > 0
    # a rate: its numerator's and denominator's lists
    rate = cards["satisfaction_rate"]
    assert _follow(client, rate.numerator_url).context["page_obj"].paginator.count == rate.numerator
    assert _follow(client, rate.denominator_url).context["page_obj"].paginator.count == rate.denominator
    page = _follow(client, rate.url)
    assert [part.key for part, _url in page.context["rate_parts"]] == ["cases_satisfied", "cases_rated"]


def test_a_distribution_slice_links_to_its_records(figures_world: World) -> None:
    client = figures_world.client("district_admin")
    page = client.get(reverse("cockpit:dashboard"), {"period": "this_year"})
    deeds = next(d for d in page.context["distributions"] if d.metric.key == "deeds_done")
    assert deeds.shares
    for share in deeds.shares:
        records = _follow(client, share.url)
        assert parse_qs(urlparse(share.url).query)["dimension"] == [share.key]
        assert records.context["page_obj"].paginator.count == share.value
        assert records.context["dimension_label"] == share.label


def test_a_part_of_the_breakdown_links_to_its_records(figures_world: World) -> None:
    client = figures_world.client("street_staff")
    page = client.get(reverse("cockpit:dashboard"), {"period": "this_year", "metric": "deeds_done"})
    for part in page.context["parts"]:
        records = _follow(client, part.records)
        assert records.context["page_obj"].paginator.count == part.value
        places = {line["cells"][2] for line in records.context["lines"]}
        assert places and all(name.startswith(part.name) for name in places)


def test_the_grid_s_records(figures_world: World) -> None:
    w = figures_world
    client = w.client("community_staff")
    cards = _cards(client, grid=w.communities["dongyue"].grid.pk)
    page = _follow(client, cards["deeds_done"].url)
    assert page.context["page_obj"].paginator.count == cards["deeds_done"].value == 2
    line = page.context["lines"][0]
    assert line["url"].startswith("/") and "东岳社区 · 东岳第一网格" in line["cells"]


def test_stocks_and_distinct_figures(figures_world: World) -> None:
    client = figures_world.client("street_staff")
    cards = _cards(client)
    grids = _follow(client, cards["grids"].url)
    assert grids.context["page_obj"].paginator.count == cards["grids"].value == 2
    workers = _follow(client, cards["grid_workers"].url)  # distinct people: the distinct count is the figure
    assert workers.context["check"]["distinct"] == cards["grid_workers"].value


def test_beichen_staff_may_not_see_dongyue_s_records(figures_world: World) -> None:
    w = figures_world
    client = w.client("sibling_staff")
    dy = w.communities["dongyue"]
    url = reverse("cockpit:records", args=["deeds_done"])
    for params in ({"region": dy.region.pk}, {"grid": dy.grid.pk}, {"region": w.streets["mingshan"].pk}):
        assert client.get(url, {**params, "period": "this_year"}).status_code == 404, params
        assert client.get(url, {**params, "export": "xlsx"}).status_code == 404, params
    own = _follow(client, f"{url}?period=this_year")
    assert own.context["place"] == w.communities["beichen"].region
    assert "东岳" not in own.content.decode()
    assert client.get(reverse("cockpit:records", args=["no_such_figure"])).status_code == 404
    assert w.client("resident").get(url).status_code == 403


def test_the_list_exports_to_excel(figures_world: World) -> None:
    client = figures_world.client("district_admin")
    cards = _cards(client)
    response = client.get(cards["deeds_done"].url + "&export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) - 1 == cards["deeds_done"].value == 4
    assert all(r[2] for r in rows[1:])  # the region of each row
    assert not any("1390000" in str(cell) for r in rows for cell in r)


def test_records_of_a_figure_not_counted_there(figures_world: World) -> None:
    client = figures_world.client("community_staff")
    grid = figures_world.communities["dongyue"].grid
    page = _follow(client, f"{reverse('cockpit:records', args=['units_reported'])}?grid={grid.pk}")
    assert page.context["counted"] is False and page.context["page_obj"] is None
