"""Shared API machinery: the error shape, pagination, the capability check and the scoped viewset base.

Every resource of the REST API is a ``ScopedReadOnlyViewSet``: the list comes from the app's ``<entity>_list``
selector and the detail from its ``<entity>_get`` selector, both of which filter through
``Model.objects.visible_to(user)``, so an object outside the user's scope is a 404 (existence does not leak).
A role that lacks the resource's capability altogether gets a 403 before any row is read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from grassroots.accounts.roles import has_capability
from grassroots.core.errors import ApplicationError
from grassroots.core.pagination import StandardPagination

M = TypeVar("M", bound=models.Model)


def _error(code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "fields": fields or {}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map every error to ``{"code", "message", "fields"}``.

    Django's ``Http404`` and ``PermissionDenied`` are turned into DRF's own exceptions first (DRF would do the
    same, but after this function had already decided the shape). A 404 says only "Not found.": the message
    of ``get_object_or_404`` would name the model.
    """
    if isinstance(exc, ApplicationError):
        return Response(_error(exc.code, exc.message, exc.fields), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(_error("invalid", "; ".join(exc.messages), fields), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    detail = response.data
    codes = exc.get_codes()
    if isinstance(detail, dict) and "detail" not in detail:
        # Field errors of a serializer: {"field": ["message", …], …}
        response.data = _error("invalid", str(exc.default_detail), detail)
    elif isinstance(detail, list):
        # ValidationError("message", code=…) raised outside a field
        code = codes[0] if isinstance(codes, list) and len(codes) == 1 and isinstance(codes[0], str) else "invalid"
        message = str(detail[0]) if len(detail) == 1 else str(exc.default_detail)
        response.data = _error(code, message, {"non_field_errors": detail} if len(detail) > 1 else {})
    else:
        message = str(detail.get("detail", exc.default_detail)) if isinstance(detail, dict) else str(detail)
        code = codes if isinstance(codes, str) else exc.default_code
        response.data = _error(str(code), message)
    return response


class HasCapability(BasePermission):
    """The user holds the view's ``capability`` through at least one role (anywhere: rows are then scoped)."""

    message = gettext_lazy("Your role does not give access to this part of the system.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        capability: str | None = getattr(view, "capability", None)
        if not capability:
            return False  # a view that names no capability is closed, not open
        return has_capability(request.user, capability)


@extend_schema_field(OpenApiTypes.STR)
class MaskedField(serializers.Field):  # type: ignore[type-arg]
    """A read-only string passed through a mask (``mask_mobile``, ``mask_id_number``) on the way out.

    The clear value never reaches the response: ``MaskedField(mask_mobile, source="mobile")``.
    """

    def __init__(self, mask: Callable[[str | None], str], **kwargs: Any) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)
        self.mask = mask

    def to_representation(self, value: Any) -> str:
        return self.mask(value if value is None else str(value))


class ScopedReadOnlyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[M]):
    """Read-only resource over a scoped model.

    Subclasses set ``queryset = Model.objects.none()`` (names the model for routers, the schema and the scope
    tests; it is never evaluated), ``capability``, ``serializer_class`` (detail), ``list_serializer_class``,
    ``filter_serializer_class`` (query parameters of the list), and implement ``select_list`` and
    ``select_one`` by calling the app's selectors.
    """

    capability: ClassVar[str] = ""
    list_serializer_class: ClassVar[type[serializers.BaseSerializer[Any]] | None] = None
    filter_serializer_class: ClassVar[type[serializers.Serializer[Any]] | None] = None

    # Token first, so that an unauthenticated request is a 401 with a WWW-Authenticate header, not a 403.
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated, HasCapability]
    pagination_class = StandardPagination
    filter_backends: list[Any] = []
    lookup_value_converter = "int"  # routes are "<prefix>/<int:pk>/"

    def select_list(self, *, user: Any, **filters: Any) -> QuerySet[M]:
        raise NotImplementedError

    def select_one(self, *, user: Any, pk: int) -> M:
        raise NotImplementedError

    def list_filters(self) -> dict[str, Any]:
        """The validated query parameters of the list (400 with field errors when malformed)."""
        if self.filter_serializer_class is None:
            return {}
        params = self.filter_serializer_class(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return {key: value for key, value in params.validated_data.items() if value not in (None, "")}

    def get_queryset(self) -> QuerySet[M]:
        return self.select_list(user=self.request.user, **self.list_filters())

    def get_object(self) -> M:
        pk = int(self.kwargs[self.lookup_url_kwarg or self.lookup_field])  # the route's converter is "int"
        obj = self.select_one(user=self.request.user, pk=pk)
        self.check_object_permissions(self.request, obj)
        return obj

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "list" and self.list_serializer_class is not None:
            return self.list_serializer_class
        return super().get_serializer_class()
