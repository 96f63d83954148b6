"""The OpenAPI document and the documentation pages (served offline, from our own static files)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from drf_spectacular.validation import validate_schema

from tests.conftest import World

CASE_ACTIONS = ("accept", "reject", "claim", "release", "fulfil", "rate", "escalate")
RESOURCE_PATHS = {
    "/api/v1/auth/token/": {"post"},
    "/api/v1/regions/": {"get"},
    "/api/v1/regions/{id}/": {"get"},
    "/api/v1/grids/": {"get"},
    "/api/v1/grids/{id}/": {"get"},
    "/api/v1/organizations/": {"get"},
    "/api/v1/organizations/{id}/": {"get"},
    "/api/v1/persons/": {"get"},
    "/api/v1/persons/{id}/": {"get"},
    "/api/v1/persons/{id}/unmask/": {"post"},
    "/api/v1/catalogue/categories/": {"get"},
    "/api/v1/catalogue/categories/{id}/": {"get"},
    "/api/v1/catalogue/items/": {"get"},
    "/api/v1/catalogue/items/{id}/": {"get"},
    "/api/v1/cases/": {"get", "post"},
    "/api/v1/cases/{id}/": {"get"},
    **{f"/api/v1/cases/{{id}}/{action}/": {"post"} for action in CASE_ACTIONS},
    "/api/v1/whistles/": {"get", "post"},
    "/api/v1/whistles/{id}/": {"get"},
    **{
        f"/api/v1/whistles/{{id}}/{action}/": {"post"}
        for action in ("acknowledge", "report", "feedback", "rate", "close", "cancel")
    },
    "/api/v1/departments/scorecards/": {"get"},
    "/api/v1/departments/{id}/scorecard/": {"get"},
    **{
        path: ops
        for kind in ("unit-reports", "member-reports")
        for path, ops in {
            f"/api/v1/frontline/{kind}/": {"get", "post"},
            f"/api/v1/frontline/{kind}/{{id}}/": {"get"},
            f"/api/v1/frontline/{kind}/{{id}}/confirm/": {"post"},
            f"/api/v1/frontline/{kind}/{{id}}/withdraw/": {"post"},
        }.items()
    },
    "/api/v1/frontline/points/": {"get"},
    "/api/v1/metrics/": {"get"},
    "/api/v1/metrics/values/": {"get"},
    "/api/v1/campaigns/": {"get"},
    "/api/v1/campaigns/{id}/": {"get"},
    "/api/v1/campaigns/{id}/shifts/": {"get"},
    **{
        f"/api/v1/campaigns/{{id}}/shifts/{{shift_id}}/{action}/": {"post"}
        for action in ("signup", "checkin", "checkout")
    },
}


@pytest.fixture
def schema(db: None) -> dict[str, Any]:
    response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def test_schema_is_valid_openapi_3_with_exactly_our_paths(schema: dict[str, Any]) -> None:
    validate_schema(schema)  # raises on an invalid document
    assert schema["openapi"].startswith("3.")
    assert {path: set(ops) - {"parameters"} for path, ops in schema["paths"].items()} == RESOURCE_PATHS


def test_schema_documents_token_and_session_authentication(schema: dict[str, Any]) -> None:
    assert set(schema["components"]["securitySchemes"]) == {"tokenAuth", "cookieAuth"}
    assert "security" not in schema["paths"]["/api/v1/auth/token/"]["post"]  # no login needed to log in
    assert schema["paths"]["/api/v1/persons/"]["get"]["security"] == [{"tokenAuth": []}, {"cookieAuth": []}]


def test_schema_documents_filters_and_pagination(schema: dict[str, Any]) -> None:
    params = {p["name"] for p in schema["paths"]["/api/v1/persons/"]["get"]["parameters"]}
    assert params == {"page", "page_size", "q", "region", "grid"}
    params = {p["name"] for p in schema["paths"]["/api/v1/regions/"]["get"]["parameters"]}
    assert params == {"page", "page_size", "kind", "parent", "q"}
    listed = schema["components"]["schemas"]["PaginatedPersonListList"]["properties"]
    assert set(listed) == {"count", "next", "previous", "results"}


def test_person_schemas_expose_only_masked_numbers(schema: dict[str, Any]) -> None:
    components = schema["components"]["schemas"]
    person_list = set(components["PersonList"]["properties"])
    person_detail = set(components["PersonDetail"]["properties"])
    for fields in (person_list, person_detail):
        assert {"id_number_masked", "mobile_masked"} <= fields
        assert not fields & {"id_number", "mobile", "birth_date", "id_number_hash", "mobile_hash"}
    assert "address" not in person_list
    assert set(components["UnmaskedNumbers"]["properties"]) == {"id_number", "mobile"}


def _external_urls(html: str) -> list[str]:
    return re.findall(r"""https?://[^\s"'<>]+""", html)


def test_docs_page_loads_everything_from_our_static_files(world: World) -> None:
    response = Client().get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert _external_urls(html) == []
    scripts = re.findall(r"""<script[^>]*\ssrc=["']([^"']+)""", html)
    assert scripts
    assert all(src.startswith("/static/") for src in scripts), scripts
    assets = ["swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css", "favicon-32x32.png"]
    for asset in assets:
        static_url = f"/static/drf_spectacular_sidecar/swagger-ui-dist/{asset}"
        assert static_url in html
        assert Client().get(static_url).status_code == 200, static_url


def test_there_is_no_redoc_page_loading_google_fonts(world: World) -> None:
    assert Client().get("/api/redoc/").status_code == 404


def test_swagger_ui_does_not_call_the_online_validator(world: World) -> None:
    html = Client().get("/api/docs/").content.decode()

    assert '"validatorUrl": null' in html
    assert '"deepLinking": true' in html
