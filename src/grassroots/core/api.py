"""Shared API machinery: the error shape and the scoped viewset base."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from grassroots.core.errors import ApplicationError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map every error to ``{"code", "message", "fields"}``."""
    if isinstance(exc, ApplicationError):
        return Response({"code": exc.code, "message": exc.message, "fields": exc.fields}, status=exc.status)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(
            {"code": "invalid", "message": "; ".join(exc.messages), "fields": fields},
            status=status.HTTP_400_BAD_REQUEST,
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.APIException):
        detail = response.data
        fields: dict[str, Any] = {}
        if isinstance(detail, dict) and "detail" not in detail:
            fields = detail
            message = str(exc.default_detail)
        else:
            message = str(detail.get("detail", exc.default_detail) if isinstance(detail, dict) else detail)
        code = exc.get_codes()
        if isinstance(code, dict) or isinstance(code, list):
            code = exc.default_code
        response.data = {"code": code, "message": message, "fields": fields}
    return response
