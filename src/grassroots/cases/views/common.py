"""What the staff case pages share: fetching a case through the user's visibility (else 404), where a POST
returns to."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from grassroots.accounts.enums import Capability
from grassroots.cases import selectors
from grassroots.cases.models import Case
from grassroots.core.scope import scope_q


def case_or_404(request: HttpRequest, pk: int) -> Case:
    try:
        return selectors.case_get(user=request.user, pk=pk)
    except Case.DoesNotExist as exc:
        raise Http404 from exc


def sees_as_staff(user: Any, case: Case) -> bool:
    """Whether the case lies in the user's case-viewing scope (not only asked or claimed by them)."""
    if getattr(user, "is_superuser", False):
        return True
    return Case.objects.filter(scope_q(Case, user, Capability.VIEW_CASES), pk=case.pk).exists()


def safe_next(request: HttpRequest, default: str) -> str:
    """The page a form came from (``next``), when it is a path on this site; else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return default
