"""The one error shape, ``{"code", "message", "fields"}``, for every kind of error a view can raise."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions

from grassroots.core.api import exception_handler
from grassroots.core.errors import ApplicationError


def handle(exc: Exception) -> tuple[int, dict[str, Any]]:
    response = exception_handler(exc, {})
    assert response is not None
    return response.status_code, dict(response.data)


def test_application_error_keeps_code_status_and_fields() -> None:
    exc = ApplicationError("person_invalid", "Not valid.", fields={"name": ["Required."]}, status=409)

    assert handle(exc) == (409, {"code": "person_invalid", "message": "Not valid.", "fields": {"name": ["Required."]}})


def test_django_validation_errors_by_field_and_without() -> None:
    assert handle(DjangoValidationError({"mobile": ["Bad."]})) == (
        400,
        {"code": "invalid", "message": "Bad.", "fields": {"mobile": ["Bad."]}},
    )
    assert handle(DjangoValidationError("Bad.")) == (
        400,
        {"code": "invalid", "message": "Bad.", "fields": {"non_field_errors": ["Bad."]}},
    )


def test_http404_does_not_name_the_model() -> None:
    status, body = handle(Http404("No Person matches the given query."))

    assert status == 404
    assert body["code"] == "not_found"
    assert "Person" not in body["message"]
    assert body["fields"] == {}


def test_django_permission_denied_is_a_403() -> None:
    status, body = handle(DjangoPermissionDenied())

    assert (status, body["code"], body["fields"]) == (403, "permission_denied", {})


def test_serializer_field_errors() -> None:
    status, body = handle(exceptions.ValidationError({"kind": ["Not a choice."]}))

    assert (status, body["code"], body["fields"]) == (400, "invalid", {"kind": ["Not a choice."]})


def test_validation_error_outside_a_field_keeps_its_code() -> None:
    assert handle(exceptions.ValidationError("Nope.", code="too_late")) == (
        400,
        {"code": "too_late", "message": "Nope.", "fields": {}},
    )


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        (exceptions.NotAuthenticated(), 401, "not_authenticated"),
        (exceptions.AuthenticationFailed(), 401, "authentication_failed"),
        (exceptions.MethodNotAllowed("PUT"), 405, "method_not_allowed"),
        (exceptions.Throttled(wait=3), 429, "throttled"),
    ],
)
def test_drf_exceptions_keep_their_codes(exc: Exception, status: int, code: str) -> None:
    got_status, body = handle(exc)

    assert (got_status, body["code"], body["fields"]) == (status, code, {})
    assert body["message"]


def test_unknown_exceptions_are_left_to_django() -> None:
    assert exception_handler(RuntimeError("boom"), {}) is None
