"""Regions and grids through the API: scope, filters, detail contents, 404 outside scope."""

from __future__ import annotations

import pytest

from grassroots.core.personal_data import mask_mobile
from grassroots.people.services import person_role_assign
from grassroots.territory.services import grid_create
from tests.api.conftest import Api, assert_error, names, results
from tests.conftest import SIBLING_MARK, World

DONGYUE_REGIONS = {"东岳社区", "东岳花园", "东岳花园1栋", "东岳花园1栋1单元"}
BEICHEN_REGIONS = {"北辰社区", "北辰花园", "北辰花园1栋", "北辰花园1栋1单元"}


# ---------------------------------------------------------------------------------------------------- regions


def test_community_staff_lists_only_their_communitys_regions(api: Api) -> None:
    response = api("community_staff").get("/api/v1/regions/")

    assert names(response) == DONGYUE_REGIONS
    assert SIBLING_MARK not in response.content.decode()


def test_street_staff_lists_their_street_and_both_communities_but_not_the_other_street(api: Api) -> None:
    response = api("street_staff").get("/api/v1/regions/", {"page_size": 200})

    assert names(response) == {"名山街道"} | DONGYUE_REGIONS | BEICHEN_REGIONS
    assert "南江" not in response.content.decode()
    assert "江滨" not in response.content.decode()


def test_region_list_rows_are_in_tree_order_with_their_parent(api: Api, world: World) -> None:
    dy = world.communities["dongyue"]

    rows = results(api("community_staff").get("/api/v1/regions/"))

    assert rows == [
        {
            "id": dy.region.pk,
            "kind": "community",
            "name": "东岳社区",
            "code": "4509020101",
            "depth": 3,
            "parent": world.streets["mingshan"].pk,
        },
        {
            "id": dy.compound.pk,
            "kind": "compound",
            "name": "东岳花园",
            "code": "450902010101",
            "depth": 4,
            "parent": dy.region.pk,
        },
        {
            "id": dy.building.pk,
            "kind": "building",
            "name": "东岳花园1栋",
            "code": "45090201010101",
            "depth": 5,
            "parent": dy.compound.pk,
        },
        {
            "id": dy.entrance.pk,
            "kind": "entrance",
            "name": "东岳花园1栋1单元",
            "code": "4509020101010101",
            "depth": 6,
            "parent": dy.building.pk,
        },
    ]


def test_region_filters(api: Api, world: World) -> None:
    client = api("street_staff")

    assert names(client.get("/api/v1/regions/", {"kind": "community"})) == {"东岳社区", "北辰社区"}
    assert names(client.get("/api/v1/regions/", {"parent": world.streets["mingshan"].pk})) == {"东岳社区", "北辰社区"}
    assert names(client.get("/api/v1/regions/", {"parent": world.communities["beichen"].region.pk})) == {"北辰花园"}
    assert names(client.get("/api/v1/regions/", {"q": "1栋", "kind": "building"})) == {"东岳花园1栋", "北辰花园1栋"}
    # The other street's children stay invisible even when asked for by parent.
    assert names(client.get("/api/v1/regions/", {"parent": world.streets["nanjiang"].pk})) == set()


@pytest.mark.parametrize(
    ("params", "field"), [({"kind": "planet"}, "kind"), ({"parent": "abc"}, "parent"), ({"parent": "0"}, "parent")]
)
def test_malformed_region_filters_are_a_400_naming_the_field(api: Api, params: dict[str, str], field: str) -> None:
    body = assert_error(api("street_staff").get("/api/v1/regions/", params), 400, "invalid")

    assert list(body["fields"]) == [field]


def test_region_detail_has_the_breadcrumb(api: Api, world: World) -> None:
    dy = world.communities["dongyue"]

    response = api("community_staff").get(f"/api/v1/regions/{dy.building.pk}/")

    assert response.status_code == 200
    assert response.json() == {
        "id": dy.building.pk,
        "kind": "building",
        "name": "东岳花园1栋",
        "code": "45090201010101",
        "depth": 5,
        "parent": dy.compound.pk,
        "ancestors": [
            {"id": world.district.pk, "name": "玉州区", "kind": "district"},
            {"id": world.streets["mingshan"].pk, "name": "名山街道", "kind": "street"},
            {"id": dy.region.pk, "name": "东岳社区", "kind": "community"},
            {"id": dy.compound.pk, "name": "东岳花园", "kind": "compound"},
        ],
        "children_count": 1,
    }


def test_root_region_has_no_parent(api: Api, world: World) -> None:
    body = api("district_admin").get(f"/api/v1/regions/{world.district.pk}/").json()

    assert body["parent"] is None
    assert body["ancestors"] == []
    assert body["children_count"] == 2


@pytest.mark.parametrize("attr", ["region", "compound", "building", "entrance"])
def test_sibling_communitys_region_is_a_404(api: Api, world: World, attr: str) -> None:
    region = getattr(world.communities["beichen"], attr)

    assert_error(api("community_staff").get(f"/api/v1/regions/{region.pk}/"), 404, "not_found")


