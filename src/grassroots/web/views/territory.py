"""The region tree browser and the grid pages."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from grassroots.accounts.enums import Capability
from grassroots.accounts.roles import has_capability
from grassroots.people.enums import PersonRoleKind
from grassroots.people.models import Person, PersonRole
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Grid, Region
from grassroots.territory.selectors import grid_get, grid_list, region_get, region_list, region_roots_for
from grassroots.web.forms import SCOPE_KINDS, GridFilterForm
from grassroots.web.views.base import PAGE_SIZE, CapabilityRequiredMixin, Crumb


def region_person_count(*, user: Any, region: Region) -> int:
    """Persons in ``region`` that ``user`` may see: one equality on a scope column, or the entrance path below."""
    persons = Person.objects.visible_to(user)
    if region.kind in SCOPE_KINDS:
        return persons.filter(**{f"{region.kind}_id": region.pk}).count()
    if region.kind == RegionKind.ENTRANCE:
        return persons.filter(household__entrance_id=region.pk).count()
    return persons.filter(community_id=region.community_id, household__entrance__path__startswith=region.path).count()


class RegionRootsView(CapabilityRequiredMixin, ListView):
    """Where the tree browser starts: the shallowest regions the user may see."""

    capability = Capability.VIEW_TERRITORY
    model = Region
    scoped_model = Region
    paginate_by = PAGE_SIZE
    template_name = "web/region_list.html"

    def get_queryset(self) -> QuerySet[Region]:
        return region_roots_for(user=self.request.user)

    def get_breadcrumbs(self) -> list[Crumb]:
        return [(_("Regions"), None)]


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
        )
        return context


class GridListView(CapabilityRequiredMixin, ListView):
    capability = Capability.VIEW_TERRITORY
    model = Grid
    scoped_model = Grid
    paginate_by = PAGE_SIZE
    template_name = "web/grid_list.html"

    def get_queryset(self) -> QuerySet[Grid]:
        self.form = GridFilterForm(self.request.GET or None, user=self.request.user)
        if self.form.is_bound and not self.form.is_valid():
            return Grid.objects.none()
        data = self.form.cleaned_data if self.form.is_bound else {}
        return grid_list(user=self.request.user, community=data.get("community"), q=data.get("q", "")).prefetch_related(
            Prefetch("areas", queryset=Region.objects.visible_to(self.request.user).order_by("path"))
        )

    def get_breadcrumbs(self) -> list[Crumb]:
        return [(_("Grids"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["form"] = self.form
        form = self.form
        context["filtered"] = form.is_bound and (not form.is_valid() or any(form.cleaned_data.values()))
        return context


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
        )
        return context
