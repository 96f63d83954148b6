"""What every page view shares: login, a capability check, breadcrumbs and the page size."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponseBase
from django.utils.functional import Promise

from grassroots.accounts.roles import has_capability

PAGE_SIZE = 50

Crumb = tuple[str | Promise, str | None]


class CapabilityRequiredMixin(LoginRequiredMixin):
    """Anonymous users go to the login page; users whose roles lack ``capability`` get 403.

    Out-of-scope objects are a 404, which the selectors (``*_get``) take care of.
    """

    capability: ClassVar[str | None] = None
    scoped_model: ClassVar[type[models.Model] | None] = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.capability is not None and not has_capability(request.user, self.capability):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs(self) -> list[Crumb]:
        return []

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["breadcrumbs"] = self.get_breadcrumbs()
        return context
