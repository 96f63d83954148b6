"""What the frontline viewsets share: the error responses of the schema, input parsing and id lookups."""

from __future__ import annotations

from typing import TypeVar

from django.db import models
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse

from grassroots.cases.api import parse
from grassroots.cases.serializers import CaseErrorSerializer
from grassroots.core.errors import ApplicationError

M = TypeVar("M", bound=models.Model)


def error(description: str) -> OpenApiResponse:
    return OpenApiResponse(CaseErrorSerializer, description=description)


NOT_FOUND = error("Nothing with this id among what the user may see.")
ACTION_ERRORS = {
    400: error("Bad input, with messages per field."),
    403: error("The user may see it but not do this (code not_allowed)."),
    404: NOT_FOUND,
    409: error("Its state does not allow it now (code invalid_state, …)."),
}
CREATE_ERRORS = {
    400: error("Bad input, with messages per field; nothing is written."),
    403: error("The user may not do this here (code not_allowed)."),
}


def resolve(rows: models.QuerySet[M], pk: int, *, code: str, field: str, message: str) -> M:
    """The row ``pk`` among ``rows``; an unknown id (or one the user may not name) is a 400 on ``field``."""
    found = rows.filter(pk=pk).first()
    if found is None:
        raise ApplicationError(code, _("Please correct the errors below."), fields={field: [message]})
    return found


def resolve_optional(rows: models.QuerySet[M], pk: int | None, *, code: str, field: str, message: str) -> M | None:
    """As ``resolve``; None when no id was given."""
    return None if pk is None else resolve(rows, pk, code=code, field=field, message=message)


__all__ = ["ACTION_ERRORS", "CREATE_ERRORS", "NOT_FOUND", "error", "parse", "resolve", "resolve_optional"]