def test_a_region_above_the_scope_is_a_404(api: Api, world: World) -> None:
    assert_error(api("community_staff").get(f"/api/v1/regions/{world.streets['mingshan'].pk}/"), 404, "not_found")


def test_unknown_and_malformed_ids_are_404s(api: Api) -> None:
    client = api("district_admin")

    assert_error(client.get("/api/v1/regions/999999/"), 404, "not_found")
    assert client.get("/api/v1/regions/abc/").status_code == 404  # no route: Django's 404, not the API's


def test_region_api_is_read_only(api: Api, world: World) -> None:
    client = api("district_admin")

    assert_error(client.post("/api/v1/regions/", {"name": "x"}, format="json"), 405, "method_not_allowed")
    assert_error(client.delete(f"/api/v1/regions/{world.district.pk}/"), 405, "method_not_allowed")


@pytest.mark.parametrize("persona", ["resident", "unit_admin"])
def test_roles_without_territory_capability_get_a_403(api: Api, world: World, persona: str) -> None:
    client = api(persona)
    assert_error(client.get("/api/v1/regions/"), 403, "permission_denied")
    assert_error(client.get(f"/api/v1/regions/{world.communities['dongyue'].region.pk}/"), 403, "permission_denied")


# ------------------------------------------------------------------------------------------------------ grids


def test_grids_are_scoped(api: Api, world: World) -> None:
    assert names(api("community_staff").get("/api/v1/grids/")) == {"东岳第一网格"}
    assert names(api("grid_worker").get("/api/v1/grids/")) == {"东岳第一网格"}
    assert names(api("street_staff").get("/api/v1/grids/")) == {"东岳第一网格", "北辰第一网格"}
    assert names(api("district_admin").get("/api/v1/grids/")) == {
        "东岳第一网格",
        "北辰第一网格",
        "江滨第一网格",
        "南观第一网格",
    }


def test_grid_list_row_and_filters(api: Api, world: World) -> None:
    dy = world.communities["dongyue"]
    client = api("street_staff")

    assert results(client.get("/api/v1/grids/", {"community": dy.region.pk})) == [
        {
            "id": dy.grid.pk,
            "code": "G4509020101",
            "name": "东岳第一网格",
            "community": dy.region.pk,
            "community_name": "东岳社区",
        },
    ]
    assert names(client.get("/api/v1/grids/", {"q": "北辰"})) == {"北辰第一网格"}
    assert names(client.get("/api/v1/grids/", {"community": world.communities["jiangbin"].region.pk})) == set()


def test_grid_detail_has_areas_boundary_head_and_workers_with_masked_mobiles(api: Api, world: World) -> None:
    dy = world.communities["dongyue"]
    boundary = {"type": "Polygon", "coordinates": [[[110.1, 22.6], [110.2, 22.6], [110.2, 22.7], [110.1, 22.6]]]}
    grid = grid_create(
        actor=None, community=dy.region, code="G-EXTRA", name="东岳第二网格", areas=[dy.building], boundary=boundary
    )
    head, worker = dy.persons
    person_role_assign(actor=None, person=head, kind="grid_head", grid=grid)
    person_role_assign(actor=None, person=worker, kind="grid_worker", grid=grid, employment="part_time")

    response = api("community_staff").get(f"/api/v1/grids/{grid.pk}/")

    assert response.status_code == 200
    assert response.json() == {
        "id": grid.pk,
        "code": "G-EXTRA",
        "name": "东岳第二网格",
        "street": world.streets["mingshan"].pk,
        "community": dy.region.pk,
        "community_name": "东岳社区",
        "areas": [dy.building.pk],
        "boundary": boundary,
        "head": {"person": head.pk, "name": "东岳张伟", "employment": "", "mobile_masked": mask_mobile(head.mobile)},
        "workers": [
            {
                "person": worker.pk,
                "name": "东岳李娜",
                "employment": "part_time",
                "mobile_masked": mask_mobile(worker.mobile),
            },
        ],
    }
    content = response.content.decode()
    assert head.mobile not in content
    assert worker.mobile not in content


def test_grid_without_staff_has_no_head_and_no_workers(api: Api, world: World) -> None:
    dy = world.communities["dongyue"]

    body = api("community_staff").get(f"/api/v1/grids/{dy.grid.pk}/").json()

    assert body["head"] is None
    assert body["workers"] == []
    assert body["areas"] == [dy.compound.pk]
    assert body["boundary"] is None


def test_sibling_grid_is_a_404(api: Api, world: World) -> None:
    grid = world.communities["beichen"].grid

    assert_error(api("community_staff").get(f"/api/v1/grids/{grid.pk}/"), 404, "not_found")
    assert_error(api("grid_worker").get(f"/api/v1/grids/{grid.pk}/"), 404, "not_found")
