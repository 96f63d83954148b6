"""The side bar shows only the modules a role may use, and pages refuse roles without the capability."""

from __future__ import annotations

import pytest

from tests.conftest import World
from tests.web.helpers import html

LINKS = {
    "regions": 'href="/regions/"',
    "grids": 'href="/grids/"',
    "persons": 'href="/persons/"',
    "audit": 'href="/audit/"',
}


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("district_admin", {"regions", "grids", "persons", "audit"}),
        ("community_staff", {"regions", "grids", "persons"}),
        ("grid_worker", {"regions", "grids", "persons"}),
        ("party_member", {"regions", "grids"}),
        ("unit_admin", set()),
        ("resident", set()),
    ],
)
def test_navigation_shows_only_usable_modules(world: World, persona: str, shown: set[str]) -> None:
    page = html(world.client(persona).get("/"))
    assert {name for name, link in LINKS.items() if link in page} == shown


def test_admin_link_only_for_staff(world: World) -> None:
    assert 'href="/admin/"' in html(world.client("district_admin").get("/"))  # district admins are staff
    assert 'href="/admin/"' not in html(world.client("community_staff").get("/"))


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("resident", "/regions/"),
        ("resident", "/grids/"),
        ("resident", "/persons/"),
        ("party_member", "/persons/"),
        ("unit_admin", "/regions/"),
        ("community_staff", "/audit/"),
        ("grid_worker", "/audit/"),
    ],
)
def test_pages_refuse_roles_without_the_capability(world: World, persona: str, url: str) -> None:
    assert world.client(persona).get(url).status_code == 403


def test_current_section_is_highlighted(world: World) -> None:
    page = html(world.client("community_staff").get("/persons/"))
    assert 'href="/persons/" class="active" aria-current="page"' in page


def test_workbench_shows_roles_and_scoped_counts(world: World) -> None:
    response = world.client("community_staff").get("/")
    page = html(response)
    assert "东岳社区" in page
    counts = {str(item["url"]): item["value"] for item in response.context["counts"]}
    # 东岳社区 and its compound, building and entrance; one grid; two residents.
    assert counts == {"web:region_list": 4, "web:grid_list": 1, "web:person_list": 2}


def test_workbench_of_a_role_without_capabilities_has_no_counts(world: World) -> None:
    response = world.client("resident").get("/")
    assert response.status_code == 200
    assert response.context["counts"] == []
