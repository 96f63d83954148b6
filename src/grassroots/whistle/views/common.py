"""What the whistle pages and the API share: who may use them, fetching a whistle in scope (else 404), the month
of a scorecard, the department a scorecard is about, and how a call's deadlines read."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from grassroots.accounts.enums import Capability, Role
from grassroots.accounts.roles import has_capability, roles_of
from grassroots.organizations.models import Organization
from grassroots.whistle import selectors
from grassroots.whistle.enums import AWAITING_FEEDBACK, AWAITING_REPORT, CallStatus, WhistleStatus
from grassroots.whistle.models import Whistle, WhistleCall
from grassroots.whistle.rules import department_ids

MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def answers_for_departments(user: Any) -> bool:
    """Whether the user is staff of at least one department (the role is checked first: no query for others)."""
    if not getattr(user, "is_authenticated", False) or Role.DEPARTMENT_STAFF not in roles_of(user):
        return False
    return bool(department_ids(user))


def may_use_whistles(user: Any) -> bool:
    """Street, community and district staff (``view_whistles``), and department staff (their calls)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return has_capability(user, Capability.VIEW_WHISTLES) or answers_for_departments(user)


def whistle_or_404(request: HttpRequest, pk: int) -> Whistle:
    """The whistle with its calls (departments) and origin case, if the user may see it."""
    try:
        return selectors.whistle_get(user=request.user, pk=pk)
    except Whistle.DoesNotExist as exc:
        raise Http404 from exc


def call_or_404(whistle: Whistle, call_pk: int) -> WhistleCall:
    for call in whistle.calls.all():
        if call.pk == call_pk:
            return call
    raise Http404


def month_from_text(text: str | None) -> dt.date | None:
    """``2025-03`` → 2025-03-01; anything else → None."""
    match = MONTH_RE.match((text or "").strip())
    if match is None:
        return None
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def scorecard_department(*, user: Any, pk: int) -> Organization:
    """A department the user may know of (``forms.callable_departments``), one of their own departments, or one
    called by a whistle they may see. Anything else is a 404. Its figures are then counted over the calls the
    user may see."""
    from grassroots.whistle.forms import callable_departments

    if not may_use_whistles(user):
        raise Http404
    called = WhistleCall.objects.filter(selectors.call_visibility_q(user)).values("department_id")
    department = (
        callable_departments(user).filter(pk=pk).first()
        or Organization.objects.filter(Q(pk__in=called) | Q(pk__in=department_ids(user)), pk=pk).first()
    )
    if department is None:
        raise Http404
    return department


def safe_next(request: HttpRequest, default: str) -> str:
    """The page a form came from (``next``), when it is a path on this site; else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return default


@dataclass(frozen=True)
class Deadline:
    """How one of a call's deadlines reads now: the time, and whether it is owed, late or met."""

    label: str
    due: dt.datetime | None
    owed: bool
    overdue: bool
    met: bool | None  # on time (True), late (False), or not done yet (None)


def call_deadlines(call: WhistleCall, now: dt.datetime | None = None) -> tuple[Deadline, Deadline]:
    """The report-on-site and the handling deadline of a call, as they read now."""
    from django.utils.translation import gettext as _

    now = now or timezone.now()
    live = (
        call.status != CallStatus.CANCELLED
        and getattr(call.whistle, "status", WhistleStatus.OPEN) == WhistleStatus.OPEN
    )
    report_owed = live and call.status in AWAITING_REPORT
    handle_owed = live and call.status in AWAITING_FEEDBACK
    return (
        Deadline(
            _("Report on site by"),
            call.report_due,
            report_owed,
            report_owed and call.report_due < now,
            call.reported_on_time,
        ),
        Deadline(
            _("Handle by"),
            call.handle_due,
            handle_owed,
            handle_owed and call.handle_due < now,
            call.handled_on_time,
        ),
    )


def call_is_overdue(call: WhistleCall, now: dt.datetime | None = None) -> bool:
    report, handle = call_deadlines(call, now)
    return report.overdue or handle.overdue
