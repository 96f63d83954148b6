"""Forms of the points pages: the ranking's filters, a new rule version, a service record, the feedback period."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.accounts.enums import Capability
from grassroots.frontline.enums import PointsSource, ReportStatus, ServiceKind
from grassroots.frontline.forms.campaigns import DATETIME
from grassroots.frontline.forms.reporting import DATE, RegionNameField, unit_admin_units
from grassroots.frontline.models import MemberReport, UnitReport
from grassroots.organizations.models import Organization
from grassroots.people.models import Person
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Region

MAX_PERIOD_DAYS = 3 * 366


def year_choices(back: int = 4) -> list[tuple[int, str]]:
    this = timezone.localdate().year
    return [(y, str(y)) for y in range(this, this - back - 1, -1)]


class RankingForm(forms.Form):
    """The ranking's filters (GET): year, community and unit — each only among what the user may see."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=(), required=False)
    community = forms.TypedChoiceField(label=_("Community"), coerce=int, choices=(), required=False, empty_value=None)
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int, choices=(), required=False, empty_value=None)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year = self.fields["year"]
        community = self.fields["community"]
        unit = self.fields["unit"]
        assert isinstance(year, forms.TypedChoiceField)
        assert isinstance(community, forms.TypedChoiceField) and isinstance(unit, forms.TypedChoiceField)
        year.choices = year_choices()
        year.initial = timezone.localdate().year
        communities = Region.objects.visible_to(user, Capability.VIEW_FRONTLINE).filter(kind=RegionKind.COMMUNITY)
        community.choices = [("", _("All communities")), *communities.order_by("path").values_list("pk", "name")]
        # The units that reported (or whose members reported) somewhere the user sees.
        unit_ids = set(
            UnitReport.objects.visible_to(user).filter(status=ReportStatus.CONFIRMED).values_list("unit_id", flat=True)
        ) | set(
            MemberReport.objects.visible_to(user)
            .filter(status=ReportStatus.CONFIRMED, home_unit__isnull=False)
            .values_list("home_unit_id", flat=True)
        )
        units = Organization.objects.filter(pk__in=unit_ids).order_by("code")
        unit.choices = [("", _("All units")), *units.values_list("pk", "name")]

    def value(self, name: str) -> Any:
        """The cleaned value, or None when the form (or that field) is not valid."""
        if not self.is_valid():
            return None
        return self.cleaned_data.get(name)


class RulesPublishForm(forms.Form):
    """A new version of the points rules: one figure per source, and the day it applies from."""

    effective_from = forms.DateTimeField(
        label=_("Applies from"),
        widget=DATETIME,
        help_text=_("Points earned from then on are priced by the new version; earlier ones keep theirs."),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, current: dict[str, Decimal] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = current or {}
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        self.fields["effective_from"].initial = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time.min))
        for source, label in PointsSource.choices:
            self.fields[f"points_{source}"] = forms.DecimalField(
                label=label, max_digits=6, decimal_places=2, min_value=Decimal(0), initial=current.get(source)
            )

    def clean_effective_from(self) -> dt.datetime:
        moment: dt.datetime = self.cleaned_data["effective_from"]
        if moment < timezone.now():
            raise forms.ValidationError(_("New rules cannot apply from a time in the past."), code="past")
        return moment

    def points(self) -> dict[str, Decimal]:
        return {source: self.cleaned_data[f"points_{source}"] for source in PointsSource.values}

    def point_fields(self) -> list[forms.BoundField]:
        return [self[f"points_{source}"] for source in PointsSource.values]


class PersonNameField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def confirmed_members(user: Any) -> QuerySet[Person]:
    """Persons with a confirmed report to a community the user manages the frontline of."""
    reports = MemberReport.objects.visible_to(user, Capability.MANAGE_FRONTLINE).filter(status=ReportStatus.CONFIRMED)
    return Person.objects.filter(pk__in=reports.values("person_id")).order_by("name_pinyin", "pk")


class ServiceRecordForm(forms.Form):
    person = PersonNameField(label=_("Party member"), queryset=Person.objects.none())
    region = RegionNameField(label=_("Where"), queryset=Region.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=ServiceKind.choices, initial=ServiceKind.ACTIVITY)
    title = forms.CharField(label=_("What"), max_length=150)
    served_on = forms.DateField(label=_("Date"), widget=DATE)
    hours = forms.DecimalField(
        label=_("Hours"), max_digits=5, decimal_places=1, min_value=Decimal("0.1"), max_value=Decimal(24)
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        region = self.fields["region"]
        assert isinstance(person, forms.ModelChoiceField) and isinstance(region, forms.ModelChoiceField)
        person.queryset = confirmed_members(user)
        region.queryset = (
            Region.objects.visible_to(user, Capability.MANAGE_FRONTLINE)
            .filter(kind__in=(RegionKind.STREET, RegionKind.COMMUNITY, RegionKind.COMPOUND))
            .order_by("path")
        )

    def clean_served_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["served_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."), code="future")
        return day


class FeedbackForm(forms.Form):
    """The unit admin's feedback report: which unit, which period, which file."""

    FORMATS = (("xlsx", _("Excel")), ("pdf", _("PDF")))

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Organization.objects.none())
    date_from = forms.DateField(label=_("From"), widget=DATE)
    date_to = forms.DateField(label=_("To"), widget=DATE)
    format = forms.ChoiceField(
        label=_("File"), choices=FORMATS, initial="xlsx", required=False, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = unit_admin_units(user)
        if unit.queryset.count() == 1:
            unit.initial = unit.queryset.first()
            unit.widget = forms.HiddenInput()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["format"] = cleaned.get("format") or "xlsx"
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end:
            if end < start:
                self.add_error("date_to", _("The end date is before the start date."))
            elif (end - start).days > MAX_PERIOD_DAYS:
                self.add_error("date_to", _("Choose a period of at most three years."))
        return cleaned
