"""The case inbox's filters. They narrow ``selectors.case_list(user=…)`` (already scoped); the grid and region
choices hold only what the user may see, so a foreign id is an invalid choice and names nothing."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from grassroots.accounts.enums import Capability
from grassroots.cases.enums import CaseKind, CaseStatus
from grassroots.cases.models import Case
from grassroots.catalogue.models import ServiceCategory
from grassroots.core.scope import scope_q
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Grid, Region
from grassroots.web.filters import SCOPE_KINDS, ScopedFilterSet, region_choices


class CaseFilter(ScopedFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=50,
        widget=forms.SearchInput(attrs={"placeholder": _("Number, title or description")}),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=CaseKind.choices, empty_label=_("All kinds"))
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=ServiceCategory.objects.none(), empty_label=_("All categories")
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CaseStatus.choices, empty_label=_("All"))
    overdue = django_filters.ChoiceFilter(
        label=_("Overdue"),
        method="filter_overdue",
        choices=[("yes", _("Overdue")), ("no", _("Not overdue"))],
        empty_label=_("All"),
    )
    grid = django_filters.ModelChoiceFilter(label=_("Grid"), queryset=Grid.objects.none(), empty_label=_("All grids"))
    region = django_filters.TypedChoiceFilter(label=_("Region"), method="in_region", coerce=int, empty_value=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["category"].queryset = ServiceCategory.objects.order_by("order", "code")
        self.filters["grid"].queryset = Grid.objects.filter(scope_q(Grid, self.user, Capability.VIEW_CASES)).order_by(
            "code"
        )
        selected = self.data.get("region") if self.data else None
        self.filters["region"].extra["choices"] = [
            ("", _("All regions")),
            *region_choices(
                self.request, (RegionKind.STREET, RegionKind.COMMUNITY), selected, also=RegionKind.COMPOUND
            ),
        ]

    def search(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value) | Q(description__icontains=value))

    def filter_overdue(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        if value == "yes":
            return queryset.overdue()  # type: ignore[attr-defined,no-any-return]
        if value == "no":
            return queryset.exclude(pk__in=Case.objects.overdue().values("pk"))
        return queryset

    def in_region(self, queryset: QuerySet[Case], name: str, value: int | None) -> QuerySet[Case]:
        if not value:
            return queryset
        node = Region.objects.filter(pk=value).only("kind").first()
        if node is None or node.kind not in SCOPE_KINDS:
            return queryset.none()
        return queryset.filter(**{f"{node.kind}_id": node.pk})
