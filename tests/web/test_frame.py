"""The frame around every staff page: vendored assets only, the side bar by capability, the region switcher,
keyboard and no-JS basics, and the language switch."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from grassroots.web.context_processors import url_or_none
from grassroots.web.narrow import SESSION_KEY
from tests.conftest import SIBLING_MARK, World
from tests.web.helpers import csrf_token, html

VENDOR = Path(settings.BASE_DIR) / "static" / "vendor"
EXTERNAL = re.compile(r"""(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


def sidebar(page: str) -> str:
    match = re.search(r'<nav class="collapse navbar-collapse" id="sidebar-menu".*?</nav>', page, re.S)
    assert match, "the page has no side bar"
    return match.group(0)


@pytest.mark.parametrize("persona", ["district_admin", "community_staff", "resident"])
def test_base_page_loads_nothing_from_the_internet(world: World, persona: str) -> None:
    page = html(world.client(persona).get("/"))
    assert not EXTERNAL.findall(page)
    assert "@import" not in page


def test_login_page_loads_nothing_from_the_internet(db: None) -> None:
    page = html(Client().get("/login/"))
    assert not EXTERNAL.findall(page)


def test_vendored_assets_are_served_from_static(world: World) -> None:
    page = html(world.client("district_admin").get("/"))
    for asset in (
        "/static/vendor/tabler-core/1.6.1/tabler.min.css",
        "/static/vendor/tabler-core/1.6.1/tabler.min.js",
        "/static/vendor/htmx/2.0.11/htmx.min.js",
        "/static/vendor/alpinejs/3.17.5/alpine.min.js",
    ):
        assert asset in page
        assert (VENDOR / asset.removeprefix("/static/vendor/")).is_file()


def test_vendored_files_have_licences_and_no_remote_references() -> None:
    versions = (VENDOR / "VERSIONS.md").read_text()
    for package, version in (("tabler-core", "1.6.1"), ("htmx", "2.0.11"), ("alpinejs", "3.17.5")):
        folder = VENDOR / package / version
        assert (folder / "LICENSE").is_file()
        assert version in versions
    css = (VENDOR / "tabler-core" / "1.6.1" / "tabler.min.css").read_text()
    assert "@import" not in css
    remote = [u for u in re.findall(r"url\(([^)]*)\)", css) if re.search(r"https?://", u) and "data:" not in u]
    assert remote == []
    assert "fonts.googleapis" not in css


def test_body_sends_the_csrf_token_to_htmx_and_has_a_skip_link(world: World) -> None:
    response = world.client("community_staff").get("/")
    page = html(response)
    token = csrf_token(response)
    assert f"""hx-headers='{{"X-CSRFToken": "{token}"}}'""" in page
    assert '<a class="skip-link" href="#main">' in page
    assert 'id="main"' in page
    assert 'href="/" class="active" aria-current="page"' in page


def test_navigation_collapses_and_stays_usable_without_javascript(world: World) -> None:
    page = html(world.client("community_staff").get("/"))
    assert 'data-bs-target="#sidebar-menu"' in page
    assert "<noscript><style>.navbar-collapse.collapse { display: block !important; }" in page


@pytest.mark.parametrize(
    ("persona", "present", "absent"),
    [
        ("district_admin", {"/audit/", "/persons/", "/regions/", "/grids/", "/api/docs/"}, set()),
        ("street_staff", {"/persons/", "/regions/", "/grids/"}, {"/audit/"}),
        ("party_member", {"/regions/"}, {"/persons/", "/audit/"}),
        ("resident", set(), {"/persons/", "/regions/", "/grids/", "/audit/", "/api/docs/"}),
    ],
)
def test_side_bar_shows_only_permitted_modules(world: World, persona: str, present: set[str], absent: set[str]) -> None:
    nav = sidebar(html(world.client(persona).get("/")))
    assert {url for url in present | absent if f'href="{url}"' in nav} == present


def test_side_bar_module_names_in_chinese(world: World) -> None:
    assert "审计日志" in sidebar(html(world.client("district_admin").get("/")))
    resident = sidebar(html(world.client("resident").get("/")))
    assert "人员" not in resident
    assert "审计日志" not in resident


def test_user_menu_has_a_post_logout(world: World) -> None:
    page = html(world.client("grid_worker").get("/"))
    assert re.search(r'<form class="logout-form" action="/logout/" method="post">', page)


# The region switcher


def switch(client: Client, region: object, next_url: str = "/") -> object:
    return client.post("/switch-region/", {"region": region, "next": next_url})


def test_switcher_lists_the_top_level_and_the_level_below(world: World) -> None:
    response = world.client("district_admin").get("/")
    options = response.context["switcher"].options
    assert [o["name"] for o in options] == ["名山街道", "东岳社区", "北辰社区", "南江街道", "江滨社区", "南观社区"]
    page = html(response)
    assert 'action="/switch-region/"' in page


def test_switcher_of_a_community_worker_stays_in_the_community(world: World) -> None:
    response = world.client("community_staff").get("/")
    assert [o["name"] for o in response.context["switcher"].options] == ["东岳社区", "东岳花园"]
    assert SIBLING_MARK not in html(response)


def test_switcher_is_hidden_when_there_is_nothing_to_choose(world: World) -> None:
    page = html(world.client("compound_secretary").get("/"))
    assert 'action="/switch-region/"' not in page
    assert 'action="/switch-region/"' not in html(world.client("resident").get("/"))


def test_community_staff_cannot_switch_to_a_sibling_region(world: World) -> None:
    client = world.client("community_staff")
    for region in (world.communities["beichen"].region, world.communities["beichen"].compound, world.district):
        assert switch(client, region.pk).status_code == 404  # type: ignore[attr-defined]
        assert SESSION_KEY not in client.session
    assert switch(client, "not-a-number").status_code == 404  # type: ignore[attr-defined]


def test_switching_narrows_and_redirects_back(world: World) -> None:
    client = world.client("street_staff")
    dongyue = world.communities["dongyue"].region
    response = switch(client, dongyue.pk, "/grids/")
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert response["Location"] == "/grids/"  # type: ignore[index]
    assert client.session[SESSION_KEY] == dongyue.pk
    page = html(client.get("/"))
    assert 'aria-current="location">东岳社区</li>' in page
    # Back to the whole scope.
    switch(client, "")
    assert SESSION_KEY not in client.session


def test_switch_refuses_a_redirect_to_another_site(world: World) -> None:
    client = world.client("street_staff")
    response = switch(client, world.communities["dongyue"].region.pk, "https://example.com/")
    assert response["Location"] == "/"  # type: ignore[index]


def test_street_staff_narrowed_to_a_community_sees_only_its_persons(world: World) -> None:
    client = world.client("street_staff")
    switch(client, world.communities["dongyue"].region.pk)
    response = client.get("/persons/")
    names = {person.name for person in response.context["object_list"]}
    assert names == {"东岳张伟", "东岳李娜"}
    assert "北辰" not in html(response).split('id="main"', 1)[1]


def test_a_narrowed_region_never_widens_the_scope(world: World) -> None:
    """A region out of scope in the session (stale, or forged) is ignored and forgotten, never obeyed."""
    client = world.client("community_staff")
    session = client.session
    session[SESSION_KEY] = world.streets["mingshan"].pk
    session.save()
    response = client.get("/")
    assert response.context["switcher"].current is None
    counts = {str(item["url"]): item["value"] for item in response.context["counts"]}
    assert counts["web:person_list"] == 2
    assert SESSION_KEY not in client.session
    assert SIBLING_MARK not in html(response)


def test_switcher_search_finds_only_visible_regions(world: World) -> None:
    page = html(world.client("community_staff").get("/switch-region/", {"q": "花园"}))
    assert "东岳花园" in page
    assert SIBLING_MARK not in page
    street = html(world.client("street_staff").get("/switch-region/", {"q": "北辰"}))
    assert "北辰社区" in street and "北辰花园" in street
    assert "江滨" not in street


def test_switcher_needs_a_login(db: None) -> None:
    assert Client().post("/switch-region/", {"region": ""}).status_code == 302


# Language


def test_language_switch(world: World) -> None:
    client = world.client("community_staff")
    page = client.get("/")
    assert '<html lang="zh-hans">' in html(page)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": csrf_token(page)})
    assert response.status_code == 302
    english = html(client.get("/"))
    assert '<html lang="en">' in english
    assert "Workbench" in english
    assert 'action="/i18n/setlang/"' in english


def test_links_to_pages_of_other_parts_appear_once_those_pages_exist(world: World) -> None:
    """Organisations, imports and the portal are linked only when their URL resolves (they plug in later)."""
    assert url_or_none("web:no_such_page") is None
    admin = sidebar(html(world.client("district_admin").get("/")))
    party = sidebar(html(world.client("party_member").get("/")))
    resident = sidebar(html(world.client("resident").get("/")))
    organizations, imports, portal = (
        url_or_none(n) for n in ("web:organization_list", "imports:job_list", "portal:home")
    )
    if organizations:
        assert f'href="{organizations}"' in admin and f'href="{organizations}"' in party
        assert f'href="{organizations}"' not in resident
    if imports:
        assert f'href="{imports}"' in admin
        assert f'href="{imports}"' not in party and f'href="{imports}"' not in resident
    if portal:
        assert f'href="{portal}"' in resident
