"""REST API of accounts: exchange a user name and password for an API token.

The password goes through ``django.contrib.auth.authenticate`` with the request, so django-axes (the first
authentication backend) counts failures and locks the user name + address out after ``AXES_FAILURE_LIMIT``,
exactly as on the login page. Axes marks the DRF request it was given; this view turns the mark into a 429
``locked_out`` error (axes' own middleware only sees the Django request and would not).
"""

from __future__ import annotations

import math
from typing import Any

from axes.helpers import get_cool_off
from django.contrib.auth import authenticate, user_logged_in
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.accounts.serializers import TokenCredentialsSerializer, TokenSerializer
from grassroots.core.errors import ApplicationError


class TokenObtainView(APIView):
    """``POST {"username", "password"}`` → ``{"token"}``."""

    authentication_classes: list[Any] = []  # a login needs no prior login (and no CSRF token)
    permission_classes = [AllowAny]
    throttle_classes: list[Any] = []  # django-axes limits attempts per user name and address

    @extend_schema(
        summary="Obtain an API token",
        request=TokenCredentialsSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="invalid_credentials: the user name or password is wrong."),
            429: OpenApiResponse(description="locked_out: too many failed attempts; wait for the cool-off."),
        },
        auth=[],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        params = TokenCredentialsSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        user = authenticate(
            request=request,  # type: ignore[arg-type]  # axes reads and marks the DRF request
            username=params.validated_data["username"],
            password=params.validated_data["password"],
        )
        if user is None:
            if getattr(request, "axes_locked_out", False):
                cool_off = get_cool_off(request)
                minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else 0
                message = (
                    ngettext(
                        "Too many failed login attempts. Try again in %(minutes)d minute.",
                        "Too many failed login attempts. Try again in %(minutes)d minutes.",
                        minutes,
                    )
                    % {"minutes": minutes}
                    if minutes
                    else _("Too many failed login attempts. Ask an administrator to unlock the account.")
                )
                raise ApplicationError("locked_out", message, status=429)
            raise ApplicationError("invalid_credentials", _("The user name or password is wrong."))
        # What a page login does besides the session: axes resets the failure count, Django stamps last_login.
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        token, _created = Token.objects.get_or_create(user=user)
        return Response(TokenSerializer({"token": token.key}).data)
