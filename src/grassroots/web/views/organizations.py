"""Organisations: the scoped list and the detail page with parent, region, member counts and history."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from grassroots.accounts.enums import Capability
from grassroots.accounts.roles import has_capability
from grassroots.organizations.models import Organization, OrganizationMembership
from grassroots.organizations.selectors import organization_get, organization_list
from grassroots.organizations.services import organization_create, organization_update
from grassroots.people.models import PartyMembership
from grassroots.web.exports import ExportColumn, display
from grassroots.web.filters import OrganizationFilter
from grassroots.web.forms import OrganizationForm
from grassroots.web.history import record_history
from grassroots.web.lists import ScopedListView, ServiceFormView
from grassroots.web.tables import OrganizationTable
from grassroots.web.views.base import CapabilityRequiredMixin, Crumb

# Organisations are managed by territory managers until the roles gain a capability of their own.
MANAGE_ORGANIZATIONS = Capability.MANAGE_TERRITORY


class OrganizationListView(ScopedListView):
    capability = Capability.VIEW_ORGANIZATIONS
    model = Organization
    scoped_model = Organization
    table_class = OrganizationTable
    filterset_class = OrganizationFilter
    template_name = "web/organization_list.html"
    title = _("Organisations")
    export_title = _("Organisations")
    create_url_name = "web:organization_create"
    create_capability = MANAGE_ORGANIZATIONS
    export_columns = (
        ExportColumn(_("Code"), display("code")),
        ExportColumn(_("Name"), display("name")),
        ExportColumn(_("Kind"), display("get_kind_display")),
        ExportColumn(_("Region served"), display("region.name")),
        ExportColumn(_("Parent organisation"), display("parent.name")),
        ExportColumn(_("Unified social credit code"), display("credit_code")),
    )

    def get_scoped_queryset(self) -> QuerySet[Organization]:
        return organization_list(user=self.request.user).select_related("parent")


class OrganizationDetailView(CapabilityRequiredMixin, DetailView):
    capability = Capability.VIEW_ORGANIZATIONS
    model = Organization
    scoped_model = Organization
    template_name = "web/organization_detail.html"
    context_object_name = "organization"

    def get_object(self, queryset: QuerySet[Organization] | None = None) -> Organization:
        return organization_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_breadcrumbs(self) -> list[Crumb]:
        return [(_("Organisations"), reverse("web:organization_list")), (self.object.name, None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        org = self.object
        visible = Organization.objects.visible_to(user)
        parent = visible.filter(pk=org.parent_id).first() if org.parent_id else None
        context.update(
            parent=parent,
            # A parent outside the user's scope is named (it is part of the organisation's identity) but not linked.
            parent_name=org.parent.name if org.parent_id and org.parent else "",
            children=visible.filter(parent=org).order_by("code")[:100],
            member_count=OrganizationMembership.objects.visible_to(user).filter(organization=org).count(),
            party_member_count=PartyMembership.objects.visible_to(user, Capability.VIEW_ORGANIZATIONS)
            .filter(organization=org)
            .count(),
            history=record_history(user=user, obj=org, capability=Capability.VIEW_ORGANIZATIONS),
            can_edit=has_capability(user, MANAGE_ORGANIZATIONS)
            and Organization.objects.visible_to(user, MANAGE_ORGANIZATIONS).filter(pk=org.pk).exists(),
        )
        return context


class OrganizationCreateView(ServiceFormView):
    capability = MANAGE_ORGANIZATIONS
    model = Organization
    scoped_model = Organization
    form_class = OrganizationForm
    template_name = "web/organization_form.html"
    title = _("Add an organisation")

    def get_breadcrumbs(self) -> list[Crumb]:
        return [(_("Organisations"), reverse("web:organization_list")), (self.title, None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = reverse("web:organization_list")
        return context

    def fields(self, form: OrganizationForm) -> dict[str, Any]:
        data = form.cleaned_data
        return {
            "kind": data["kind"],
            "name": data["name"],
            "code": data["code"],
            "region": data["region"],
            "parent": data.get("parent"),
            "grid": data.get("grid"),
            "credit_code": data.get("credit_code") or "",
            "formation": data.get("formation") or "",
        }

    def save(self, form: OrganizationForm) -> Organization:
        return organization_create(actor=self.request.user, **self.fields(form))


class OrganizationUpdateView(OrganizationCreateView):
    title = _("Edit organisation")

    def get_object(self) -> Organization:
        return get_object_or_404(
            Organization.objects.visible_to(self.request.user, MANAGE_ORGANIZATIONS), pk=self.kwargs["pk"]
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.object
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        org = self.object
        return {
            "kind": org.kind,
            "name": org.name,
            "code": org.code,
            "credit_code": org.credit_code,
            "parent": org.parent_id,
            "region": org.region_id,
            "grid": org.grid_id,
            "formation": org.formation,
        }

    def get_breadcrumbs(self) -> list[Crumb]:
        return [
            (_("Organisations"), reverse("web:organization_list")),
            (self.object.name, reverse("web:organization_detail", args=[self.object.pk])),
            (self.title, None),
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = reverse("web:organization_detail", args=[self.object.pk])
        return context

    def save(self, form: OrganizationForm) -> Organization:
        return organization_update(actor=self.request.user, organization=self.object, **self.fields(form))
