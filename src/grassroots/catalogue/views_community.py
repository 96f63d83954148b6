"""The catalogue editor's community pages: featured brands and Red Rope stations.

Everyone who may view cases reads those in their scope; staff who handle cases in a community add and edit its
brands and stations. One outside the user's handling scope is a 404.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from grassroots.catalogue import selectors, services
from grassroots.catalogue.forms import BrandForm, StationForm
from grassroots.catalogue.models import RedRopeStation, ServiceBrand
from grassroots.catalogue.tables import BrandTable, CommunityDataFilter, StationTable
from grassroots.catalogue.views import HANDLE, VIEW, CatalogueFormView, CatalogueMixin, crumbs
from grassroots.web.exports import ExportColumn, display
from grassroots.web.lists import ScopedListView
from grassroots.web.views.base import Crumb


class CommunityDataListView(CatalogueMixin, ScopedListView):
    capability = VIEW
    filterset_class = CommunityDataFilter
    template_name = "catalogue/community_list.html"
    create_capability = HANDLE

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        shown = [row.pk for row in context["object_list"]]
        model: Any = self.model
        context["editable"] = set(
            model.objects.visible_to(self.request.user, HANDLE).filter(pk__in=shown).values_list("pk", flat=True)
        )
        return context

    def get_breadcrumbs(self) -> list[Crumb]:
        return crumbs((self.title, None))


class BrandListView(CommunityDataListView):
    model = ServiceBrand
    table_class = BrandTable
    title = _("Featured service brands")
    export_title = _("Featured service brands")
    create_url_name = "catalogue:brand_create"
    tab = "brands"
    export_columns = (
        ExportColumn(_("Name"), display("name")),
        ExportColumn(_("Community"), display("region.name")),
        ExportColumn(_("Category"), display("category.name")),
        ExportColumn(_("Description"), display("description")),
    )

    def get_scoped_queryset(self) -> QuerySet[ServiceBrand]:
        return selectors.brand_list(user=self.request.user)


class StationListView(CommunityDataListView):
    model = RedRopeStation
    table_class = StationTable
    title = _("Red Rope stations")
    export_title = _("Red Rope stations")
    create_url_name = "catalogue:station_create"
    tab = "stations"
    export_columns = (
        ExportColumn(_("Name"), display("name")),
        ExportColumn(_("Place"), display("region.name")),
        ExportColumn(_("Location"), display("location")),
        ExportColumn(_("Opening hours"), display("opening_hours")),
    )

    def get_scoped_queryset(self) -> QuerySet[RedRopeStation]:
        return selectors.station_list(user=self.request.user)


class BrandCreateView(CatalogueFormView):
    capability = HANDLE
    model = ServiceBrand
    form_class = BrandForm
    title: ClassVar[str | Promise] = _("Add a featured brand")
    cancel_name = "catalogue:brand_list"
    tab = "brands"

    def fields(self, form: BrandForm) -> dict[str, Any]:
        d = form.cleaned_data
        return {
            "name": d["name"],
            "region": d["region"],
            "description": d.get("description") or "",
            "category": d.get("category"),
            "providers": list(d.get("providers") or []),
        }

    def save(self, form: BrandForm) -> ServiceBrand:
        return services.brand_create(actor=self.request.user, **self.fields(form))


class BrandUpdateView(BrandCreateView):
    title = _("Edit featured brand")

    def get_object(self) -> ServiceBrand:
        try:
            return selectors.brand_get(user=self.request.user, pk=self.kwargs["pk"], capability=HANDLE)
        except ServiceBrand.DoesNotExist as exc:
            raise Http404 from exc

    def get_initial(self) -> dict[str, Any]:
        b = self.object
        return {
            "name": b.name,
            "region": b.region_id,
            "category": b.category_id,
            "description": b.description,
            "providers": list(b.providers.values_list("pk", flat=True)),
            "is_active": b.is_active,
        }

    def save(self, form: BrandForm) -> ServiceBrand:
        return services.brand_update(
            actor=self.request.user,
            brand=self.object,
            is_active=form.cleaned_data.get("is_active", False),
            **self.fields(form),
        )


class StationCreateView(CatalogueFormView):
    capability = HANDLE
    model = RedRopeStation
    form_class = StationForm
    title: ClassVar[str | Promise] = _("Add a Red Rope station")
    cancel_name = "catalogue:station_list"
    tab = "stations"

    def fields(self, form: StationForm) -> dict[str, Any]:
        d = form.cleaned_data
        return {
            "name": d["name"],
            "region": d["region"],
            "location": d.get("location") or "",
            "opening_hours": d.get("opening_hours") or "",
        }

    def save(self, form: StationForm) -> RedRopeStation:
        return services.station_create(actor=self.request.user, **self.fields(form))


class StationUpdateView(StationCreateView):
    title = _("Edit Red Rope station")

    def get_object(self) -> RedRopeStation:
        try:
            return selectors.station_get(user=self.request.user, pk=self.kwargs["pk"], capability=HANDLE)
        except RedRopeStation.DoesNotExist as exc:
            raise Http404 from exc

    def get_initial(self) -> dict[str, Any]:
        s = self.object
        return {
            "name": s.name,
            "region": s.region_id,
            "location": s.location,
            "opening_hours": s.opening_hours,
            "is_active": s.is_active,
        }

    def save(self, form: StationForm) -> RedRopeStation:
        return services.station_update(
            actor=self.request.user,
            station=self.object,
            is_active=form.cleaned_data.get("is_active", False),
            **self.fields(form),
        )
