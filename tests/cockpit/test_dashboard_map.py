"""The grid map's GeoJSON: the grids of a place the user may see, each with the chosen figure; nothing else."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.conftest import World

pytestmark = pytest.mark.usefixtures("midday")


def square(west: float, south: float, size: float = 0.01) -> dict[str, Any]:
    ring = [[west, south], [west + size, south], [west + size, south + size], [west, south + size], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def mapped_world(figures_world: World) -> World:
    """Every grid with a boundary: 东岳's as a Feature (both forms are stored), the others bare."""
    for i, (name, community) in enumerate(sorted(figures_world.communities.items())):
        grid = community.grid
        shape = square(110.1 + i * 0.01, 22.6)
        grid.boundary = {"type": "Feature", "properties": {}, "geometry": shape} if name == "dongyue" else shape
        grid.save(update_fields=["boundary"])
    return figures_world


def features(response: Any) -> dict[str, dict[str, Any]]:
    assert response.status_code == 200
    return {f["properties"]["name"]: f for f in response.json()["features"]}


def test_the_district_map_has_every_grid_coloured_by_the_figure(mapped_world: World) -> None:
    w = mapped_world
    client = w.client("district_admin")
    found = features(
        client.get(
            reverse("cockpit:grid_geojson"), {"region": w.district.pk, "metric": "deeds_done", "period": "this_year"}
        )
    )
    assert set(found) == {"东岳第一网格", "北辰第一网格", "江滨第一网格", "南观第一网格"}
    dongyue = found["东岳第一网格"]
    assert dongyue["geometry"]["type"] == "Polygon"  # the Feature was unwrapped
    assert dongyue["properties"]["value"] == 2 and dongyue["properties"]["community"] == "东岳社区"
    assert found["南观第一网格"]["properties"]["value"] == 0
    url = dongyue["properties"]["url"]
    assert f"grid={w.communities['dongyue'].grid.pk}" in url
    page = client.get(url)
    assert page.status_code == 200 and page.context["region"] == w.communities["dongyue"].grid
    rate = features(
        client.get(
            reverse("cockpit:grid_geojson"),
            {"region": w.district.pk, "metric": "satisfaction_rate", "period": "this_year"},
        )
    )
    assert rate["东岳第一网格"]["properties"]["value"] == 50
    assert rate["南观第一网格"]["properties"]["value"] is None  # nothing rated: no rate, not 0 %


def test_beichen_staff_get_none_of_dongyue_s_grids(mapped_world: World) -> None:
    w = mapped_world
    client = w.client("sibling_staff")
    assert set(features(client.get(reverse("cockpit:grid_geojson")))) == {"北辰第一网格"}
    street = features(client.get(reverse("cockpit:grid_geojson"), {"region": w.communities["beichen"].region.pk}))
    assert set(street) == {"北辰第一网格"}
    dy = w.communities["dongyue"]
    for params in ({"region": dy.region.pk}, {"region": w.streets["mingshan"].pk}, {"grid": dy.grid.pk}):
        assert client.get(reverse("cockpit:grid_geojson"), params).status_code == 404, params
    assert w.client("resident").get(reverse("cockpit:grid_geojson")).status_code == 403


def test_the_street_map_and_a_compound_map(mapped_world: World) -> None:
    w = mapped_world
    client = w.client("street_staff")
    assert set(features(client.get(reverse("cockpit:grid_geojson")))) == {"东岳第一网格", "北辰第一网格"}
    compound = features(client.get(reverse("cockpit:grid_geojson"), {"region": w.communities["dongyue"].compound.pk}))
    assert set(compound) == {"东岳第一网格"}


def test_a_wrong_period_or_figure_is_refused(mapped_world: World) -> None:
    client = mapped_world.client("district_admin")
    bad = client.get(reverse("cockpit:grid_geojson"), {"from": "2026-02-01", "to": "2026-01-01"})
    assert bad.status_code == 400 and "date_to" in bad.json()["errors"]
    assert client.get(reverse("cockpit:grid_geojson"), {"metric": "no_such_figure"}).status_code == 404
    # a figure not counted for grids: the grids are drawn, with no value
    units = features(client.get(reverse("cockpit:grid_geojson"), {"metric": "units_reported"}))
    assert units and all(f["properties"]["value"] is None for f in units.values())
