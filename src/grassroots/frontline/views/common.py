"""What the frontline staff pages share: who may open them (staff by capability, units' admins by the
organisation they act for), where a POST returns to, and turning a service's refusal into form errors."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from grassroots.accounts.enums import Capability, Role
from grassroots.accounts.roles import has_capability, organizations_for
from grassroots.core.errors import ApplicationError
from grassroots.web.forms import apply_error
from grassroots.web.views.base import CapabilityRequiredMixin


def unit_ids(user: Any) -> list[int]:
    """The units the user administers (``RoleAssignment.organization`` of their unit-admin roles)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return organizations_for(user, Role.UNIT_ADMIN)


def is_unit_admin(user: Any) -> bool:
    return bool(unit_ids(user))


def can_view_frontline(user: Any) -> bool:
    return has_capability(user, Capability.VIEW_FRONTLINE)


def can_manage_frontline(user: Any) -> bool:
    return has_capability(user, Capability.MANAGE_FRONTLINE)


class FrontlineMixin(CapabilityRequiredMixin):
    """Staff who may see the dual-reporting data (VIEW_FRONTLINE); with ``allow_unit_admin`` a unit admin too.

    Which rows each of them sees is the selectors' business; out-of-scope objects are a 404.
    """

    capability: ClassVar[str | None] = Capability.VIEW_FRONTLINE
    allow_unit_admin: ClassVar[bool] = False
    unit_admin_only: ClassVar[bool] = False

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated:
            return self.handle_no_permission()
        if self.unit_admin_only:
            allowed = is_unit_admin(user) or bool(user.is_superuser)
        else:
            allowed = self.capability is None or has_capability(user, str(self.capability))
            if not allowed and self.allow_unit_admin:
                allowed = is_unit_admin(user)
        if not allowed:
            raise PermissionDenied
        # The capability was checked above (with the unit admin's alternative); skip the base class's check.
        return super(CapabilityRequiredMixin, self).dispatch(request, *args, **kwargs)


def safe_next(request: HttpRequest, default: str) -> str:
    """The page a form came from (``next``), when it is a path on this site; else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return default


def form_error(form: forms.Form, exc: ApplicationError) -> None:
    """A service's refusal under the form (field errors where the fields exist); 403 stays a 403."""
    if exc.status == 403:
        raise PermissionDenied(exc.message) from exc
    apply_error(form, exc)


def current_year() -> int:
    return timezone.localdate().year
