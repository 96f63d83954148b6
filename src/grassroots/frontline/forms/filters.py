"""The filter sets of the frontline lists (django-filter). Each narrows a queryset a selector already scoped;
region choices hold only regions the user may see, so a foreign id is an invalid choice and names nothing."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from grassroots.catalogue.models import ServiceCategory
from grassroots.frontline.enums import CampaignStatus
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Region
from grassroots.web.filters import SCOPE_KINDS, ScopedFilterSet, region_choices


def _in_region(queryset: QuerySet[Any], value: int | None) -> QuerySet[Any]:
    if not value:
        return queryset
    node = Region.objects.filter(pk=value).only("kind").first()
    if node is None or node.kind not in SCOPE_KINDS:
        return queryset.none()
    return queryset.filter(**{f"{node.kind}_id": node.pk})


class MemberRosterFilter(ScopedFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=50,
        widget=forms.SearchInput(attrs={"placeholder": _("Name, pinyin or initials")}),
    )
    post = django_filters.ModelChoiceFilter(
        label=_("Service post"),
        field_name="posts",
        queryset=ServiceCategory.objects.none(),
        empty_label=_("All posts"),
        distinct=True,
    )
    region = django_filters.TypedChoiceFilter(label=_("Region"), method="in_region", coerce=int, empty_value=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["post"].queryset = ServiceCategory.objects.filter(is_active=True).order_by("order", "code")
        selected = self.data.get("region") if self.data else None
        self.filters["region"].extra["choices"] = [
            ("", _("All regions")),
            *region_choices(
                self.request, (RegionKind.STREET, RegionKind.COMMUNITY), selected, also=RegionKind.COMPOUND
            ),
        ]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value:
            return queryset
        # Names only: the roster is never searched (nor shown) by ID or mobile number.
        compact = value.replace(" ", "").lower()
        if compact.isascii() and compact.isalpha():
            return queryset.filter(
                Q(person__name_initials__startswith=compact) | Q(person__name_pinyin__startswith=compact)
            )
        return queryset.filter(person__name__contains=value)

    def in_region(self, queryset: QuerySet[Any], name: str, value: int | None) -> QuerySet[Any]:
        return _in_region(queryset, value)


class CampaignFilter(ScopedFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), field_name="title", lookup_expr="icontains", max_length=50, widget=forms.SearchInput()
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CampaignStatus.choices, empty_label=_("All"))
    region = django_filters.TypedChoiceFilter(label=_("Region"), method="in_region", coerce=int, empty_value=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        selected = self.data.get("region") if self.data else None
        self.filters["region"].extra["choices"] = [
            ("", _("All regions")),
            *region_choices(self.request, (RegionKind.STREET, RegionKind.COMMUNITY), selected),
        ]

    def in_region(self, queryset: QuerySet[Any], name: str, value: int | None) -> QuerySet[Any]:
        return _in_region(queryset, value)


class SquadFilter(ScopedFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=50,
        widget=forms.SearchInput(attrs={"placeholder": _("Squad, corps or code")}),
    )
    region = django_filters.TypedChoiceFilter(label=_("Region"), method="in_region", coerce=int, empty_value=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        selected = self.data.get("region") if self.data else None
        self.filters["region"].extra["choices"] = [
            ("", _("All regions")),
            *region_choices(self.request, (RegionKind.STREET, RegionKind.COMMUNITY), selected),
        ]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value) | Q(parent__name__icontains=value))

    def in_region(self, queryset: QuerySet[Any], name: str, value: int | None) -> QuerySet[Any]:
        return _in_region(queryset, value)
