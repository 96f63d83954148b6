"""The case page's actions: one POST view per action, each calling its service.

Invalid input, or a service's field errors, show the case page again with the errors under the form (400) and
nothing written; a refusal or a state the action no longer fits becomes a message; success redirects back (to
``next`` when it is a path on this site, e.g. the wish wall) with a message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views import View

from grassroots.cases import services
from grassroots.cases.models import Case
from grassroots.cases.views.common import case_or_404, safe_next
from grassroots.cases.views.detail import ACTION_FORMS, action_form, render_case_page
from grassroots.core.errors import ApplicationError
from grassroots.web.forms import apply_error
from grassroots.web.views.base import CapabilityRequiredMixin

Runner = Callable[[HttpRequest, Case, dict[str, Any]], Case]


def _accept(request: HttpRequest, case: Case, d: dict[str, Any]) -> Case:
    return services.case_accept(case=case, actor=request.user, note=d.get("note") or "", request=request)


def _reject(request: HttpRequest, case: Case, d: dict[str, Any]) -> Case:
    return services.case_reject(case=case, actor=request.user, reason=d["reason"], request=request)


def _claim(request: HttpRequest, case: Case, d: dict[str, Any]) -> Case:
    return services.case_claim(
        case=case, actor=request.user, on_behalf_of=d["organization"], note=d.get("note") or "", request=request
    )


def _release(request: HttpRequest, case: Case, d: dict[str, Any]) -> Case:
    return services.case_release(case=case, actor=request.user, reason=d["reason"], request=request)


def _fulfil(request: HttpRequest, case: Case, d: dict[str, Any]) -> Case:
    return services.case_fulfil(
        case=case,
        actor=request.user,
        note=d["note"],
        residents_served=d["residents_served"],
        photos=d.get("photos") or [],
        request=request,
    )


def _rate(request: HttpRequest, case: Case, d: dict[str, Any]) -> Case:
    return services.case_rate(
        case=case,
        actor=request.user,
        stars=d["stars"],
        satisfaction=d["satisfaction"],
        resolved=d.get("resolved"),
        comment=d.get("comment") or "",
        request=request,
    )


def _escalate(request: HttpRequest, case: Case, d: dict[str, Any]) -> Case:
    return services.case_escalate(case=case, actor=request.user, reason=d["reason"], request=request)


def _cancel(request: HttpRequest, case: Case, d: dict[str, Any]) -> Case:
    return services.case_cancel(case=case, actor=request.user, reason=d.get("reason") or "", request=request)


def _note(request: HttpRequest, case: Case, d: dict[str, Any]) -> Case:
    return services.case_note_add(
        case=case, actor=request.user, note=d["note"], public=bool(d.get("public")), request=request
    )


RUNNERS: dict[str, Runner] = {
    "accept": _accept,
    "reject": _reject,
    "claim": _claim,
    "release": _release,
    "fulfil": _fulfil,
    "rate": _rate,
    "escalate": _escalate,
    "cancel": _cancel,
    "note": _note,
}


def success_message(action: str, case: Case) -> str:
    number = case.number or ""
    return {
        "accept": _("%(number)s accepted.") % {"number": number},
        "reject": _("%(number)s was not accepted; the resident is told why.") % {"number": number},
        "claim": _("%(number)s claimed by %(who)s.") % {"number": number, "who": case.claimer_label},
        "release": _("The claim on %(number)s was released; it is open for claiming again.") % {"number": number},
        "fulfil": _("%(number)s recorded as fulfilled; it now waits for the resident's rating.") % {"number": number},
        "rate": _("The rating of %(number)s was recorded.") % {"number": number},
        "escalate": _("%(number)s escalated to %(level)s.") % {"number": number, "level": case.get_level_display()},
        "cancel": _("%(number)s withdrawn.") % {"number": number},
        "note": _("Note added."),
    }[action]


class CaseActionView(CapabilityRequiredMixin, View):
    """POST only. ``action`` names the form and the service (see ``RUNNERS``)."""

    http_method_names = ["post"]
    model = Case
    scoped_model = Case
    action: str = ""

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        assert self.action in RUNNERS and self.action in ACTION_FORMS
        case = case_or_404(request, pk)
        back = safe_next(request, case.get_absolute_url())
        form = action_form(self.action, request, case, bound=True)
        if not form.is_valid():
            return self.failed(request, case, form)
        try:
            case = RUNNERS[self.action](request, case, form.cleaned_data)
        except ApplicationError as exc:
            if exc.fields:
                apply_error(form, exc)
                return self.failed(request, case, form)
            messages.error(request, exc.message)
            return HttpResponseRedirect(back)
        messages.success(request, success_message(self.action, case))
        return HttpResponseRedirect(back)

    def failed(self, request: HttpRequest, case: Case, form: forms.Form) -> HttpResponseBase:
        messages.error(request, _("Nothing was changed. Please correct the errors below."))
        fresh = case_or_404(request, case.pk)
        return render_case_page(request, fresh, failed={self.action: form}, status=400)
