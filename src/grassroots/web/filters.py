"""The filter sets of the list pages (django-filter).

Each one narrows a queryset that is already scoped (``visible_to`` or a selector), and its region choices are
limited to regions the user may see, so an out-of-scope id is an invalid choice: the list shows nothing and
does not name it.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from grassroots.organizations.enums import OrganizationKind
from grassroots.people.data.ethnicities import ETHNICITIES
from grassroots.people.enums import Gender
from grassroots.people.selectors import person_search_q
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Region
from grassroots.web.narrow import narrow

SCOPE_KINDS = (RegionKind.DISTRICT, RegionKind.STREET, RegionKind.COMMUNITY, RegionKind.COMPOUND)
SEARCH_WIDGET = forms.SearchInput


MAX_REGION_CHOICES = 300


def region_choices(
    request: Any, kinds: tuple[str, ...], selected: Any = None, *, also: str | None = None
) -> list[tuple[int, str]]:
    """Visible (and narrowed) regions of ``kinds`` in tree order, plus the selected one if a visible scope region.

    Regions of kind ``also`` (compounds) are offered too while the whole list stays short; in a wide scope they
    are left out (one query either way), and a compound reached by a link is still accepted as ``selected``.
    """
    user = getattr(request, "user", None)
    visible = Region.objects.visible_to(user)
    if request is not None and hasattr(request, "session"):
        visible = narrow(request, visible)
    wanted_kinds = (*kinds, also) if also else kinds
    regions = list(
        visible.filter(kind__in=wanted_kinds).only("pk", "name", "kind").order_by("path")[: MAX_REGION_CHOICES + 1]
    )
    if also and len(regions) > MAX_REGION_CHOICES:
        regions = list(visible.filter(kind__in=kinds).only("pk", "name", "kind").order_by("path"))
    known = {r.pk for r in regions}
    try:
        wanted = int(selected) if selected not in (None, "") else None
    except (TypeError, ValueError):
        wanted = None
    if wanted is not None and wanted not in known:
        extra = Region.objects.visible_to(user).filter(pk=wanted, kind__in=SCOPE_KINDS).only("pk", "name").first()
        if extra is not None:
            regions.insert(0, extra)
    return [(r.pk, r.name) for r in regions]


class ScopedFilterSet(django_filters.FilterSet):
    """A filter set that knows the acting user (``self.request.user``)."""

    @property
    def user(self) -> Any:
        return getattr(self.request, "user", None)

    @property
    def active(self) -> bool:
        """Whether any filter holds a value (for the empty state and the clear button)."""
        if not self.is_bound:
            return False
        if not self.is_valid():
            return True
        return any(v not in (None, "", [], ()) for v in self.form.cleaned_data.values())


class PersonFilter(ScopedFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=50,
        widget=SEARCH_WIDGET(attrs={"placeholder": _("Name, pinyin, initials, mobile or ID number")}),
    )
    region = django_filters.TypedChoiceFilter(label=_("Region"), method="in_region", coerce=int, empty_value=None)
    gender = django_filters.ChoiceFilter(label=_("Gender"), choices=Gender.choices, empty_label=_("All"))
    # By GB/T 3304 code from the static list: no query for the 56 choices.
    ethnicity = django_filters.ChoiceFilter(
        label=_("Ethnic group"), field_name="ethnicity__code", choices=ETHNICITIES, empty_label=_("All")
    )
    party_member = django_filters.BooleanFilter(
        label=_("Party member"),
        field_name="party_membership",
        lookup_expr="isnull",
        exclude=True,
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        selected = self.data.get("region") if self.data else None
        field = self.filters["region"]
        field.extra["choices"] = [
            ("", _("All regions")),
            *region_choices(
                self.request, (RegionKind.STREET, RegionKind.COMMUNITY), selected, also=RegionKind.COMPOUND
            ),
        ]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(person_search_q(value)) if value.strip() else queryset

    def in_region(self, queryset: QuerySet[Any], name: str, value: int | None) -> QuerySet[Any]:
        if not value:
            return queryset
        node = Region.objects.filter(pk=value).only("kind").first()
        if node is None or node.kind not in SCOPE_KINDS:
            return queryset.none()
        return queryset.filter(**{f"{node.kind}_id": node.pk})


class RegionFilter(ScopedFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=50,
        widget=SEARCH_WIDGET(attrs={"placeholder": _("Name or code")}),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=RegionKind.choices, empty_label=_("All kinds"))
    parent = django_filters.TypedChoiceFilter(label=_("Within"), method="within", coerce=int, empty_value=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        selected = self.data.get("parent") if self.data else None
        self.filters["parent"].extra["choices"] = [
            ("", _("All regions")),
            *region_choices(self.request, (RegionKind.DISTRICT, RegionKind.STREET, RegionKind.COMMUNITY), selected),
        ]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(code__startswith=value)) if value else queryset

    def within(self, queryset: QuerySet[Any], name: str, value: int | None) -> QuerySet[Any]:
        if not value:
            return queryset
        node = Region.objects.filter(pk=value).only("path", "depth").first()
        if node is None:
            return queryset.none()
        return queryset.filter(path__startswith=node.path, depth__gt=node.depth)


class GridFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=50, widget=SEARCH_WIDGET())
    community = django_filters.TypedChoiceFilter(
        label=_("Community"), field_name="community_id", coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["community"].extra["choices"] = [
            ("", _("All regions")),
            *region_choices(self.request, (RegionKind.COMMUNITY,)),
        ]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(code__iexact=value)) if value else queryset


class OrganizationFilter(ScopedFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=50,
        widget=SEARCH_WIDGET(attrs={"placeholder": _("Name or code")}),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=OrganizationKind.choices, empty_label=_("All kinds"))
    community = django_filters.TypedChoiceFilter(
        label=_("Community"), field_name="community_id", coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["community"].extra["choices"] = [
            ("", _("All regions")),
            *region_choices(self.request, (RegionKind.COMMUNITY,)),
        ]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(code__iexact=value)) if value else queryset
