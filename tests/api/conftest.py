"""Helpers for API tests: a DRF client logged in as one of the ``world`` personas."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.conftest import World

ERROR_KEYS = {"code", "message", "fields"}

Api = Callable[[str | None], APIClient]


@pytest.fixture
def api(world: World) -> Api:
    """``api("community_staff")``: a client authenticated as that persona (``api(None)``: anonymous)."""

    def make(persona: str | None) -> APIClient:
        client = APIClient()
        if persona is not None:
            client.force_authenticate(world.users[persona])
        return client

    return make


def results(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == len(body["results"]), "test data is expected to fit in one page"
    return list(body["results"])


def names(response: Any) -> set[str]:
    return {row["name"] for row in results(response)}


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body: dict[str, Any] = response.json()
    assert set(body) == ERROR_KEYS, body
    assert body["code"] == code, body
    assert isinstance(body["message"], str)
    assert body["message"]
    return body
