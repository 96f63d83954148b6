"""Persons: the searchable list, the detail page with masked numbers, and the audited unmask action."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.generic import DetailView

from grassroots.accounts.enums import Capability
from grassroots.accounts.roles import has_capability
from grassroots.core.errors import ApplicationError
from grassroots.people.models import PartyMembership, Person, PersonRole
from grassroots.people.selectors import person_get, person_list
from grassroots.people.services import can_unmask, person_create, person_unmask, person_update
from grassroots.web.exports import ExportColumn, display
from grassroots.web.filters import PersonFilter
from grassroots.web.forms import PersonForm
from grassroots.web.history import record_history
from grassroots.web.lists import ScopedListView, ServiceFormView
from grassroots.web.tables import PersonTable
from grassroots.web.views.base import CapabilityRequiredMixin, Crumb


class PersonListView(ScopedListView):
    """Persons: search by name, pinyin, initials or a complete number; filters; masked numbers; Excel export."""

    capability = Capability.VIEW_PEOPLE
    model = Person
    scoped_model = Person
    table_class = PersonTable
    filterset_class = PersonFilter
    template_name = "web/person_list.html"
    title = _("Persons")
    export_title = _("Persons")
    create_url_name = "web:person_create"
    create_capability = Capability.MANAGE_PEOPLE
    export_columns = (
        ExportColumn(pgettext_lazy("person", "Name"), display("name")),
        ExportColumn(_("Gender"), display("get_gender_display")),
        ExportColumn(_("Ethnic group"), display("ethnicity.name")),
        ExportColumn(_("Age"), display("age")),
        ExportColumn(_("Street"), display("street.name")),
        ExportColumn(_("Community"), display("community.name")),
        ExportColumn(_("Compound"), display("compound.name")),
        ExportColumn(_("Grid"), display("grid.name")),
        # Masked: an export never carries a number or address in clear.
        ExportColumn(_("Mobile"), display("mobile_masked")),
        ExportColumn(_("ID number"), display("id_number_masked")),
        ExportColumn(_("Address"), display("address_masked")),
    )

    def get_scoped_queryset(self) -> QuerySet[Person]:
        return person_list(user=self.request.user).select_related("street", "grid")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filterset = self.filterset
        valid = filterset.is_bound and filterset.is_valid()
        query = (filterset.form.cleaned_data.get("q") or "") if valid else ""
        # A searched number is not repeated in the page text (it stays in the search box the user typed it in).
        context["echo_query"] = "" if any(ch.isdigit() for ch in query) else query
        context["hint"] = _(
            "Search by name, full pinyin or initials (e.g. zw). Mobile and ID numbers match only when complete."
        )
        if filterset.is_bound and not filterset.is_valid():
            context["empty_message"] = _("Correct the filters to search.")
        elif context["echo_query"]:
            context["empty_message"] = _("No persons match “%(q)s”.") % {"q": context["echo_query"]}
        elif context["filtered"]:
            context["empty_message"] = _("No persons match these filters.")
        else:
            context["empty_message"] = _("No persons to show.")
        return context


class PersonDetailView(CapabilityRequiredMixin, DetailView):
    """All of a person's fields, the numbers masked; ``clear`` holds unmasked numbers for one response only."""

    capability = Capability.VIEW_PEOPLE
    model = Person
    scoped_model = Person
    template_name = "web/person_detail.html"

    def get_object(self, queryset: QuerySet[Person] | None = None) -> Person:
        return person_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_breadcrumbs(self) -> list[Crumb]:
        return [(_("Persons"), reverse("web:person_list")), (self.object.name, None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        person = self.object
        context.update(
            can_unmask=can_unmask(user, person),
            membership=PartyMembership.objects.visible_to(user)
            .filter(person=person)
            .select_related("organization", "home_unit")
            .first(),
            roles=PersonRole.objects.visible_to(user)
            .filter(person=person)
            .select_related("region", "grid")
            .order_by("kind", "pk"),
            history=record_history(user=user, obj=person, capability=Capability.VIEW_PEOPLE),
            can_edit=has_capability(user, Capability.MANAGE_PEOPLE)
            and Person.objects.visible_to(user, Capability.MANAGE_PEOPLE).filter(pk=person.pk).exists(),
        )
        context.setdefault("clear", None)
        return context


class PersonUnmaskView(PersonDetailView):
    """POST only: show this person's numbers in clear in this one response; the service writes the audit row."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        try:
            clear = person_unmask(actor=request.user, person=self.object, request=request)
        except ApplicationError as exc:
            if exc.status == 403:
                raise PermissionDenied(exc.message) from exc
            raise
        response = self.render_to_response(self.get_context_data(object=self.object, clear=clear))
        add_never_cache_headers(response)
        return response


class PersonCreateView(ServiceFormView):
    """Register a person in a household of the user's manage scope."""

    capability = Capability.MANAGE_PEOPLE
    model = Person
    scoped_model = Person
    form_class = PersonForm
    template_name = "web/person_form.html"
    title = _("Add a person")

    def get_breadcrumbs(self) -> list[Crumb]:
        return [(_("Persons"), reverse("web:person_list")), (self.title, None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = reverse("web:person_list")
        return context

    def save(self, form: PersonForm) -> Person:
        return person_create(actor=self.request.user, data=form.person_data(), request=self.request)


class PersonUpdateView(PersonCreateView):
    """Edit a person of the user's manage scope (others are a 404); numbers are write-only."""

    title = _("Edit person")

    def get_object(self) -> Person:
        return get_object_or_404(
            Person.objects.visible_to(self.request.user, Capability.MANAGE_PEOPLE).select_related("household"),
            pk=self.kwargs["pk"],
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.object
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        person = self.object
        # Never the ID number, mobile or address: those fields start empty (empty keeps the recorded value).
        return {
            "name": person.name,
            "gender": person.gender,
            "ethnicity": person.ethnicity_id,
            "household": person.household_id,
        }

    def get_breadcrumbs(self) -> list[Crumb]:
        return [
            (_("Persons"), reverse("web:person_list")),
            (self.object.name, reverse("web:person_detail", args=[self.object.pk])),
            (self.title, None),
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = reverse("web:person_detail", args=[self.object.pk])
        return context

    def save(self, form: PersonForm) -> Person:
        return person_update(actor=self.request.user, person=self.object, data=form.person_data(), request=self.request)
