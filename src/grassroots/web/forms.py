"""Filter forms of the list pages. They only parse input; the querysets come from selectors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import AuditAction, AuditEvent
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Region

FILTER_KINDS = (RegionKind.STREET, RegionKind.COMMUNITY)
SCOPE_KINDS = (RegionKind.DISTRICT, RegionKind.STREET, RegionKind.COMMUNITY, RegionKind.COMPOUND)


class RegionChoiceField(forms.TypedChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(coerce=int, empty_value=None, required=False, **kwargs)


def _region_choices(user: Any, selected: Any, kinds: tuple[str, ...]) -> list[tuple[Any, str]]:
    """Visible streets and communities, plus the selected region when it is a visible compound or district."""
    regions = list(Region.objects.visible_to(user).filter(kind__in=kinds).only("pk", "name", "kind").order_by("path"))
    known = {r.pk for r in regions}
    try:
        wanted = int(selected) if selected not in (None, "") else None
    except (TypeError, ValueError):
        wanted = None
    if wanted is not None and wanted not in known:
        extra = Region.objects.visible_to(user).filter(pk=wanted, kind__in=SCOPE_KINDS).only("pk", "name").first()
        if extra is not None:
            regions.insert(0, extra)
    return [("", _("All regions")), *((r.pk, r.name) for r in regions)]


class PersonFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=50,
        widget=forms.SearchInput(attrs={"placeholder": _("Name, pinyin, initials, mobile or ID number")}),
    )
    region = RegionChoiceField(label=_("Region"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        assert isinstance(region, forms.ChoiceField)
        region.choices = _region_choices(user, self.data.get("region"), FILTER_KINDS)


class GridFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=50, widget=forms.SearchInput())
    community = RegionChoiceField(label=_("Community"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        community = self.fields["community"]
        assert isinstance(community, forms.ChoiceField)
        community.choices = _region_choices(user, None, (RegionKind.COMMUNITY,))


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All actions")), *AuditAction.choices]
    )
    actor = forms.CharField(label=_("User name"), required=False, max_length=150)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def filter(self, queryset: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        """Narrow an already scoped queryset; an invalid form narrows nothing."""
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data.get("action"):
            queryset = queryset.filter(action=data["action"])
        if data.get("actor"):
            queryset = queryset.filter(actor__username__iexact=data["actor"].strip())
        # Whole local days as an aware half-open range, so the index on ``at`` is used.
        if data.get("date_from"):
            queryset = queryset.filter(at__gte=_day_start(data["date_from"]))
        if data.get("date_to"):
            queryset = queryset.filter(at__lt=_day_start(data["date_to"] + dt.timedelta(days=1)))
        return queryset


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
