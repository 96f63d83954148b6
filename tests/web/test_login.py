"""Login, logout, lockout and the language switch."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import PASSWORD, World
from tests.web.helpers import csrf_token, html


def test_login_page_renders(db: None) -> None:
    response = Client().get("/login/")
    assert response.status_code == 200
    assert 'name="username"' in html(response)
    assert 'name="password"' in html(response)


def test_login_with_good_credentials_lands_on_the_workbench(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    token = csrf_token(client.get("/login/"))
    response = client.post(
        "/login/", {"username": "community_staff", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_login_with_a_bad_password_shows_an_error(world: World) -> None:
    client = Client()
    response = client.post("/login/", {"username": "community_staff", "password": "wrong-password"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert 'class="alert alert-error"' in html(response)
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_account_for_thirty_minutes(world: World) -> None:
    client = Client()
    for _ in range(5):
        client.post("/login/", {"username": "community_staff", "password": "wrong-password"})
    response = client.post("/login/", {"username": "community_staff", "password": PASSWORD})
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert "30" in html(response)
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post(world: World) -> None:
    client = world.client("community_staff")
    assert client.get("/logout/").status_code == 405
    response = client.post("/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # back to the login page


@pytest.mark.parametrize("url", ["/", "/regions/", "/grids/", "/persons/", "/audit/", "/persons/1/"])
def test_pages_need_a_login(db: None, url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_switching_to_english_changes_the_page(world: World) -> None:
    client = world.client("community_staff")
    chinese = html(client.get("/persons/"))
    assert 'lang="zh-hans"' in chinese
    assert "Log out" not in chinese
    token = csrf_token(client.get("/persons/"))
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/persons/", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    english = html(client.get("/persons/"))
    assert 'lang="en"' in english
    assert "Log out" in english
