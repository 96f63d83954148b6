"""Forms of the residents' and party members' case pages.

The forms parse and offer choices only; every business rule (lengths, photos, the place, slots, ratings) is
checked by the case services, whose errors the views put back on these forms. The place choices are limited to
the resident's own community, so a forged id for another community's building is an invalid choice.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.cases import sla
from grassroots.cases.enums import CaseKind, CaseStatus, NeedGroup, Satisfaction
from grassroots.cases.models import DESCRIPTION_MAX, Case
from grassroots.catalogue.enums import ServiceMode
from grassroots.catalogue.models import ServiceCategory, ServiceItem
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Region

PORTAL_KINDS = (CaseKind.MICRO_WISH, CaseKind.DIFFICULTY, CaseKind.APPOINTMENT)
SLOT_DAYS = 7
PART_CLASS = "js-part"  # inputs sent along when an htmx part of the request form is refreshed


# Appointment slots


@dataclass(frozen=True)
class Slot:
    start: dt.datetime
    left: int | None  # places left; None when the item has no capacity limit

    @property
    def full(self) -> bool:
        return self.left is not None and self.left <= 0

    @property
    def value(self) -> str:
        return timezone.localtime(self.start).isoformat()


@dataclass(frozen=True)
class SlotDay:
    day: dt.date
    slots: list[Slot]


def appointment_slots(
    *, item: ServiceItem, community_id: int | None, now: dt.datetime | None = None, days: int = SLOT_DAYS
) -> list[SlotDay]:
    """The next ``days`` working days with future slots of ``item.slot_minutes`` in the working periods.

    A slot is full when as many bookings of the item in the community start then as the item's capacity.
    """
    now = now or timezone.now()
    step = dt.timedelta(minutes=item.slot_minutes or 30)
    tz = timezone.get_current_timezone()
    periods = sla._periods()  # the same working periods the SLA deadlines count
    booked: Counter[dt.datetime] = Counter(
        Case.objects.filter(
            kind=CaseKind.APPOINTMENT,
            item=item,
            community_id=community_id,
            slot_start__gt=now,
            slot_start__lt=now + dt.timedelta(days=days * 3 + 14),
        )
        .exclude(status__in=[CaseStatus.CANCELLED, CaseStatus.REJECTED])
        .values_list("slot_start", flat=True)
    )
    found: list[SlotDay] = []
    day = timezone.localtime(now, tz).date()
    for _i in range(days * 5 + 30):  # enough calendar days to find ``days`` working days, holidays included
        if len(found) >= days:
            break
        if sla.is_working_day(day):
            slots: list[Slot] = []
            for begin_t, end_t in periods:
                start = dt.datetime.combine(day, begin_t, tzinfo=tz)
                end = dt.datetime.combine(day, end_t, tzinfo=tz)
                while start + step <= end:
                    if start > now:
                        left = None if not item.slot_capacity else item.slot_capacity - booked[start]
                        slots.append(Slot(start=start, left=left))
                    start += step
            if slots:
                found.append(SlotDay(day=day, slots=slots))
        day += dt.timedelta(days=1)
    return found


# The request form


def _pk(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


class RegionChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class CaseRequestForm(forms.Form):
    """A resident's request. Choices depend on what is already chosen (category → item, compound → building →
    entrance); read from ``data`` when bound, else from ``initial`` (an htmx part refresh)."""

    kind = forms.ChoiceField(
        label=_("What do you need?"),
        choices=[(k.value, k.label) for k in PORTAL_KINDS],
        initial=CaseKind.MICRO_WISH,
        widget=forms.RadioSelect,
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=ServiceCategory.objects.filter(is_active=True),
        required=False,
        empty_label=_("Choose a category"),
    )
    item = forms.ModelChoiceField(
        label=_("Service"), queryset=ServiceItem.objects.none(), required=False, empty_label=_("Choose a service")
    )
    slot_start = forms.CharField(label=_("Time"), required=False)
    need_group = forms.ChoiceField(
        label=_("Whom is the wish for?"),
        choices=[("", _("Choose"))] + [(g.value, g.label) for g in NeedGroup],
        required=False,
    )
    description = forms.CharField(
        label=_("Describe what you need"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5, "data-max": str(DESCRIPTION_MAX)}),
    )
    compound = RegionChoiceField(
        label=_("Residential compound"), queryset=Region.objects.none(), required=False, empty_label=_("Choose")
    )
    building = RegionChoiceField(
        label=_("Building"), queryset=Region.objects.none(), required=False, empty_label=_("Whole compound")
    )
    entrance = RegionChoiceField(
        label=_("Entrance"), queryset=Region.objects.none(), required=False, empty_label=_("Whole building")
    )
    lat = forms.DecimalField(required=False, max_digits=12, decimal_places=8, widget=forms.HiddenInput)
    long = forms.DecimalField(required=False, max_digits=12, decimal_places=8, widget=forms.HiddenInput)

    def __init__(self, *args: Any, community: Region, part_url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.community = community
        self._choices("compound").queryset = Region.objects.filter(
            kind=RegionKind.COMPOUND, community_id=community.pk
        ).order_by("code")
        compound_id = _pk(self.value("compound"))
        building: Region | None = None
        if compound_id:
            buildings = Region.objects.filter(
                kind=RegionKind.BUILDING, community_id=community.pk, compound_id=compound_id
            ).order_by("code")
            self._choices("building").queryset = buildings
            building_id = _pk(self.value("building"))
            building = buildings.filter(pk=building_id).first() if building_id else None
        if building is not None:
            self._choices("entrance").queryset = Region.objects.filter(
                kind=RegionKind.ENTRANCE, community_id=community.pk, path__startswith=building.path
            ).order_by("code")
        category_id = _pk(self.value("category"))
        if category_id:
            items = ServiceItem.objects.filter(is_active=True, category_id=category_id).select_related("category")
            if self.value("kind") == CaseKind.APPOINTMENT:
                items = items.filter(mode=ServiceMode.APPOINTMENT)
            self._choices("item").queryset = items.order_by("order", "code")
        if part_url:
            self._wire(part_url)

    def _choices(self, name: str) -> forms.ModelChoiceField:  # type: ignore[type-arg]
        return cast(forms.ModelChoiceField, self.fields[name])  # type: ignore[type-arg]

    def _queryset(self, name: str) -> QuerySet[Any]:
        queryset = self._choices(name).queryset
        assert queryset is not None
        return queryset

    def _wire(self, url: str) -> None:
        """htmx: a change of kind, category or item refreshes the item part; of the place, the place part."""
        common = {"hx-include": f".{PART_CLASS}", "hx-swap": "outerHTML"}
        for name in ("kind", "category", "item"):
            attrs = self.fields[name].widget.attrs
            attrs.update(common, **{"hx-get": f"{url}?part=item", "hx-target": "#part-item"})
            attrs["class"] = PART_CLASS
        for name in ("compound", "building", "entrance"):
            attrs = self.fields[name].widget.attrs
            attrs.update(common, **{"hx-get": f"{url}?part=place", "hx-target": "#part-place"})
            attrs["class"] = PART_CLASS

    def value(self, name: str) -> Any:
        """The current raw value of a field, bound or not."""
        if self.is_bound:
            return self.data.get(self.add_prefix(name))
        value = self.initial.get(name, self.fields[name].initial)
        return getattr(value, "pk", value)

    def clean_slot_start(self) -> dt.datetime | None:
        raw = (self.cleaned_data.get("slot_start") or "").strip()
        if not raw:
            return None
        try:
            value = dt.datetime.fromisoformat(raw)
        except ValueError:
            raise forms.ValidationError(_("Choose one of the listed times.")) from None
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, item = data.get("slot_start"), data.get("item")
        if start is not None and data.get("kind") == CaseKind.APPOINTMENT and item is not None:
            offered = {s.start for d in appointment_slots(item=item, community_id=self.community.pk) for s in d.slots}
            if start not in offered:
                self.add_error("slot_start", _("Choose one of the listed times."))
        return data

    def place(self) -> Region | None:
        data = self.cleaned_data
        return data.get("entrance") or data.get("building") or data.get("compound")

    def chosen_item(self) -> ServiceItem | None:
        item_id = _pk(self.value("item"))
        if not item_id:
            return None
        item: ServiceItem | None = self._queryset("item").filter(pk=item_id).prefetch_related("attributes").first()
        return item

    def chosen_category(self) -> ServiceCategory | None:
        category_id = _pk(self.value("category"))
        return ServiceCategory.objects.filter(pk=category_id, is_active=True).first() if category_id else None

    def chosen_place(self) -> Region | None:
        for name in ("entrance", "building", "compound"):
            pk = _pk(self.value(name))
            queryset: QuerySet[Region] = self._queryset(name)
            if pk and (region := queryset.filter(pk=pk).first()) is not None:
                return region
        return None


def attribute_answers(item: ServiceItem | None, data: Any) -> dict[str, Any]:
    """The answers to an item's extra questions, as posted (``attribute[code]``; several for a multi-list)."""
    if item is None:
        return {}
    answers: dict[str, Any] = {}
    for attribute in item.attributes.all():
        key = f"attribute[{attribute.code}]"
        if attribute.datatype == "multivaluelist":
            answers[attribute.code] = [v for v in data.getlist(key) if v]
        else:
            answers[attribute.code] = (data.get(key) or "").strip()
    return answers


# After the request


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), max_length=200, required=False)


RESOLVED_CHOICES = [("yes", _("Yes, it was resolved")), ("no", _("No, it was not resolved"))]


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("Stars"),
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    satisfaction = forms.ChoiceField(
        label=_("How satisfied are you?"), choices=Satisfaction.choices, required=False, widget=forms.RadioSelect
    )
    resolved = forms.ChoiceField(
        label=_("Was your problem resolved?"), choices=RESOLVED_CHOICES, required=False, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3, "data-max": "500"})
    )

    def resolved_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("resolved") or "")


# Party members


class ReleaseForm(forms.Form):
    reason = forms.CharField(label=_("Why do you give it back?"), required=False, max_length=200)


class FulfilForm(forms.Form):
    note = forms.CharField(label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    # A plain number (the service checks 1 to 10000).
    residents_served = forms.IntegerField(
        label=_("Residents served"),
        required=False,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "1"}),
    )
