"""Token login (with django-axes lockout), token and session authentication, and the 401 shape."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from grassroots.accounts.models import User
from tests.api.conftest import assert_error
from tests.conftest import PASSWORD, World

TOKEN_URL = "/api/v1/auth/token/"


def login(username: str, password: str, ip: str = "127.0.0.1") -> Any:
    return APIClient().post(TOKEN_URL, {"username": username, "password": password}, format="json", REMOTE_ADDR=ip)


def test_token_login_returns_the_users_token_and_it_authenticates(world: World) -> None:
    response = login("community_staff", PASSWORD)

    assert response.status_code == 200
    token = Token.objects.get(user=world.users["community_staff"])
    assert response.json() == {"token": token.key}
    assert User.objects.get(username="community_staff").last_login is not None
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    listed = client.get("/api/v1/regions/")
    assert listed.status_code == 200
    assert listed.json()["count"] == 4


def test_a_second_login_returns_the_same_token(world: World) -> None:
    first = login("community_staff", PASSWORD).json()["token"]
    assert login("community_staff", PASSWORD).json()["token"] == first
    assert Token.objects.count() == 1


def test_bad_password_is_a_400_with_the_error_shape_and_no_token(world: World) -> None:
    response = login("community_staff", "wrong-password")

    body = assert_error(response, 400, "invalid_credentials")
    assert body["fields"] == {}
    assert Token.objects.count() == 0


def test_unknown_user_gets_the_same_answer_as_a_bad_password(world: World) -> None:
    assert_error(login("nobody", "wrong-password"), 400, "invalid_credentials")


def test_inactive_user_cannot_obtain_a_token(world: World) -> None:
    User.objects.filter(username="community_staff").update(is_active=False)
    assert_error(login("community_staff", PASSWORD), 400, "invalid_credentials")
    assert Token.objects.count() == 0


def test_missing_fields_are_field_errors(world: World) -> None:
    response = APIClient().post(TOKEN_URL, {"username": "community_staff"}, format="json")

    body = assert_error(response, 400, "invalid")
    assert list(body["fields"]) == ["password"]


def test_lockout_after_the_failure_limit_even_with_the_right_password(world: World) -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    for _attempt in range(4):
        assert_error(login("community_staff", "wrong-password"), 400, "invalid_credentials")

    fifth = login("community_staff", "wrong-password")
    assert_error(fifth, 429, "locked_out")
    assert "30" in fifth.json()["message"]  # AXES_COOLOFF_TIME: half an hour

    assert_error(login("community_staff", PASSWORD), 429, "locked_out")
    assert Token.objects.count() == 0
    # The refused sixth attempt counts too (axes' AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT default).
    assert AccessAttempt.objects.get(username="community_staff").failures_since_start == 6


def test_lockout_is_per_user_name_and_address(world: World) -> None:
    for _attempt in range(5):
        login("community_staff", "wrong-password")

    assert login("community_staff", PASSWORD, ip="10.0.0.9").status_code == 200
    assert login("street_staff", PASSWORD).status_code == 200


def test_a_successful_login_resets_the_failure_count(world: World) -> None:
    for _attempt in range(4):
        login("community_staff", "wrong-password")
    assert login("community_staff", PASSWORD).status_code == 200

    for _attempt in range(4):
        assert_error(login("community_staff", "wrong-password"), 400, "invalid_credentials")
    assert login("community_staff", PASSWORD).status_code == 200


def test_token_login_ignores_a_session_and_needs_no_csrf_token(world: World) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.users["street_staff"])

    response = client.post(TOKEN_URL, {"username": "community_staff", "password": PASSWORD}, format="json")
    assert response.status_code == 200


def test_session_authentication_works(world: World) -> None:
    client = APIClient()
    client.force_login(world.users["community_staff"])

    response = client.get("/api/v1/persons/")
    assert response.status_code == 200
    assert response.json()["count"] == 2


def test_session_post_without_csrf_token_is_refused(world: World) -> None:
    from grassroots.core.models import AuditEvent

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.users["community_staff"])
    person = world.communities["dongyue"].persons[0]

    response = client.post(f"/api/v1/persons/{person.pk}/unmask/", {}, format="json")
    assert_error(response, 403, "permission_denied")
    assert not AuditEvent.objects.filter(action="unmask").exists()


@pytest.mark.parametrize("url", ["/api/v1/regions/", "/api/v1/grids/", "/api/v1/organizations/", "/api/v1/persons/"])
def test_anonymous_is_a_401_with_a_token_challenge(world: World, url: str) -> None:
    response = APIClient().get(url)

    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Token"


def test_a_bad_token_is_a_401(world: World) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")

    assert_error(client.get("/api/v1/regions/"), 401, "authentication_failed")
