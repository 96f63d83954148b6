"""The region tree browser and the grid pages."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from grassroots.accounts.enums import Capability
from grassroots.accounts.roles import has_capability
from grassroots.people.enums import PersonRoleKind
from grassroots.people.models import Person, PersonRole
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Grid, Region
from grassroots.territory.selectors import grid_get, grid_list, region_get, region_list, region_roots_for
from grassroots.territory.services import grid_create, grid_update, region_create, region_rename
from grassroots.web.exports import ExportColumn, display
from grassroots.web.filters import GridFilter, RegionFilter
from grassroots.web.forms import SCOPE_KINDS, GridForm, RegionCreateForm, RegionRenameForm
from grassroots.web.history import record_history
from grassroots.web.lists import ScopedListView, ServiceFormView
from grassroots.web.tables import GridTable, RegionTable
from grassroots.web.views.base import PAGE_SIZE, CapabilityRequiredMixin, Crumb


def may_manage_territory(user: Any, region: Region) -> bool:
    return has_capability(user, Capability.MANAGE_TERRITORY) and (
        Region.objects.visible_to(user, Capability.MANAGE_TERRITORY).filter(pk=region.pk).exists()
    )


def region_person_count(*, user: Any, region: Region) -> int:
    """Persons in ``region`` that ``user`` may see: one equality on a scope column, or the entrance path below."""
    persons = Person.objects.visible_to(user)
    if region.kind in SCOPE_KINDS:
        return persons.filter(**{f"{region.kind}_id": region.pk}).count()
    if region.kind == RegionKind.ENTRANCE:
        return persons.filter(household__entrance_id=region.pk).count()
    return persons.filter(community_id=region.community_id, household__entrance__path__startswith=region.path).count()


class RegionListView(ScopedListView):
    """Regions: without filters, the user's top regions (where the tree browser starts); with them, a search."""

    capability = Capability.VIEW_TERRITORY
    model = Region
    scoped_model = Region
    table_class = RegionTable
    filterset_class = RegionFilter
    template_name = "web/region_list.html"
    title = _("Regions")
    export_title = _("Regions")
    create_url_name = "web:region_create"
    create_capability = Capability.MANAGE_TERRITORY
    export_columns = (
        ExportColumn(_("Name"), display("name")),
        ExportColumn(_("Kind"), display("get_kind_display")),
        ExportColumn(_("Code"), display("code")),
        ExportColumn(_("Sub-regions"), display("numchild")),
    )

    def get_scoped_queryset(self) -> QuerySet[Region]:
        user = self.request.user
        if self.searching():
            return region_list(user=user)
        return region_roots_for(user=user)

    def searching(self) -> bool:
        return any(self.request.GET.get(key) for key in ("q", "kind", "parent"))


RegionRootsView = RegionListView


class RegionDetailView(CapabilityRequiredMixin, DetailView):
    capability = Capability.VIEW_TERRITORY
    model = Region
    scoped_model = Region
    template_name = "web/region_detail.html"

    def get_object(self, queryset: QuerySet[Region] | None = None) -> Region:
        return region_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_breadcrumbs(self) -> list[Crumb]:
        region = self.object
        ancestors = list(Region.objects.get_ancestors(region))
        visible = set(
            Region.objects.visible_to(self.request.user)
            .filter(pk__in=[a.pk for a in ancestors])
            .values_list("pk", flat=True)
        )
        crumbs: list[Crumb] = [(_("Regions"), reverse("web:region_list"))]
        # An ancestor outside the user's scope is named (the user knows where they work) but not linked.
        crumbs += [(a.name, reverse("web:region_detail", args=[a.pk]) if a.pk in visible else None) for a in ancestors]
        crumbs.append((region.name, None))
        return crumbs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        region = self.object
        page = Paginator(region_list(user=user, parent=region.pk), PAGE_SIZE).get_page(self.request.GET.get("page"))
        children = list(page.object_list)
        can_see_people = has_capability(user, Capability.VIEW_PEOPLE)
        child_kind = children[0].kind if children else None
        if can_see_people and child_kind in SCOPE_KINDS:
            column = f"{child_kind}_id"
            counts = dict(
                Person.objects.visible_to(user)
                .filter(**{f"{column}__in": [c.pk for c in children]})
                .order_by()
                .values_list(column)
                .annotate(n=Count("pk"))
                .values_list(column, "n")
            )
            for child in children:
                child.person_count = counts.get(child.pk, 0)  # type: ignore[attr-defined]
        context.update(
            children=children,
            page_obj=page,
            is_paginated=page.has_other_pages(),
            show_child_counts=can_see_people and child_kind in SCOPE_KINDS,
            can_see_people=can_see_people,
            person_count=region_person_count(user=user, region=region) if can_see_people else None,
            persons_filterable=region.kind in SCOPE_KINDS,
            grids=grid_list(user=user, community=region.pk) if region.kind == RegionKind.COMMUNITY else None,
            history=record_history(user=user, obj=region, capability=Capability.VIEW_TERRITORY),
            can_edit=may_manage_territory(user, region),
        )
        return context


class GridListView(ScopedListView):
    capability = Capability.VIEW_TERRITORY
    model = Grid
    scoped_model = Grid
    table_class = GridTable
    filterset_class = GridFilter
    template_name = "web/grid_list.html"
    title = _("Grids")
    export_title = _("Grids")
    create_url_name = "web:grid_create"
    create_capability = Capability.MANAGE_TERRITORY
    export_columns = (
        ExportColumn(_("Code"), display("code")),
        ExportColumn(_("Name"), display("name")),
        ExportColumn(_("Community"), display("community.name")),
        ExportColumn(_("Areas covered"), lambda grid: "、".join(a.name for a in grid.areas.all())),
    )

    def get_scoped_queryset(self) -> QuerySet[Grid]:
        return grid_list(user=self.request.user).prefetch_related(
            Prefetch("areas", queryset=Region.objects.visible_to(self.request.user).order_by("path"))
        )


