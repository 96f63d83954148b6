"""The region tree browser and the grid pages, scoped to the user."""

from __future__ import annotations

import pytest

from grassroots.people.services import person_role_assign
from tests.conftest import SIBLING_MARK, World
from tests.web.helpers import html


@pytest.mark.parametrize("url", ["/", "/regions/", "/grids/", "/persons/"])
def test_list_pages_of_a_community_worker_never_mention_the_sibling_community(world: World, url: str) -> None:
    response = world.client("community_staff").get(url)
    assert response.status_code == 200
    assert SIBLING_MARK not in html(response)


def test_region_pages_of_the_own_community_never_mention_the_sibling(world: World) -> None:
    client = world.client("community_staff")
    dongyue = world.communities["dongyue"]
    for region in (dongyue.region, dongyue.compound, dongyue.building, dongyue.entrance):
        response = client.get(f"/regions/{region.pk}/")
        assert response.status_code == 200
        assert SIBLING_MARK not in html(response)
    assert SIBLING_MARK not in html(client.get(f"/grids/{dongyue.grid.pk}/"))


def test_objects_of_the_sibling_community_are_not_found(world: World) -> None:
    client = world.client("community_staff")
    beichen = world.communities["beichen"]
    for url in (
        f"/regions/{beichen.region.pk}/",
        f"/regions/{beichen.compound.pk}/",
        f"/regions/{world.streets['mingshan'].pk}/",  # the street above is out of scope too
        f"/grids/{beichen.grid.pk}/",
        f"/persons/{beichen.persons[0].pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert SIBLING_MARK.encode() not in response.content


def test_region_browser_starts_at_the_users_top_regions(world: World) -> None:
    assert [r.name for r in world.client("community_staff").get("/regions/").context["object_list"]] == ["东岳社区"]
    assert [r.name for r in world.client("street_staff").get("/regions/").context["object_list"]] == ["名山街道"]
    assert [r.name for r in world.client("district_admin").get("/regions/").context["object_list"]] == ["玉州区"]


def test_region_breadcrumbs_name_but_do_not_link_ancestors_out_of_scope(world: World) -> None:
    dongyue = world.communities["dongyue"]
    response = world.client("community_staff").get(f"/regions/{dongyue.building.pk}/")
    crumbs = response.context["breadcrumbs"]
    labels = [str(label) for label, _url in crumbs]
    assert labels[1:] == ["玉州区", "名山街道", "东岳社区", "东岳花园", "东岳花园1栋"]
    links = {str(label): url for label, url in crumbs}
    assert links["玉州区"] is None and links["名山街道"] is None
    assert links["东岳社区"] == f"/regions/{dongyue.region.pk}/"
    page = html(response)
    assert f'href="/regions/{world.streets["mingshan"].pk}/"' not in page
    assert f'href="/regions/{world.district.pk}/"' not in page


def test_region_detail_shows_children_grids_and_person_counts(world: World) -> None:
    dongyue = world.communities["dongyue"]
    response = world.client("street_staff").get(f"/regions/{world.streets['mingshan'].pk}/")
    assert [c.name for c in response.context["children"]] == ["东岳社区", "北辰社区"]
    assert [c.person_count for c in response.context["children"]] == [2, 2]
    assert response.context["person_count"] == 4

    response = world.client("community_staff").get(f"/regions/{dongyue.region.pk}/")
    assert [g.name for g in response.context["grids"]] == ["东岳第一网格"]
    assert response.context["person_count"] == 2
    assert f'href="/persons/?region={dongyue.region.pk}"' in html(response)

    for region in (dongyue.building, dongyue.entrance):
        assert world.client("community_staff").get(f"/regions/{region.pk}/").context["person_count"] == 2


def test_region_detail_without_people_capability_shows_no_person_count(world: World) -> None:
    response = world.client("party_member").get(f"/regions/{world.communities['dongyue'].region.pk}/")
    assert response.status_code == 200
    assert response.context["person_count"] is None


def test_region_children_are_paginated(world: World) -> None:
    from grassroots.territory.services import region_create

    compound = world.communities["dongyue"].compound
    for n in range(2, 56):
        region_create(actor=None, kind="building", name=f"东岳花园{n}栋", code=f"450902010101{n:02d}", parent=compound)
    client = world.client("community_staff")
    first = client.get(f"/regions/{compound.pk}/")
    assert len(first.context["children"]) == 50
    assert first.context["page_obj"].paginator.num_pages == 2
    assert len(client.get(f"/regions/{compound.pk}/?page=2").context["children"]) == 5


def test_grid_list_and_detail(world: World) -> None:
    dongyue = world.communities["dongyue"]
    worker = dongyue.persons[0]
    person_role_assign(actor=None, person=worker, kind="grid_worker", grid=dongyue.grid, employment="full_time")
    client = world.client("community_staff")
    listing = client.get("/grids/")
    assert [g.name for g in listing.context["object_list"]] == ["东岳第一网格"]
    assert "东岳花园" in html(listing)

    detail = client.get(f"/grids/{dongyue.grid.pk}/")
    page = html(detail)
    assert [r.person.name for r in detail.context["workers"]] == [worker.name]
    assert worker.mobile_masked in page
    assert worker.mobile not in page
    assert [a.name for a in detail.context["areas"]] == ["东岳花园"]


def test_grid_list_filters(world: World) -> None:
    client = world.client("street_staff")
    assert len(client.get("/grids/").context["object_list"]) == 2
    beichen = world.communities["beichen"].region
    assert [g.name for g in client.get(f"/grids/?community={beichen.pk}").context["object_list"]] == ["北辰第一网格"]
    assert [g.name for g in client.get("/grids/?q=东岳").context["object_list"]] == ["东岳第一网格"]
    # A community outside the street is not a valid choice: nothing is listed rather than everything.
    jiangbin = world.communities["jiangbin"].region
    response = client.get(f"/grids/?community={jiangbin.pk}")
    assert len(response.context["object_list"]) == 0
    assert "江滨" not in html(response)
