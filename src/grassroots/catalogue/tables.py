"""Tables and filter sets of the catalogue list pages (django-tables2, django-filter)."""

from __future__ import annotations

from typing import Any

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from grassroots.catalogue.enums import ServiceMode
from grassroots.catalogue.models import RedRopeStation, ServiceBrand, ServiceCategory, ServiceItem
from grassroots.territory.enums import RegionKind
from grassroots.web.filters import ScopedFilterSet, region_choices
from grassroots.web.tables import MONO, NUM, BaseTable

SEARCH = forms.SearchInput


def _yes_no(value: bool) -> str:
    return str(_("Yes") if value else _("No"))


class ItemTable(BaseTable):
    code = tables.Column(verbose_name=_("Code"), attrs=MONO)
    name = tables.Column(verbose_name=_("Name"), linkify=("catalogue:item_detail", [tables.A("pk")]))
    category = tables.Column(
        verbose_name=_("Category"), accessor="category__name", order_by=("category__order", "order", "code")
    )
    mode = tables.Column(verbose_name=_("Service mode"))
    sla = tables.Column(verbose_name=_("SLA policy"), accessor="effective_sla", orderable=False)
    attribute_count = tables.Column(verbose_name=_("Questions"), attrs=NUM)
    is_active = tables.Column(verbose_name=_("Offered"))

    class Meta(BaseTable.Meta):
        model = ServiceItem
        fields = ("code", "name", "category", "mode", "sla", "attribute_count", "is_active")

    def render_is_active(self, value: bool) -> str:
        return _yes_no(value)


class BrandTable(BaseTable):
    name = tables.Column(verbose_name=_("Name"))
    region = tables.Column(verbose_name=_("Community"), accessor="region__name", order_by=("region__path", "name"))
    category = tables.Column(verbose_name=_("Category"), accessor="category__name", default="—")
    description = tables.Column(verbose_name=_("Description"), orderable=False, default="—")
    is_active = tables.Column(verbose_name=_("Active"))
    edit = tables.TemplateColumn(
        verbose_name="",
        orderable=False,
        template_code=(
            '{% load i18n %}{% if record.pk in editable %}<a href="{% url "catalogue:brand_update" record.pk %}">'
            '{% translate "Edit" %}</a>{% endif %}'
        ),
    )

    class Meta(BaseTable.Meta):
        model = ServiceBrand
        fields = ("name", "region", "category", "description", "is_active", "edit")

    def render_is_active(self, value: bool) -> str:
        return _yes_no(value)


class StationTable(BaseTable):
    name = tables.Column(verbose_name=_("Name"))
    region = tables.Column(verbose_name=_("Place"), accessor="region__name", order_by=("region__path", "name"))
    location = tables.Column(verbose_name=_("Location"), orderable=False, default="—")
    opening_hours = tables.Column(verbose_name=_("Opening hours"), orderable=False, default="—")
    is_active = tables.Column(verbose_name=_("Active"))
    edit = tables.TemplateColumn(
        verbose_name="",
        orderable=False,
        template_code=(
            '{% load i18n %}{% if record.pk in editable %}<a href="{% url "catalogue:station_update" record.pk %}">'
            '{% translate "Edit" %}</a>{% endif %}'
        ),
    )

    class Meta(BaseTable.Meta):
        model = RedRopeStation
        fields = ("name", "region", "location", "opening_hours", "is_active", "edit")

    def render_is_active(self, value: bool) -> str:
        return _yes_no(value)


ACTIVE_CHOICES = [("", _("All")), ("true", _("Offered")), ("false", _("Not offered"))]


class ItemFilter(ScopedFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=50,
        widget=SEARCH(attrs={"placeholder": _("Name, code or keyword")}),
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=ServiceCategory.objects.order_by("order", "code"), empty_label=_("All")
    )
    mode = django_filters.ChoiceFilter(label=_("Service mode"), choices=ServiceMode.choices, empty_label=_("All"))
    is_active = django_filters.BooleanFilter(label=_("Offered"), widget=forms.Select(choices=ACTIVE_CHOICES))

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value) | Q(keywords__icontains=value))


class CommunityDataFilter(ScopedFilterSet):
    """Brands and stations: search by name, narrow to one community of the user's scope."""

    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=50, widget=SEARCH())
    community = django_filters.TypedChoiceFilter(
        label=_("Community"), field_name="community_id", coerce=int, empty_value=None
    )
    is_active = django_filters.BooleanFilter(
        label=_("Active"), widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))])
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["community"].extra["choices"] = [
            ("", _("All regions")),
            *region_choices(self.request, (RegionKind.COMMUNITY,)),
        ]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        return queryset.filter(name__icontains=value) if value else queryset
