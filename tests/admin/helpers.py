from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.test import Client

from tests.conftest import World


def staff_client(world: World, persona: str) -> Client:
    """A logged-in client for ``persona``, made staff so that the admin opens to them."""
    user = world.users[persona]
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(user)
    return client


def project_admins() -> list[tuple[type[models.Model], Any]]:
    return [(m, a) for m, a in admin.site._registry.items() if m.__module__.startswith("grassroots.")]


def form_data(response: Any) -> dict[str, Any]:
    """The initial data of the admin form on a change page, as a browser would post it back."""
    form = response.context["adminform"].form
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data
