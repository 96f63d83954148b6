"""The shared list pattern: scope, filters, sorting, pagination, htmx partials and bounded query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from grassroots.people.services import party_membership_set
from tests.conftest import SIBLING_MARK, World
from tests.factories import make_person
from tests.web.helpers import html

LISTS = ["/regions/", "/grids/", "/organizations/", "/persons/"]


def names(response: Any) -> list[str]:
    return [obj.name for obj in response.context["object_list"]]


@pytest.mark.parametrize("url", LISTS)
def test_a_community_worker_sees_no_row_of_the_sibling_community(world: World, url: str) -> None:
    client = world.client("community_staff")
    for params in ({}, {"q": "北辰"}, {"q": "bc"}, {"sort": "-name"}, {"per_page": "200"}):
        response = client.get(url, params)
        assert response.status_code == 200, (url, params)
        assert not any(SIBLING_MARK in name for name in names(response)), (url, params)
        if "q" not in params:  # the search box (and the empty state) repeat what was typed
            assert SIBLING_MARK not in html(response), (url, params)


@pytest.mark.parametrize("url", LISTS)
def test_htmx_gets_only_the_results_partial(world: World, url: str) -> None:
    client = world.client("district_admin")
    full = html(client.get(url))
    assert "<html" in full and 'id="list-results"' in full
    partial = client.get(url, headers={"HX-Request": "true"})
    body = html(partial)
    assert partial.status_code == 200
    assert "<html" not in body
    assert body.lstrip().startswith('<div id="list-results"')


def test_filter_form_and_links_work_without_javascript(world: World) -> None:
    """The filter form is a plain GET form, and sort links are plain links (htmx only upgrades them)."""
    page = html(world.client("street_staff").get("/persons/"))
    assert 'method="get"' in page
    assert 'href="?sort=gender"' in page
    assert 'hx-get="?sort=gender"' in page
    assert 'hx-push-url="true"' in page


# Regions


def test_region_list_starts_at_the_top_and_searches_below(world: World) -> None:
    client = world.client("street_staff")
    assert names(client.get("/regions/")) == ["名山街道"]
    assert names(client.get("/regions/", {"kind": "community"})) == ["东岳社区", "北辰社区"]
    assert names(client.get("/regions/", {"q": "东岳花园"})) == ["东岳花园", "东岳花园1栋", "东岳花园1栋1单元"]
    assert names(client.get("/regions/", {"q": "4509020102", "kind": "compound"})) == ["北辰花园"]
    dongyue = world.communities["dongyue"].region
    assert names(client.get("/regions/", {"parent": dongyue.pk, "kind": "building"})) == ["东岳花园1栋"]
    # A parent outside the scope is not a valid choice: nothing, and not named.
    jiangbin = world.communities["jiangbin"].region
    response = client.get("/regions/", {"parent": jiangbin.pk})
    assert names(response) == []
    assert "江滨" not in html(response)


def test_region_tree_browser_still_works(world: World) -> None:
    dongyue = world.communities["dongyue"]
    response = world.client("community_staff").get(f"/regions/{dongyue.region.pk}/")
    assert [c.name for c in response.context["children"]] == ["东岳花园"]
    assert [e.action for e in response.context["history"]] == ["create"]


# Grids and organisations


def test_grid_list_sorts_by_community(world: World) -> None:
    client = world.client("district_admin")
    assert names(client.get("/grids/", {"sort": "community"})) == [
        "东岳第一网格",
        "北辰第一网格",
        "江滨第一网格",
        "南观第一网格",
    ]
    assert names(client.get("/grids/", {"sort": "-community"})) == [
        "南观第一网格",
        "江滨第一网格",
        "北辰第一网格",
        "东岳第一网格",
    ]


def test_organization_list_filters_and_search(world: World) -> None:
    client = world.client("street_staff")
    assert names(client.get("/organizations/")) == ["东岳社区党委", "北辰社区党委"]
    assert names(client.get("/organizations/", {"q": "东岳"})) == ["东岳社区党委"]
    assert names(client.get("/organizations/", {"kind": "branch"})) == []
    assert names(client.get("/organizations/", {"kind": "community_committee", "sort": "-name"})) == [
        "北辰社区党委",
        "东岳社区党委",
    ]


def test_organization_detail_shows_region_members_and_history(world: World) -> None:
    from grassroots.organizations.services import organization_create

    dongyue = world.communities["dongyue"]
    branch = organization_create(
        actor=world.users["district_admin"],
        kind="branch",
        name="东岳花园党支部",
        code="B001",
        region=dongyue.compound,
        parent=dongyue.organization,
    )
    party_membership_set(
        actor=None,
        person=dongyue.persons[0],
        organization=branch,
        joined_on=__import__("datetime").date(2001, 7, 1),
        category="resident",
    )
    client = world.client("community_staff")
    response = client.get(f"/organizations/{branch.pk}/")
    assert response.status_code == 200
    page = html(response)
    assert "东岳社区党委" in page and "东岳花园" in page
    assert response.context["party_member_count"] == 1
    assert [e.action for e in response.context["history"]] == ["create"]
    beichen = world.communities["beichen"].organization
    assert client.get(f"/organizations/{beichen.pk}/").status_code == 404


# Persons


def test_person_filters(world: World) -> None:
    client = world.client("street_staff")
    dongyue = world.communities["dongyue"]
    assert names(client.get("/persons/", {"gender": "female"})) == ["北辰李娜", "东岳李娜"]
    assert names(client.get("/persons/", {"gender": "male", "region": dongyue.region.pk})) == ["东岳张伟"]
    assert len(names(client.get("/persons/", {"ethnicity": "01"}))) == 4
    assert names(client.get("/persons/", {"ethnicity": "02"})) == []
    party_membership_set(
        actor=None,
        person=dongyue.persons[0],
        organization=dongyue.organization,
        joined_on=__import__("datetime").date(2001, 7, 1),
        category="resident",
    )
    assert names(client.get("/persons/", {"party_member": "true"})) == ["东岳张伟"]
    assert len(names(client.get("/persons/", {"party_member": "false"}))) == 3
    assert names(client.get("/persons/", {"q": "dyzw", "party_member": "true"})) == ["东岳张伟"]


def test_person_region_choices_are_only_visible_regions(world: World) -> None:
    response = world.client("community_staff").get("/persons/")
    choices = [label for _value, label in response.context["filter"].form.fields["region"].choices]
    assert "东岳社区" in choices
    assert not any(SIBLING_MARK in str(c) or "江滨" in str(c) for c in choices)


def test_sorting_and_pagination(world: World) -> None:
    household = world.communities["dongyue"].household
    for n in range(58):
        make_person(name=f"东岳测试{n:02d}", household=household)
    client = world.client("community_staff")
    first = client.get("/persons/")
    assert len(first.context["object_list"]) == 50
    assert first.context["page_obj"].paginator.count == 60
    second = client.get("/persons/", {"page": 2})
    assert len(second.context["object_list"]) == 10
    # Sorted by name descending, the pinyin order turns round.
    ascending = names(client.get("/persons/", {"per_page": 200}))
    descending = names(client.get("/persons/", {"per_page": 200, "sort": "-name"}))
    assert len(ascending) == 60
    assert descending == list(reversed(ascending))
    # The page size is bounded, and a page beyond the end shows the last page.
    assert len(client.get("/persons/", {"per_page": 10}).context["object_list"]) == 10
    assert client.get("/persons/", {"per_page": 100000}).context["table"].paginator.per_page == 200
    assert len(client.get("/persons/", {"page": 99}).context["object_list"]) == 10
    assert client.get("/persons/", {"page": "x"}).status_code == 200


def _list_queries(client: Client, url: str, assert_max: DjangoAssertNumQueries, limit: int) -> None:
    with assert_max(limit):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("url", LISTS)
def test_query_count_is_bounded_regardless_of_page_size(
    world: World, url: str, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    from grassroots.organizations.models import Organization
    from grassroots.territory.services import grid_create, region_create

    dongyue = world.communities["dongyue"]
    client = world.client("community_staff")
    params = "?kind=building" if url == "/regions/" else ""

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url + params).status_code == 200
        return len(queries)

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            if url == "/persons/":
                make_person(name=f"东岳量{i:02d}", household=dongyue.household)
            elif url == "/regions/":
                region_create(
                    actor=None,
                    kind="building",
                    name=f"东岳花园{i + 2}栋",
                    code=f"45090201010{i + 2:03d}",
                    parent=dongyue.compound,
                )
            elif url == "/grids/":
                grid_create(
                    actor=None,
                    community=dongyue.region,
                    code=f"GQ{i:03d}",
                    name=f"东岳网格{i}",
                    areas=[dongyue.compound],
                )
            else:
                Organization.objects.create(
                    kind="volunteer_team", name=f"东岳志愿队{i}", code=f"V{i:03d}", region=dongyue.region
                )

    add(4, 0)  # five rows with the one already there (a building: two)
    few = count()
    add(50, 4)
    many = count()
    assert many == few, (url, few, many)
    _list_queries(client, url + params, django_assert_max_num_queries, few)
