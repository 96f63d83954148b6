"""Staff intake: the form, its dependent selects (htmx partials) and duplicate suggestions.

Without JavaScript the dependent selects are refreshed by the form's "Refresh choices" button, which re-shows the
form with the choices that follow from what was picked and saves nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView

from grassroots.accounts.enums import Capability, Role
from grassroots.accounts.roles import roles_of
from grassroots.cases import selectors
from grassroots.cases.enums import Channel
from grassroots.cases.forms import CaseIntakeForm, attribute_answers
from grassroots.cases.models import Case
from grassroots.cases.services import case_submit, similar_open_cases
from grassroots.cases.views.common import sees_as_staff
from grassroots.catalogue.models import ServiceItem
from grassroots.core.errors import ApplicationError
from grassroots.territory.models import Region
from grassroots.web.forms import apply_error
from grassroots.web.views.base import CapabilityRequiredMixin, Crumb

# Where a service's error about a CaseInput field is shown on the form.
FIELD_NAMES = {"place": "compound"}


def _service_context(form: CaseIntakeForm, post: Any = None) -> dict[str, Any]:
    """The picked item and its extra questions, each with the answer given so far (when re-showing the form)."""
    item = form.picked("item")
    if item is None:
        return {"item": None, "attributes": []}
    given = attribute_answers(item, post) if post is not None else {}
    questions = []
    for attribute in item.attributes.all():
        answer = given.get(attribute.code, "")
        chosen = {str(v) for v in answer} if isinstance(answer, list) else {str(answer)}
        questions.append(
            {
                "code": attribute.code,
                "name": f"attribute[{attribute.code}]",
                "description": attribute.description,
                "required": attribute.required,
                "datatype": attribute.datatype,
                "value": "" if isinstance(answer, list) else answer,
                "options": [(str(key), label, str(key) in chosen) for key, label in attribute.values],
            }
        )
    return {"item": item, "attributes": questions}


class CaseCreateView(CapabilityRequiredMixin, FormView):  # type: ignore[type-arg]
    """Take a resident's need in on their behalf, in a place of the user's scope."""

    capability = Capability.HANDLE_CASES
    model = Case
    scoped_model = Case
    form_class = CaseIntakeForm
    template_name = "cases/case_form.html"
    title = gettext_lazy("Take in a case")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {"accept": True}
        initial["channel"] = Channel.GRID_WORKER if Role.GRID_WORKER in roles_of(self.request.user) else Channel.WALK_IN
        return initial

    def get_breadcrumbs(self) -> list[Crumb]:
        return [(gettext_lazy("Case inbox"), reverse("cases:case_list")), (self.title, None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context["title"] = self.title
        context["no_compounds"] = not form.fields["compound"].queryset.exists()
        context.update(_service_context(form, self.request.POST if self.request.method == "POST" else None))
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.POST.get("_refresh"):
            form = CaseIntakeForm(user=request.user, initial=request.POST.dict())
            return self.render_to_response(self.get_context_data(form=form))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: CaseIntakeForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            case = case_submit(
                actor=self.request.user,
                data=form.case_input(attribute_answers(data.get("item"), self.request.POST)),
                photos=data.get("photos") or [],
                accept=bool(data.get("accept")),
                request=self.request,
            )
        except ApplicationError as exc:
            fields = {FIELD_NAMES.get(name, name): errors for name, errors in exc.fields.items()}
            if not fields and exc.code == "not_allowed":
                fields = {"compound": [exc.message]}
            apply_error(form, ApplicationError(exc.code, exc.message, fields=fields, status=exc.status))
            return self.form_invalid(form)
        messages.success(
            self.request, _("Case %(number)s taken in: %(title)s") % {"number": case.number, "title": case.title}
        )
        if sees_as_staff(self.request.user, case):
            return HttpResponseRedirect(case.get_absolute_url())
        return HttpResponseRedirect(reverse("cases:case_list"))


class IntakePlaceFieldsView(CapabilityRequiredMixin, View):
    """htmx: the compound → building → entrance selects, for the values picked so far."""

    capability = Capability.HANDLE_CASES
    model = Region
    scoped_model = Region

    def get(self, request: HttpRequest) -> HttpResponse:
        form = CaseIntakeForm(user=request.user, initial=request.GET.dict())
        return render(request, "cases/partials/_intake_place.html", {"form": form})


class IntakeServiceFieldsView(CapabilityRequiredMixin, View):
    """htmx: the category → item selects and the item's extra questions (the catalogue is not scoped)."""

    capability = Capability.HANDLE_CASES
    model = ServiceItem

    def get(self, request: HttpRequest) -> HttpResponse:
        form = CaseIntakeForm(user=request.user, initial=request.GET.dict())
        return render(request, "cases/partials/_intake_service.html", {"form": form, **_service_context(form)})


class IntakeSimilarView(CapabilityRequiredMixin, View):
    """htmx: open cases at the picked place in the picked category, most alike the description first — only
    those the user may open."""

    capability = Capability.HANDLE_CASES
    model = Case
    scoped_model = Case

    def get(self, request: HttpRequest) -> HttpResponse:
        form = CaseIntakeForm(user=request.user, initial=request.GET.dict())
        place = form.picked_place()
        similar: list[Case] = []
        if place is not None:
            candidates = similar_open_cases(
                place=place, category=form.picked("category"), text=request.GET.get("description", "")[:400], limit=8
            )
            allowed = set(
                Case.objects.filter(
                    selectors.case_visibility_q(request.user), pk__in=[c.pk for c in candidates]
                ).values_list("pk", flat=True)
            )
            similar = [c for c in candidates if c.pk in allowed][:5]
        return render(request, "cases/partials/_similar.html", {"similar": similar, "place": place})
