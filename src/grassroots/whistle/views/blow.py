"""Blowing a whistle: the whistle (title, matter, region, urgency, handling deadline) and one row per department
called with its task. ``?case=<id>`` fills the form from a case the user may see and links the whistle to it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from grassroots.accounts.enums import Capability
from grassroots.cases import selectors as case_selectors
from grassroots.cases.enums import ACTIVE_STATUSES
from grassroots.cases.models import Case
from grassroots.core.errors import ApplicationError
from grassroots.web.forms import apply_error
from grassroots.web.views.base import CapabilityRequiredMixin
from grassroots.whistle import services
from grassroots.whistle.forms import WhistleBlowForm, blow_regions, call_formset, default_handle_due
from grassroots.whistle.models import Whistle

TITLE = gettext_lazy("Blow the whistle")


def _case(request: HttpRequest, raw: Any) -> Case | None:
    """The case the whistle is blown for, if the user may see it (else None)."""
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        return None
    try:
        return case_selectors.case_get(user=request.user, pk=pk)
    except Case.DoesNotExist:
        return None


class WhistleCreateView(CapabilityRequiredMixin, View):
    capability = Capability.BLOW_WHISTLE
    model = Whistle
    scoped_model = Whistle

    def get(self, request: HttpRequest) -> HttpResponse:
        case = _case(request, request.GET.get("case"))
        initial: dict[str, Any] = {"handle_due": default_handle_due()}
        regions = blow_regions(request.user)
        if case is not None:
            initial.update(title=case.title[:100], description=case.description, origin_case=case.pk)
            wanted = [pk for pk in (case.community_id, case.street_id) if pk is not None]
            region = next((r for pk in wanted for r in regions.filter(pk=pk)), None)
            if region is not None:
                initial["region"] = region.pk
        elif request.GET.get("case"):
            messages.warning(request, _("That case was not found; the whistle is not linked to a case."))
        form = WhistleBlowForm(user=request.user, initial=initial)
        return self.page(request, form, call_formset(prefix="calls", user=request.user), case)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = WhistleBlowForm(request.POST, user=request.user)
        calls = call_formset(request.POST, prefix="calls", user=request.user)
        case = _case(request, request.POST.get("origin_case"))
        if request.POST.get("origin_case") and case is None:
            form.add_error(None, _("That case was not found."))
        if not (form.is_valid() and calls.is_valid()):
            return self.failed(request, form, calls, case)
        data = form.cleaned_data
        try:
            whistle = services.whistle_blow(
                actor=request.user,
                region=data["region"],
                title=data["title"],
                description=data["description"],
                urgency=data["urgency"],
                handle_due=data["handle_due"],
                calls=[services.CallInput(department=d, task=t) for d, t in calls.calls()],
                origin_case=case,
                request=request,
            )
        except ApplicationError as exc:
            if exc.status == 403:
                raise PermissionDenied(exc.message) from exc
            calls_errors = exc.fields.pop("calls", [])
            origin_errors = exc.fields.pop("origin_case", [])
            if exc.fields or not (calls_errors or origin_errors):
                apply_error(form, exc)
            for error in origin_errors:
                form.add_error(None, error)
            return self.failed(request, form, calls, case, calls_errors=calls_errors)
        messages.success(
            request,
            _("Whistle %(number)s blown: %(count)d department(s) called.")
            % {"number": whistle.number, "count": whistle.calls.count()},
        )
        return HttpResponseRedirect(whistle.get_absolute_url())

    def failed(
        self,
        request: HttpRequest,
        form: WhistleBlowForm,
        calls: Any,
        case: Case | None,
        *,
        calls_errors: list[str] | None = None,
    ) -> HttpResponse:
        messages.error(request, _("Nothing was saved. Please correct the errors below."))
        return self.page(request, form, calls, case, calls_errors=calls_errors, status=400)

    def page(
        self,
        request: HttpRequest,
        form: WhistleBlowForm,
        calls: Any,
        case: Case | None,
        *,
        calls_errors: list[str] | None = None,
        status: int = 200,
    ) -> HttpResponse:
        # Rows with a department chosen (or with errors) are shown; at least one row is always shown.
        filled = [
            i for i, f in enumerate(calls.forms) if (f.is_bound and (f.data.get(f"{f.prefix}-department") or f.errors))
        ]
        shown = max([1, *[i + 1 for i in filled]])
        context = {
            "form": form,
            "calls": calls,
            "calls_errors": [*calls.non_form_errors(), *(calls_errors or [])] if calls.is_bound else [],
            "shown_rows": shown,
            "case": case,
            "case_inactive": case is not None and case.status not in ACTIVE_STATUSES,
            "no_regions": not form.fields["region"].queryset.exists(),  # type: ignore[attr-defined]
            "title": TITLE,
            "breadcrumbs": [
                (gettext_lazy("Whistle board"), reverse("whistle:whistle_list")),
                (TITLE, None),
            ],
        }
        return render(request, "whistle/whistle_form.html", context, status=status)