class GridDetailView(CapabilityRequiredMixin, DetailView):
    capability = Capability.VIEW_TERRITORY
    model = Grid
    scoped_model = Grid
    template_name = "web/grid_detail.html"

    def get_object(self, queryset: QuerySet[Grid] | None = None) -> Grid:
        return grid_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_breadcrumbs(self) -> list[Crumb]:
        return [(_("Grids"), reverse("web:grid_list")), (self.object.name, None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        grid = self.object
        staff = list(
            PersonRole.objects.visible_to(user)
            .filter(grid=grid, kind__in=[PersonRoleKind.GRID_HEAD, PersonRoleKind.GRID_WORKER])
            .select_related("person")
            .order_by("kind", "person__name_pinyin")
        )
        context.update(
            areas=Region.objects.visible_to(user).filter(covering_grids=grid).order_by("path"),
            heads=[r for r in staff if r.kind == PersonRoleKind.GRID_HEAD],
            workers=[r for r in staff if r.kind == PersonRoleKind.GRID_WORKER],
            can_see_people=has_capability(user, Capability.VIEW_PEOPLE),
            history=record_history(user=user, obj=grid, capability=Capability.VIEW_TERRITORY),
            can_edit=has_capability(user, Capability.MANAGE_TERRITORY)
            and Grid.objects.visible_to(user, Capability.MANAGE_TERRITORY).filter(pk=grid.pk).exists(),
        )
        return context


class RegionCreateView(ServiceFormView):
    """Add a region under a region of the user's manage scope (``?parent=`` preselects it)."""

    capability = Capability.MANAGE_TERRITORY
    model = Region
    scoped_model = Region
    form_class = RegionCreateForm
    template_name = "web/region_form.html"
    title = _("Add a region")

    def get_initial(self) -> dict[str, Any]:
        parent = self.request.GET.get("parent", "")
        return {"parent": int(parent)} if parent.isdigit() else {}

    def get_breadcrumbs(self) -> list[Crumb]:
        return [(_("Regions"), reverse("web:region_list")), (self.title, None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = reverse("web:region_list")
        return context

    def save(self, form: RegionCreateForm) -> Region:
        data = form.cleaned_data
        return region_create(
            actor=self.request.user, kind=data["kind"], name=data["name"], code=data["code"], parent=data["parent"]
        )


class RegionUpdateView(ServiceFormView):
    """Rename a region of the user's manage scope (the tree itself is reshaped by import, not here)."""

    capability = Capability.MANAGE_TERRITORY
    model = Region
    scoped_model = Region
    form_class = RegionRenameForm
    template_name = "web/region_form.html"
    title = _("Rename region")

    def get_object(self) -> Region:
        return get_object_or_404(
            Region.objects.visible_to(self.request.user, Capability.MANAGE_TERRITORY), pk=self.kwargs["pk"]
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.pop("user")
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        return {"name": self.object.name}

    def get_breadcrumbs(self) -> list[Crumb]:
        return [
            (_("Regions"), reverse("web:region_list")),
            (self.object.name, reverse("web:region_detail", args=[self.object.pk])),
            (self.title, None),
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = reverse("web:region_detail", args=[self.object.pk])
        return context

    def save(self, form: RegionRenameForm) -> Region:
        return region_rename(actor=self.request.user, region=self.object, name=form.cleaned_data["name"])


class GridCreateView(ServiceFormView):
    capability = Capability.MANAGE_TERRITORY
    model = Grid
    scoped_model = Grid
    form_class = GridForm
    template_name = "web/grid_form.html"
    title = _("Add a grid")

    def get_breadcrumbs(self) -> list[Crumb]:
        return [(_("Grids"), reverse("web:grid_list")), (self.title, None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = reverse("web:grid_list")
        return context

    def save(self, form: GridForm) -> Grid:
        data = form.cleaned_data
        return grid_create(
            actor=self.request.user,
            community=data["community"],
            code=data["code"].strip(),
            name=data["name"].strip(),
            areas=list(data["areas"]),
            boundary=data.get("boundary") or None,
        )


class GridUpdateView(GridCreateView):
    title = _("Edit grid")

    def get_object(self) -> Grid:
        return get_object_or_404(
            Grid.objects.visible_to(self.request.user, Capability.MANAGE_TERRITORY).select_related("community"),
            pk=self.kwargs["pk"],
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.object
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        grid = self.object
        return {
            "code": grid.code,
            "name": grid.name,
            "areas": list(grid.areas.values_list("pk", flat=True)),
            "boundary": grid.boundary,
        }

    def get_breadcrumbs(self) -> list[Crumb]:
        return [
            (_("Grids"), reverse("web:grid_list")),
            (self.object.name, reverse("web:grid_detail", args=[self.object.pk])),
            (self.title, None),
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = reverse("web:grid_detail", args=[self.object.pk])
        return context

    def save(self, form: GridForm) -> Grid:
        data = form.cleaned_data
        return grid_update(
            actor=self.request.user,
            grid=self.object,
            code=data["code"],
            name=data["name"],
            areas=list(data["areas"]),
            boundary=data.get("boundary") or None,
        )
