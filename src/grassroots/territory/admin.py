"""Admin for the region tree, grids and households, each limited to the user's scope."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog
from treebeard.admin import TreeAdmin
from treebeard.forms import MoveNodeForm

from grassroots.accounts.enums import Capability
from grassroots.core.admin import CommunityListFilter, ScopedHistoryAdmin
from grassroots.core.errors import ApplicationError
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Grid, Household, Region
from grassroots.territory.selectors import region_roots_for
from grassroots.territory.services import (
    grid_create,
    grid_validate_boundary,
    household_create,
    region_create,
    region_rename,
)


class RegionAddForm(MoveNodeForm):
    """Add a region under a parent the user may manage. Moving existing regions is not offered here: a move
    changes the scope columns of every record below the region and needs its own service."""

    scope_user: ClassVar[Any] = None

    class Meta:
        model = Region
        fields = ("kind", "name", "code")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ref = self.fields["treebeard_ref_node"]
        ref.queryset = (  # type: ignore[attr-defined]
            Region.objects.visible_to(self.scope_user, Capability.MANAGE_TERRITORY)
            .exclude(kind=RegionKind.ENTRANCE)
            .order_by("path")
        )
        ref.label = _("Parent region")
        ref.empty_label = _("(none: a new district)")  # type: ignore[attr-defined]
        position = self.fields["treebeard_position"]
        position.choices = [("sorted-child", _("Child of"))]  # type: ignore[attr-defined]
        position.initial = "sorted-child"
        position.widget = forms.HiddenInput()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("treebeard_ref_node") is None and not getattr(self.scope_user, "is_superuser", False):
            self.add_error("treebeard_ref_node", _("Choose the parent region."))
        return cleaned


class RegionChangeForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Region
        fields = ("name",)


@admin.register(Region)
class RegionAdmin(ScopedHistoryAdmin, TreeAdmin):  # type: ignore[misc]
    manage_capability = Capability.MANAGE_TERRITORY
    list_display = ("name", "kind", "code")
    list_filter = ("kind", CommunityListFilter)
    search_fields = ("name", "code")
    ordering = ("path",)
    service_error_fields = {"parent": "treebeard_ref_node"}

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ("treebeard_ref_node", "treebeard_position", "kind", "name", "code")
        return ("name", "kind", "code")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("kind", "code") if obj is not None else ()

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        kwargs["form"] = RegionAddForm if obj is None else RegionChangeForm
        return super().get_form(request, obj, change=change, **kwargs)

    def service_save(self, request: HttpRequest, form: Any, change: bool) -> Region:
        data = form.cleaned_data
        if change:
            return region_rename(actor=request.user, region=form.instance, name=data["name"])
        return region_create(
            actor=request.user,
            kind=data["kind"],
            name=data["name"],
            code=data["code"],
            parent=data.get("treebeard_ref_node"),
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        at_root = (
            hasattr(request, "_treebeard_parent_id")
            and request._treebeard_parent_id is None
            and not getattr(request, "_ignore_treebeard_filters", False)
            and not self.is_filtered(request)
        )
        if at_root:
            # The tree starts at the user's own top regions, not at the district a community worker cannot see.
            request._treebeard_parent = None  # type: ignore[attr-defined]
            return region_roots_for(user=request.user)
        return super().get_queryset(request)

    def get_urls(self) -> list[URLPattern]:
        """TreeAdmin's own URLs, wrapped like ModelAdmin's so each names this admin (and so its model)."""
        info = self.opts.app_label, self.opts.model_name
        own = [
            path("move/", self.wrap_view(self.move_node), name="{}_{}_move".format(*info)),
            path("children/<str:parent_id>/", self.wrap_view(self.children_view), name="{}_{}_children".format(*info)),
            path(
                "jsi18n/",
                self.wrap_view(JavaScriptCatalog.as_view(packages=["treebeard"])),
                name="javascript-catalog",
            ),
        ]
        replaced = {"move/", "children/<str:parent_id>/", "jsi18n/"}
        rest = [p for p in super().get_urls() if str(getattr(p, "pattern", "")) not in replaced]
        return own + rest

    def children_view(self, request: HttpRequest, parent_id: str) -> HttpResponse:
        try:
            visible = self.scope(request, Region.objects.filter(pk=int(parent_id))).exists()
        except ValueError:
            visible = False
        if not visible:
            raise Http404
        return super().children_view(request, parent_id)  # type: ignore[no-any-return]

    def move_node(self, request: HttpRequest) -> HttpResponse:
        messages.error(request, _("Regions cannot be moved here: a move changes the scope of every record below."))
        raise PermissionDenied


class GridAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Grid
        fields = ("community", "code", "name", "areas", "boundary")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        boundary = cleaned.get("boundary")
        if boundary:
            try:
                grid_validate_boundary(boundary)
            except ApplicationError as exc:
                self.add_error("boundary", exc.message)
        community_id = cleaned["community"].pk if cleaned.get("community") else self.instance.community_id
        for area in cleaned.get("areas") or []:
            if area.kind not in (RegionKind.COMPOUND, RegionKind.BUILDING) or area.community_id != community_id:
                self.add_error("areas", _("%(area)s is not a compound or building of this community.") % {"area": area})
        return cleaned


@admin.register(Grid)
class GridAdmin(ScopedHistoryAdmin):
    form = GridAdminForm
    manage_capability = Capability.MANAGE_TERRITORY
    list_display = ("code", "name", "community")
    list_filter = (CommunityListFilter,)
    list_select_related = ("community",)
    search_fields = ("code", "name")
    autocomplete_fields = ("community", "areas")
    ordering = ("code",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A grid does not change community: its households and persons carry the community too.
        return ("community",) if obj is not None else ()

    def service_save(self, request: HttpRequest, form: Any, change: bool) -> Grid | None:
        if change:
            return None  # no grid_update service yet: the model form saves, and the admin audits it
        data = form.cleaned_data
        return grid_create(
            actor=request.user,
            community=data["community"],
            code=data["code"],
            name=data["name"],
            areas=list(data.get("areas") or []),
            boundary=data.get("boundary"),
        )


class HouseholdAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Household
        fields = ("entrance", "number", "grid")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        grid = cleaned.get("grid")
        entrance = cleaned.get("entrance") or (self.instance.entrance if self.instance.entrance_id else None)
        if grid is not None and entrance is not None and grid.community_id != entrance.community_id:
            self.add_error("grid", _("The grid is in another community."))
        return cleaned


@admin.register(Household)
class HouseholdAdmin(ScopedHistoryAdmin):
    form = HouseholdAdminForm
    manage_capability = Capability.MANAGE_PEOPLE
    list_display = ("__str__", "grid", "community")
    list_filter = (CommunityListFilter,)
    list_select_related = ("entrance", "grid", "community")
    search_fields = ("entrance__name", "number")
    autocomplete_fields = ("entrance", "grid")
    ordering = ("entrance__path", "number")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("entrance", "number") if obj is not None else ()

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.select_related("entrance"), duplicates

    def service_save(self, request: HttpRequest, form: Any, change: bool) -> Household | None:
        if change:
            return None
        data = form.cleaned_data
        return household_create(
            actor=request.user, entrance=data["entrance"], number=data["number"], grid=data.get("grid")
        )
