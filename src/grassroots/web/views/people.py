"""Persons: the searchable list, the detail page with masked numbers, and the audited unmask action."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from grassroots.accounts.enums import Capability
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditEvent
from grassroots.people.models import PartyMembership, Person, PersonRole
from grassroots.people.selectors import person_get, person_list
from grassroots.people.services import can_unmask, person_unmask
from grassroots.web.forms import PersonFilterForm
from grassroots.web.views.base import PAGE_SIZE, CapabilityRequiredMixin, Crumb

HISTORY_LIMIT = 50


class PersonListView(CapabilityRequiredMixin, ListView):
    capability = Capability.VIEW_PEOPLE
    model = Person
    scoped_model = Person
    paginate_by = PAGE_SIZE
    template_name = "web/person_list.html"

    def get_queryset(self) -> QuerySet[Person]:
        self.form = PersonFilterForm(self.request.GET or None, user=self.request.user)
        if self.form.is_bound and not self.form.is_valid():
            return Person.objects.none()
        data = self.form.cleaned_data if self.form.is_bound else {}
        return person_list(user=self.request.user, q=data.get("q", ""), region=data.get("region"))

    def get_breadcrumbs(self) -> list[Crumb]:
        return [(_("Persons"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = self.form
        context["form"] = form
        context["filtered"] = form.is_bound and (not form.is_valid() or any(form.cleaned_data.values()))
        query = form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else ""
        # A searched number is not repeated in the page text (it stays in the search box the user typed it in).
        context["echo_query"] = "" if any(ch.isdigit() for ch in query) else query
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
            # The person's own audit trail, scoped like the person (the audit page itself needs view_audit).
            history=AuditEvent.objects.visible_to(user, Capability.VIEW_PEOPLE)
            .filter(target_type=ContentType.objects.get_for_model(Person), target_id=str(person.pk))
            .select_related("actor")
            .order_by("-at", "-pk")[:HISTORY_LIMIT],
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
