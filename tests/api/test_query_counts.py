"""List endpoints read a page in a fixed number of queries, however long the page."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoAssertNumQueries
from rest_framework.test import APIClient

from grassroots.accounts.models import User
from grassroots.organizations.models import Organization
from grassroots.people.models import Ethnicity
from grassroots.people.services import PersonData, person_role_assign, persons_bulk_create
from grassroots.territory.services import grid_create, region_create
from tests.conftest import World
from tests.factories import make_id_number, make_mobile

# anchors of the user (1) + count (1) + page (1); the region list's parent id is a subquery of the page query.
MAX_QUERIES = 3


@pytest.fixture
def crowded(world: World) -> World:
    """More than 50 rows of every listed kind in 东岳社区 (district admin sees them all)."""
    dy = world.communities["dongyue"]
    han = Ethnicity.objects.get(code="01")
    persons_bulk_create(
        actor=None,
        rows=[
            PersonData(
                name=f"东岳居民{i}",
                ethnicity=han,
                id_number=make_id_number(),
                mobile=make_mobile(),
                address=f"东岳花园{i}号",
                household=dy.household,
            )
            for i in range(60)
        ],
    )
    for i in range(40):
        region_create(actor=None, kind="building", name=f"东岳花园{i + 2}栋", code=f"B{i:03d}", parent=dy.compound)
    for i in range(50):
        grid = grid_create(actor=None, community=dy.region, code=f"GX{i:03d}", name=f"东岳网格{i}", areas=[dy.compound])
        person_role_assign(actor=None, person=dy.persons[0], kind="grid_worker", grid=grid, employment="full_time")
        Organization.objects.create(
            kind="branch",
            name=f"东岳第{i}支部",
            code=f"BR{i:03d}",
            region=dy.compound,
            parent=dy.organization,
            grid=grid,
        )
    return world


def _client(world: World) -> APIClient:
    client = APIClient()
    client.force_authenticate(User.objects.get(pk=world.users["district_admin"].pk))  # no cached anchors
    return client


def _get(world: World, url: str, page_size: int) -> tuple[Any, int]:
    client = _client(world)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"page_size": page_size})
    assert response.status_code == 200
    return response.json(), len(queries)


@pytest.mark.parametrize("url", ["/api/v1/regions/", "/api/v1/grids/", "/api/v1/organizations/", "/api/v1/persons/"])
def test_list_query_count_does_not_grow_with_the_page_size(
    crowded: World, url: str, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    small, small_queries = _get(crowded, url, 5)
    large, large_queries = _get(crowded, url, 50)

    assert len(small["results"]) == 5
    assert len(large["results"]) == 50
    assert small["count"] == large["count"] > 50
    assert large_queries == small_queries
    client = _client(crowded)
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(url, {"page_size": 200}).status_code == 200


def test_page_size_is_capped_at_200(crowded: World) -> None:
    body, _queries = _get(crowded, "/api/v1/regions/", 1000)

    assert body["count"] == 59  # 19 + 40 buildings
    assert len(body["results"]) == 59
    persons, _queries = _get(crowded, "/api/v1/persons/", 1000)
    assert persons["count"] == 68
    assert len(persons["results"]) == 68


def test_pages_link_to_each_other(crowded: World) -> None:
    first, _queries = _get(crowded, "/api/v1/persons/", 50)
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/persons/?page=2&page_size=50"
