"""What the staff case pages share: fetching a case through the user's visibility (else 404), where a POST
returns to, and which actions the page offers."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from grassroots.accounts.enums import Capability
from grassroots.cases import rules, selectors
from grassroots.cases.enums import ACTIVE_STATUSES, CLAIMABLE_KINDS, CaseLevel, CaseStatus, ClaimOutcome
from grassroots.cases.models import Case, CaseClaim
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


def available_actions(user: Any, case: Case) -> set[str]:
    """The actions the case page offers this user now. The services check again; this only decides what to show."""
    handle = bool(rules.can_handle(user, case))
    claimer = bool(rules.is_claimer(user, case))
    status = case.status
    actions: set[str] = set()
    if handle and status == CaseStatus.PENDING:
        actions |= {"accept", "reject"}
    if handle and status == CaseStatus.OPEN and case.kind in CLAIMABLE_KINDS:
        actions.add("claim")
    if status == CaseStatus.IN_PROGRESS and (handle or claimer):
        actions.add("fulfil")
        claim = CaseClaim.objects.filter(case=case, outcome=ClaimOutcome.ACTIVE).only("release_by").first()
        if claim is not None and (claim.release_by is None or timezone.now() < claim.release_by):
            actions.add("release")
    if handle and status == CaseStatus.FULFILLED:
        actions.add("rate")
    if handle and status in ACTIVE_STATUSES and case.level < CaseLevel.STREET:
        actions.add("escalate")
    if handle and status in (CaseStatus.PENDING, CaseStatus.OPEN):
        actions.add("cancel")
    if handle or claimer:
        actions.add("note")
    return actions
