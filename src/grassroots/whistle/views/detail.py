"""A whistle's page: the matter, each department's card (task, deadlines, progress, rating) with the actions the
user may take on it, the whole whistle's actions (close, cancel), and the timeline. Each action is a POST to its
own URL; invalid input shows the page again with the errors under the form (400) and nothing written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from grassroots.accounts.enums import Capability
from grassroots.accounts.roles import has_capability
from grassroots.cases.models import Case
from grassroots.core.errors import ApplicationError
from grassroots.web.forms import apply_error
from grassroots.web.views.base import CapabilityRequiredMixin
from grassroots.whistle import rules, services
from grassroots.whistle.enums import AWAITING_FEEDBACK
from grassroots.whistle.forms import AcknowledgeForm, CancelForm, CloseForm, FeedbackForm, RateForm, ReportForm
from grassroots.whistle.models import Whistle, WhistleCall, WhistleEvent
from grassroots.whistle.views.common import (
    call_deadlines,
    call_is_overdue,
    call_or_404,
    may_use_whistles,
    safe_next,
    whistle_or_404,
)
from grassroots.whistle.views.tables import call_badge, urgency_badge, whistle_badge

CALL_FORMS: dict[str, type[forms.Form]] = {
    "acknowledge": AcknowledgeForm,
    "report": ReportForm,
    "feedback": FeedbackForm,
    "rate": RateForm,
}
WHISTLE_FORMS: dict[str, type[forms.Form]] = {"close": CloseForm, "cancel": CancelForm}
# Each action's heading and button label.
LABELS: dict[str, tuple[Any, Any]] = {
    "acknowledge": (gettext_lazy("Acknowledge"), gettext_lazy("Acknowledge: we are on our way")),
    "report": (gettext_lazy("Report on site"), gettext_lazy("Report on site")),
    "feedback": (gettext_lazy("Feed back"), gettext_lazy("Send the feedback")),
    "rate": (gettext_lazy("Rate this department"), gettext_lazy("Save the rating")),
    "close": (gettext_lazy("Close the whistle"), gettext_lazy("Close")),
    "cancel": (gettext_lazy("Cancel the whistle"), gettext_lazy("Cancel the whistle")),
}
DANGEROUS = frozenset({"cancel"})


class WhistleAccessMixin(CapabilityRequiredMixin):
    """Staff with ``view_whistles`` and department staff; the whistle itself is then fetched in scope (else 404)."""

    model: ClassVar[type[models.Model]] = Whistle
    scoped_model: ClassVar[type[models.Model] | None] = Whistle

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not may_use_whistles(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _prefix(action: str, call: WhistleCall | None) -> str:
    return f"call{call.pk}-{action}" if call is not None else action


def action_form(
    action: str, request: HttpRequest, call: WhistleCall | None = None, *, bound: bool = False
) -> forms.Form:
    form_class = CALL_FORMS[action] if call is not None else WHISTLE_FORMS[action]
    if bound:
        return form_class(request.POST, request.FILES, prefix=_prefix(action, call))
    return form_class(prefix=_prefix(action, call))


def _entry(
    action: str, request: HttpRequest, whistle: Whistle, call: WhistleCall | None, failed: dict[str, forms.Form]
) -> dict[str, Any]:
    key = _prefix(action, call)
    if call is not None:
        url = reverse(f"whistle:call_{action}", args=[whistle.pk, call.pk])
    else:
        url = reverse(f"whistle:whistle_{action}", args=[whistle.pk])
    return {
        "name": action,
        "title": LABELS[action][0],
        "button": LABELS[action][1],
        "form": failed.get(key) or action_form(action, request, call),
        "url": url,
        "danger": action in DANGEROUS,
        "open": key in failed or action not in DANGEROUS,
        "multipart": action == "report",
    }


def _events(whistle: Whistle) -> list[WhistleEvent]:
    return list(whistle.events.select_related("call__department").order_by("at", "id"))


def render_whistle_page(
    request: HttpRequest, whistle: Whistle, *, failed: dict[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    failed = failed or {}
    now = timezone.now()
    cards = []
    for call in whistle.calls.all():
        call.whistle = whistle  # the prefetched calls share the page's whistle (no query per call)
        allowed = rules.call_actions(user, call, whistle)
        cards.append(
            {
                "call": call,
                "badge": call_badge(call),
                "deadlines": call_deadlines(call, now),
                "overdue": call_is_overdue(call, now),
                "actions": [_entry(a, request, whistle, call, failed) for a in CALL_FORMS if a in allowed],
                "photo_url": reverse("whistle:call_photo", args=[whistle.pk, call.pk]) if call.report_photo else "",
            }
        )
    allowed = rules.whistle_actions(user, whistle)
    whistle_forms = [_entry(a, request, whistle, None, failed) for a in WHISTLE_FORMS if a in allowed]
    case: Case | None = whistle.origin_case
    case_url = None
    if case is not None and has_capability(user, Capability.VIEW_CASES):
        case_url = reverse("cases:case_detail", args=[case.pk])
    staff = has_capability(user, Capability.VIEW_WHISTLES)
    context = {
        "whistle": whistle,
        "status_badge": whistle_badge(whistle),
        "urgency_badge": urgency_badge(whistle),
        "cards": cards,
        "whistle_forms": whistle_forms,
        "events": _events(whistle),
        "case": case,
        "case_url": case_url,
        "waiting": [c.department.name for c in whistle.calls.all() if c.status in AWAITING_FEEDBACK],
        "breadcrumbs": [
            (
                (_("Whistle board"), reverse("whistle:whistle_list"))
                if staff
                else (_("My whistles"), reverse("whistle:my_whistles"))
            ),
            (whistle.number, None),
        ],
    }
    return render(request, "whistle/whistle_detail.html", context, status=status)


class WhistleDetailView(WhistleAccessMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render_whistle_page(request, whistle_or_404(request, pk))


Runner = Callable[[HttpRequest, Whistle, WhistleCall | None, dict[str, Any]], Any]


def _call(call: WhistleCall | None) -> WhistleCall:
    if call is None:  # the URLconf gives every call action its call
        raise Http404
    return call


def _acknowledge(r: HttpRequest, w: Whistle, c: WhistleCall | None, d: dict[str, Any]) -> Any:
    return services.call_acknowledge(call=_call(c), actor=r.user, request=r)


def _report(r: HttpRequest, w: Whistle, c: WhistleCall | None, d: dict[str, Any]) -> Any:
    return services.call_report(
        call=_call(c),
        actor=r.user,
        on_site_people=d["on_site_people"],
        note=d.get("note") or "",
        photo=d.get("photo") or None,
        request=r,
    )


def _feedback(r: HttpRequest, w: Whistle, c: WhistleCall | None, d: dict[str, Any]) -> Any:
    return services.call_feedback(call=_call(c), actor=r.user, note=d["note"], request=r)


def _rate(r: HttpRequest, w: Whistle, c: WhistleCall | None, d: dict[str, Any]) -> Any:
    return services.call_rate(call=_call(c), actor=r.user, rating=d["rating"], reason=d.get("reason") or "", request=r)


def _close(r: HttpRequest, w: Whistle, c: WhistleCall | None, d: dict[str, Any]) -> Any:
    return services.whistle_close(whistle=w, actor=r.user, note=d["note"], request=r)


def _cancel(r: HttpRequest, w: Whistle, c: WhistleCall | None, d: dict[str, Any]) -> Any:
    return services.whistle_cancel(whistle=w, actor=r.user, reason=d["reason"], request=r)


RUNNERS: dict[str, Runner] = {
    "acknowledge": _acknowledge,
    "report": _report,
    "feedback": _feedback,
    "rate": _rate,
    "close": _close,
    "cancel": _cancel,
}


def success_message(action: str, whistle: Whistle, call: WhistleCall | None) -> str:
    values = {"number": whistle.number, "department": call.department.name if call is not None else ""}
    return {
        "acknowledge": _("%(department)s acknowledged whistle %(number)s."),
        "report": _("%(department)s reported on site for whistle %(number)s."),
        "feedback": _("%(department)s fed back on whistle %(number)s; the community will rate the work."),
        "rate": _("The work of %(department)s on whistle %(number)s was rated."),
        "close": _("Whistle %(number)s closed."),
        "cancel": _("Whistle %(number)s cancelled; the departments were told."),
    }[action] % values


class WhistleActionView(WhistleAccessMixin, View):
    """POST only: ``action`` names the form and the service; call actions carry the call's id in the URL."""

    http_method_names = ["post"]
    action: str = ""

    def post(self, request: HttpRequest, pk: int, call_pk: int | None = None) -> HttpResponseBase:
        assert self.action in RUNNERS
        whistle = whistle_or_404(request, pk)
        call = call_or_404(whistle, call_pk) if call_pk is not None else None
        if (call is None) != (self.action in WHISTLE_FORMS):
            raise Http404
        back = safe_next(request, whistle.get_absolute_url())
        form = action_form(self.action, request, call, bound=True)
        if not form.is_valid():
            return self.failed(request, whistle, call, form)
        try:
            RUNNERS[self.action](request, whistle, call, form.cleaned_data)
        except ApplicationError as exc:
            if exc.fields and any(name in form.fields for name in exc.fields):
                apply_error(form, exc)
                return self.failed(request, whistle, call, form)
            messages.error(request, exc.message)
            return HttpResponseRedirect(back)
        messages.success(request, success_message(self.action, whistle, call))
        return HttpResponseRedirect(back)

    def failed(
        self, request: HttpRequest, whistle: Whistle, call: WhistleCall | None, form: forms.Form
    ) -> HttpResponse:
        messages.error(request, _("Nothing was changed. Please correct the errors below."))
        fresh = whistle_or_404(request, whistle.pk)
        return render_whistle_page(request, fresh, failed={_prefix(self.action, call): form}, status=400)


class CallPhotoView(WhistleAccessMixin, View):
    """The photo a department took on site, for those who may see the whistle."""

    def get(self, request: HttpRequest, pk: int, call_pk: int) -> FileResponse:
        whistle = whistle_or_404(request, pk)
        call = call_or_404(whistle, call_pk)
        if not call.report_photo:
            raise Http404
        try:
            handle = call.report_photo.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(handle)
        response["Cache-Control"] = "private, max-age=3600"
        response["X-Content-Type-Options"] = "nosniff"
        return response
