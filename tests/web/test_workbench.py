"""Each role lands on its own workbench, built from scoped data in a bounded number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoAssertNumQueries

from grassroots.accounts.enums import Role
from grassroots.accounts.services import role_assign, user_create
from grassroots.people.enums import PersonRoleKind
from grassroots.people.services import person_role_assign
from grassroots.territory.services import grid_create, region_create
from tests.conftest import SIBLING_MARK, World
from tests.factories import make_person
from tests.web.helpers import html

MAX_QUERIES = 18  # session, user, roles (2), figures (8), audit, switcher, narrowed region and its path, session save


def main(page: str) -> str:
    """The page below the header and side bar (the switcher and the side bar name regions of their own)."""
    return page.split('id="main"', 1)[1]


def figures(items: list[dict[str, Any]]) -> dict[str, int]:
    return {str(item["key"]): item["value"] for item in items}


def test_district_admin_sees_the_overview_and_recent_activity(world: World) -> None:
    response = world.client("district_admin").get("/")
    assert response.context["workbench"] == "overview"
    assert figures(response.context["overview"]) == {
        "streets": 2,
        "communities": 4,
        "compounds": 4,
        "grids": 4,
        "persons": 8,
        "party_members": 0,
        "organizations": 4,
    }
    page = html(response)
    assert 'id="recent-activity"' in page
    assert len(response.context["recent"]) <= 8


def test_the_overview_follows_the_switcher(world: World) -> None:
    """Narrowed to a community, the overview counts only inside it, and only the levels below it."""
    client = world.client("district_admin")
    client.post("/switch-region/", {"region": world.communities["dongyue"].region.pk})
    response = client.get("/")
    assert figures(response.context["overview"]) == {
        "compounds": 1,
        "grids": 1,
        "persons": 2,
        "party_members": 0,
        "organizations": 1,
    }
    assert "东岳社区" in main(html(response))
    client.post("/switch-region/", {"region": world.streets["nanjiang"].pk})
    overview = figures(client.get("/").context["overview"])
    assert (overview["communities"], overview["compounds"], overview["persons"]) == (2, 2, 4)
    assert "streets" not in overview


def test_street_staff_see_to_dos_and_their_grids_with_person_counts(world: World) -> None:
    response = world.client("street_staff").get("/")
    assert response.context["workbench"] == "staff"
    assert [t["value"] for t in response.context["todos"]] == [0, 0, 0, 0]
    assert [(g.name, g.person_count) for g in response.context["grids"]] == [("东岳第一网格", 2), ("北辰第一网格", 2)]
    page = main(html(response))
    assert 'id="todos"' in page and 'id="my-grids"' in page
    assert "江滨" not in page


def test_community_staff_see_only_their_grids(world: World) -> None:
    response = world.client("community_staff").get("/")
    assert response.context["workbench"] == "staff"
    assert [g.name for g in response.context["grids"]] == ["东岳第一网格"]
    assert SIBLING_MARK not in html(response)


def test_community_staff_with_no_grid_get_an_empty_state(world: World) -> None:
    community = region_create(
        actor=None, kind="community", name="新城社区", code="4509020203", parent=world.streets["nanjiang"]
    )
    user = user_create(actor=None, username="new_staff", password="Test-Passw0rd!")
    role_assign(actor=None, user=user, role=Role.COMMUNITY_STAFF, region=community)
    world.users["new_staff"] = user
    response = world.client("new_staff").get("/")
    assert response.context["grids"] == []
    assert response.context["grid_total"] == 0
    assert 'id="my-grids"' in html(response)


def test_grid_worker_sees_my_grid_with_its_head(world: World) -> None:
    dongyue = world.communities["dongyue"]
    person_role_assign(actor=None, person=dongyue.persons[0], kind=PersonRoleKind.GRID_HEAD, grid=dongyue.grid)
    response = world.client("grid_worker").get("/")
    assert response.context["workbench"] == "grid"
    assert response.context["grid"] == dongyue.grid
    assert response.context["grid_persons"] == 2
    page = main(html(response))
    assert 'id="my-grid"' in page and 'id="my-tasks"' in page
    assert "东岳第一网格" in page and "东岳社区" in page and "东岳张伟" in page
    assert SIBLING_MARK not in html(response)


def test_compound_secretary_sees_my_compound(world: World) -> None:
    response = world.client("compound_secretary").get("/")
    assert response.context["workbench"] == "compound"
    assert response.context["compound"] == world.communities["dongyue"].compound
    assert (response.context["compound_buildings"], response.context["compound_households"]) == (1, 1)
    page = main(html(response))
    assert 'id="my-compound"' in page and "东岳花园" in page


def test_party_member_sees_my_community_and_an_empty_posts_list(world: World) -> None:
    response = world.client("party_member").get("/")
    assert response.context["workbench"] == "party"
    assert response.context["community"] == world.communities["dongyue"].region
    page = main(html(response))
    assert 'id="my-community"' in page and 'id="my-posts"' in page
    assert 'href="/persons/"' not in page


def test_resident_is_pointed_to_the_portal(world: World) -> None:
    response = world.client("resident").get("/")
    assert response.context["workbench"] == "resident"
    assert response.context["counts"] == []
    page = main(html(response))
    assert 'id="my-requests"' in page
    assert 'href="/regions/"' not in page and 'href="/persons/"' not in page


def test_a_user_without_a_role_is_told_what_to_do(world: World) -> None:
    user = user_create(actor=None, username="nobody", password="Test-Passw0rd!")
    world.users["nobody"] = user
    response = world.client("nobody").get("/")
    assert response.context["workbench"] == "none"
    assert response.context["other_roles"] == []


def test_several_roles_land_on_the_widest_with_links_to_the_others(world: World) -> None:
    user = world.users["grid_worker"]
    role_assign(actor=None, user=user, role=Role.PARTY_MEMBER, region=world.communities["dongyue"].region)
    client = world.client("grid_worker")
    response = client.get("/")
    assert response.context["workbench"] == "grid"
    assert [code for code, _label in response.context["other_roles"]] == [Role.PARTY_MEMBER]
    assert 'href="?role=party_member"' in html(response)
    other = client.get("/", {"role": Role.PARTY_MEMBER})
    assert other.context["workbench"] == "party"
    # A role the user does not hold is ignored.
    assert client.get("/", {"role": Role.DISTRICT_ADMIN}).context["workbench"] == "grid"


@pytest.mark.parametrize(
    "persona",
    [
        "district_admin",
        "street_staff",
        "community_staff",
        "grid_worker",
        "compound_secretary",
        "party_member",
        "resident",
    ],
)
def test_workbench_query_count_is_bounded(
    world: World, persona: str, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = world.client(persona)
    client.get("/")  # warm the session and content types
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get("/").status_code == 200


def test_narrowed_workbench_query_count_is_bounded(
    world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = world.client("district_admin")
    client.post("/switch-region/", {"region": world.communities["dongyue"].region.pk})
    client.get("/")
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get("/").status_code == 200


def test_workbench_query_count_does_not_grow_with_the_data(
    world: World, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client = world.client("street_staff")
    client.get("/")
    with CaptureQueriesContext(connection) as before:
        client.get("/")
    dongyue = world.communities["dongyue"]
    for n in range(15):
        grid_create(actor=None, community=dongyue.region, code=f"GX{n}", name=f"东岳加{n}网格", areas=[])
        make_person(name=f"东岳加{n}", household=dongyue.household)
    with django_assert_num_queries(len(before.captured_queries)):
        response = client.get("/")
    assert len(response.context["grids"]) == 12
    assert response.context["grid_total"] == 17


def test_staff_to_dos_count_cases_of_their_scope_only(world: World) -> None:
    from grassroots.catalogue.services import catalogue_install_defaults
    from tests.cases.factories import make_case

    catalogue_install_defaults()
    for community in ("dongyue", "dongyue", "beichen"):
        make_case(
            world, community=community, channel="walk_in", actor=world.users["district_admin"], requester_name="居民"
        )
    todos = {t["href"]: t["value"] for t in world.client("community_staff").get("/").context["todos"]}
    assert todos["/cases/?status=pending"] == 2
    street = {t["href"]: t["value"] for t in world.client("street_staff").get("/").context["todos"]}
    assert street["/cases/?status=pending"] == 3
    grid = world.client("grid_worker").get("/")
    assert grid.context["tasks"][0]["value"] == 2
    assert "/cases/new/" in main(html(grid))


def test_party_member_sees_the_wall_and_claims_counts(world: World) -> None:
    from grassroots.catalogue.services import catalogue_install_defaults
    from tests.cases.factories import make_case

    catalogue_install_defaults()
    make_case(world, channel="walk_in", actor=world.users["district_admin"], requester_name="居民", accept=True)
    make_case(
        world,
        community="beichen",
        channel="walk_in",
        actor=world.users["district_admin"],
        requester_name="居民",
        accept=True,
    )
    response = world.client("party_member").get("/")
    assert (response.context["wall_count"], response.context["claims_active"]) == (1, 0)
    assert 'href="/portal/member/wall/"' in main(html(response))
