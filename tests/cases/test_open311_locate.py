"""Open311 locations: a map point inside a grid's GeoJSON boundary, an address string, an address id."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from grassroots.cases.models import Case
from grassroots.cases.open311.locate import boundary_contains
from grassroots.cases.services import open311_client_create
from grassroots.territory.models import Grid
from tests.cases.test_open311 import FMTS, call, error_codes, submission
from tests.conftest import World

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[110.0, 22.0], [110.1, 22.0], [110.1, 22.1], [110.0, 22.1], [110.0, 22.0]]],
}
HOLED = {
    "type": "Polygon",
    "coordinates": [
        SQUARE["coordinates"][0],
        [[110.04, 22.04], [110.06, 22.04], [110.06, 22.06], [110.04, 22.06], [110.04, 22.04]],
    ],
}


@pytest.fixture
def key(cases_world: World) -> str:
    return open311_client_create(actor=None, name="地图App")[1]


def test_boundary_contains_polygons_multipolygons_features_and_holes() -> None:
    assert boundary_contains(SQUARE, 110.05, 22.05)
    assert not boundary_contains(SQUARE, 110.2, 22.05)
    assert not boundary_contains(HOLED, 110.05, 22.05)
    assert boundary_contains(HOLED, 110.02, 22.02)
    multi = {"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [1, 1], [0, 0]]], SQUARE["coordinates"]]}
    assert boundary_contains(multi, 110.05, 22.05)
    assert boundary_contains({"type": "Feature", "geometry": SQUARE, "properties": {}}, 110.05, 22.05)
    for broken in (None, {}, {"type": "Polygon", "coordinates": "x"}, {"type": "Point", "coordinates": [1, 2]}):
        assert not boundary_contains(broken, 110.05, 22.05)


@given(
    west=st.floats(-170, 170),
    south=st.floats(-80, 80),
    width=st.floats(0.001, 5),
    height=st.floats(0.001, 5),
    fx=st.floats(0.01, 0.99),
    fy=st.floats(0.01, 0.99),
)
def test_a_point_inside_a_rectangle_is_inside_and_one_beside_it_is_not(
    west: float, south: float, width: float, height: float, fx: float, fy: float
) -> None:
    east, north = west + width, south + height
    box = {
        "type": "Polygon",
        "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]],
    }
    assert boundary_contains(box, west + fx * width, south + fy * height)
    assert not boundary_contains(box, east + fx * width, south + fy * height)
    assert not boundary_contains(box, west + fx * width, north + fy * height)


@pytest.mark.parametrize("fmt", FMTS)
def test_a_point_in_a_grid_is_placed_at_the_compound_it_covers(cases_world: World, key: str, fmt: str) -> None:
    dy = cases_world.communities["dongyue"]
    Grid.objects.filter(pk=dy.grid.pk).update(boundary=SQUARE)
    data = submission(cases_world, key, address_id=None, lat="22.05", long="110.05")
    status, body = call(Client(), fmt, "requests", "service_requests", data, post=True)
    assert status == 200, body
    case = Case.objects.get()
    assert case.place == dy.compound and case.grid == dy.grid
    assert (float(case.lat or 0), float(case.long or 0)) == (22.05, 110.05)
    (got,) = call(Client(), fmt, f"requests/{case.number}", "service_requests")[1]
    assert (got["lat"], got["long"], got["address_id"]) == ("22.05", "110.05", dy.compound.code)
    assert got["address"] == "名山街道东岳社区东岳花园"


@pytest.mark.parametrize("fmt", FMTS)
def test_a_point_outside_every_grid_is_refused(cases_world: World, key: str, fmt: str) -> None:
    Grid.objects.filter(pk=cases_world.communities["dongyue"].grid.pk).update(boundary=SQUARE)
    data = submission(cases_world, key, address_id=None, lat="39.9", long="116.4")
    status, body = call(Client(), fmt, "requests", "service_requests", data, post=True)
    assert status == 400 and error_codes(body) == ["lat"]
    assert not Case.objects.exists()


def test_address_id_wins_and_a_point_beside_it_is_kept(cases_world: World, key: str) -> None:
    dy = cases_world.communities["dongyue"]
    data = submission(cases_world, key, lat="22.05", long="110.05")  # no grid has a boundary: the id decides
    assert call(Client(), "json", "requests", "service_requests", data, post=True)[0] == 200
    case = Case.objects.get()
    assert case.place == dy.entrance and case.lat is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("广西玉林市玉州区名山街道东岳社区东岳花园1栋1单元", ("dongyue", "entrance")),
        ("东岳花园1栋门口", ("dongyue", "building")),
        ("东岳花园 北门", ("dongyue", "compound")),
        ("北辰花园1栋1单元楼下", ("beichen", "entrance")),
        ("江滨花园1栋1单元", ("jiangbin", "entrance")),
    ],
)
def test_address_string_finds_the_most_specific_named_place(
    cases_world: World, key: str, text: str, expected: tuple[str, str]
) -> None:
    data: dict[str, Any] = submission(cases_world, key, address_id=None, address_string=text)
    status, body = call(Client(), "xml", "requests", "service_requests", data, post=True)
    assert status == 200, body
    community, level = expected
    c = cases_world.communities[community]
    assert Case.objects.get().place == {"entrance": c.entrance, "building": c.building, "compound": c.compound}[level]
    assert Case.objects.get().address_text == text


def test_an_address_string_naming_no_place_is_refused(cases_world: World, key: str) -> None:
    data = submission(cases_world, key, address_id=None, address_string="北京市朝阳区某某路1号")
    status, body = call(Client(), "json", "requests", "service_requests", data, post=True)
    assert status == 400 and error_codes(body) == ["address_string"]
    assert not Case.objects.exists()
