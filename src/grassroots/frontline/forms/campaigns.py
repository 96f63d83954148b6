"""Forms of the campaign pages: a campaign, its places and its shifts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from grassroots.accounts.enums import Capability
from grassroots.frontline.enums import PlaceKind
from grassroots.frontline.forms.reporting import DATE, RegionNameField
from grassroots.frontline.models import Campaign, CampaignPlace
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Region

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MAX_NEEDED = 500


class CampaignForm(forms.Form):
    region = RegionNameField(label=_("Region"), queryset=Region.objects.none())
    title = forms.CharField(label=_("Title"), max_length=100)
    description = forms.CharField(
        label=_("Description"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        assert isinstance(region, forms.ModelChoiceField)
        region.queryset = (
            Region.objects.visible_to(user, Capability.MANAGE_FRONTLINE)
            .filter(kind__in=(RegionKind.STREET, RegionKind.COMMUNITY, RegionKind.COMPOUND))
            .order_by("path")
        )
        if region.queryset.count() == 1:
            region.initial = region.queryset.first()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The campaign ends before it starts."))
        return cleaned


class PlaceForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("campaign place", "Place"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=PlaceKind.choices)
    region = RegionNameField(label=_("Compound"), queryset=Region.objects.none(), required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        assert isinstance(region, forms.ModelChoiceField)
        # Compounds within the campaign's region (or the region itself when it is a compound).
        node = campaign.region
        within = Q(pk=node.pk) if node.kind == RegionKind.COMPOUND else Q(**{f"{node.kind}_id": node.pk})
        region.queryset = Region.objects.filter(within, kind=RegionKind.COMPOUND).order_by("path")


class ShiftForm(forms.Form):
    place = forms.ModelChoiceField(
        label=pgettext_lazy("campaign place", "Place"), queryset=CampaignPlace.objects.none()
    )
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DATETIME)
    needed = forms.IntegerField(label=_("People needed"), min_value=1, max_value=MAX_NEEDED, initial=2)
    duty = forms.CharField(label=_("Duty"), max_length=200, required=False)

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        place = self.fields["place"]
        assert isinstance(place, forms.ModelChoiceField)
        place.queryset = CampaignPlace.objects.filter(campaign=campaign).order_by("id")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        if start and end:
            if end <= start:
                self.add_error("ends_at", _("The shift ends before it starts."))
            elif end - start > dt.timedelta(hours=24):
                self.add_error("ends_at", _("A shift lasts at most 24 hours."))
        return cleaned
