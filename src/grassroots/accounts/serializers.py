"""Serializers of the accounts API: obtaining a token."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class TokenCredentialsSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(label=_("User name"), max_length=150, write_only=True)
    password = serializers.CharField(
        label=_("Password"), max_length=128, trim_whitespace=False, write_only=True, style={"input_type": "password"}
    )


class TokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(read_only=True, help_text=_("Send it as the header 'Authorization: Token <token>'."))
