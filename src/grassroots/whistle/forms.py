"""Forms of the whistle pages: blowing a whistle (with one row per department called), the action forms of a
whistle's page, and the list filters. They parse input and limit choices to the user's scope; the services
validate and write (an ``ApplicationError`` comes back as field errors through ``web.forms.apply_error``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.accounts.enums import Capability
from grassroots.cases.enums import Satisfaction
from grassroots.organizations.models import Organization
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Region
from grassroots.web.filters import ScopedFilterSet
from grassroots.whistle import selectors
from grassroots.whistle.enums import CallStatus, Urgency, WhistleStatus
from grassroots.whistle.models import Whistle, WhistleCall

# Rows offered for departments on the blow form (empty rows are ignored).
CALL_ROWS = 6
PHOTO_ACCEPT = "image/jpeg,image/png,image/webp"
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def callable_departments(user: Any = None) -> QuerySet[Organization]:
    """Organisations a whistle may call (departments, agencies, institutions, enterprises, property companies)
    that ``user`` may know of: those serving the whole district, those serving a street the user works in, and
    those in the user's organisation scope. Never one of another community."""
    from grassroots.whistle.services.blow import CALLABLE_KINDS

    departments = Organization.objects.filter(kind__in=CALLABLE_KINDS).order_by("kind", "name")
    if user is None or getattr(user, "is_superuser", False):
        return departments
    streets = (
        Region.objects.visible_to(user, Capability.VIEW_WHISTLES)
        .filter(kind__in=(RegionKind.STREET, RegionKind.COMMUNITY), street__isnull=False)
        .values("street_id")
    )
    known = (
        Q(community__isnull=True, street__isnull=True)
        | Q(community__isnull=True, street_id__in=streets)
        | Q(pk__in=Organization.objects.visible_to(user).values("pk"))
    )
    return departments.filter(known)


def blow_regions(user: Any) -> QuerySet[Region]:
    """Communities and streets the user may blow a whistle for."""
    return (
        Region.objects.visible_to(user, Capability.BLOW_WHISTLE)
        .filter(kind__in=(RegionKind.STREET, RegionKind.COMMUNITY))
        .order_by("path")
    )


def minutes_text(minutes: int) -> str:
    from django.utils.translation import ngettext

    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


class RegionField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


class DepartmentField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class WhistleBlowForm(forms.Form):
    """The whistle itself; the departments called come in ``CallFormSet``."""

    region = RegionField(label=_("Blown by"), queryset=Region.objects.none(), empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=100)
    description = forms.CharField(
        label=_("What the matter is"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL, widget=forms.RadioSelect
    )
    handle_due = forms.DateTimeField(
        label=_("Handle by"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        help_text=_("When the departments must have handled the matter and fed back."),
    )
    origin_case = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        assert isinstance(region, forms.ModelChoiceField)
        region.queryset = blow_regions(user)
        from grassroots.whistle.services.blow import report_minutes

        urgent, normal = report_minutes(Urgency.URGENT), report_minutes(Urgency.NORMAL)
        self.fields["urgency"].help_text = _(
            "Urgent: each department must report on site within %(urgent)s; normal: within %(normal)s. "
            "A department that does not is escalated to the street, then to the district."
        ) % {"urgent": minutes_text(urgent), "normal": minutes_text(normal)}


class CallForm(forms.Form):
    """One department called and what it must do; an empty row is skipped."""

    department = DepartmentField(
        label=_("Department"), queryset=Organization.objects.none(), required=False, empty_label=_("— choose —")
    )
    task = forms.CharField(
        label=_("What it must do"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. remove the illegal structure")}),
    )

    def __init__(self, *args: Any, departments: QuerySet[Organization] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        department = self.fields["department"]
        assert isinstance(department, forms.ModelChoiceField)
        department.queryset = departments if departments is not None else callable_departments()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        department, task = cleaned.get("department"), (cleaned.get("task") or "").strip()
        if department is None and task and "department" not in self.errors:
            self.add_error("department", _("Choose the department for this task."))
        if department is not None and not task:
            self.add_error("task", _("Say what this department must do."))
        return cleaned


class BaseCallFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.departments = callable_departments(user)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        kwargs["departments"] = self.departments
        return kwargs

    def clean(self) -> None:
        if any(self.errors):
            return
        seen: set[int] = set()
        for form in self.forms:
            department = form.cleaned_data.get("department")
            if department is None:
                continue
            if department.pk in seen:
                form.add_error("department", _("This department is already called above."))
            seen.add(department.pk)
        if not seen:
            raise forms.ValidationError(_("Call at least one department."), code="no_department")

    def calls(self) -> list[tuple[Organization, str]]:
        return [
            (form.cleaned_data["department"], form.cleaned_data["task"].strip())
            for form in self.forms
            if form.cleaned_data.get("department") is not None
        ]


CallFormSet = forms.formset_factory(CallForm, formset=BaseCallFormSet, extra=CALL_ROWS, max_num=CALL_ROWS)


def call_formset(*args: Any, **kwargs: Any) -> BaseCallFormSet:
    formset = CallFormSet(*args, **kwargs)
    assert isinstance(formset, BaseCallFormSet)
    return formset


def default_handle_due(now: dt.datetime | None = None) -> dt.datetime:
    """Three days from now, at the next full hour (the form's suggestion)."""
    now = timezone.localtime(now or timezone.now())
    return (now + dt.timedelta(days=3)).replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)


# ---------------------------------------------------------------------------------------- action forms


class AcknowledgeForm(forms.Form):
    pass


class ReportForm(forms.Form):
    on_site_people = forms.CharField(
        label=_("Who came"), max_length=200, help_text=_("Names (and posts) of the people on site.")
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    photo = forms.ImageField(
        label=_("Photo on site"), required=False, widget=forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT})
    )


class FeedbackForm(forms.Form):
    note = forms.CharField(label=_("How it was handled"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class RateForm(forms.Form):
    rating = forms.ChoiceField(label=_("Rating"), choices=Satisfaction.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required unless satisfied."),
    )


class CloseForm(forms.Form):
    note = forms.CharField(label=_("How it ended"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


# ---------------------------------------------------------------------------------------------- filters


class WhistleFilter(ScopedFilterSet):
    """The whistle board's filters. They narrow ``selectors.whistle_list(user=…)`` (already scoped)."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=50,
        widget=forms.SearchInput(attrs={"placeholder": _("Number, title or description")}),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=WhistleStatus.choices, empty_label=_("All"))
    urgency = django_filters.ChoiceFilter(label=_("Urgency"), choices=Urgency.choices, empty_label=_("All"))
    overdue = django_filters.ChoiceFilter(
        label=_("Overdue"),
        method="filter_overdue",
        choices=[("yes", _("Overdue")), ("no", _("Not overdue"))],
        empty_label=_("All"),
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Department"),
        queryset=Organization.objects.none(),
        method="filter_department",
        empty_label=_("All departments"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["department"].queryset = callable_departments(self.user)

    def search(self, queryset: QuerySet[Whistle], name: str, value: str) -> QuerySet[Whistle]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(calls__department__name__icontains=value)
        ).distinct()

    def filter_overdue(self, queryset: QuerySet[Whistle], name: str, value: str) -> QuerySet[Whistle]:
        if value not in ("yes", "no"):
            return queryset
        overdue = selectors.whistle_list(user=self.user, overdue=True).values("pk")
        return queryset.filter(pk__in=overdue) if value == "yes" else queryset.exclude(pk__in=overdue)

    def filter_department(
        self, queryset: QuerySet[Whistle], name: str, value: Organization | None
    ) -> QuerySet[Whistle]:
        if value is None:
            return queryset
        return queryset.filter(pk__in=WhistleCall.objects.filter(department=value).values("whistle_id"))


class CallFilter(ScopedFilterSet):
    """A department's calls ("my whistles"): open (still owing something) or all, and a search."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=50,
        widget=forms.SearchInput(attrs={"placeholder": _("Number, title or community")}),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CallStatus.choices, empty_label=_("All"))

    def search(self, queryset: QuerySet[WhistleCall], name: str, value: str) -> QuerySet[WhistleCall]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(whistle__number__icontains=value)
            | Q(whistle__title__icontains=value)
            | Q(whistle__region__name__icontains=value)
            | Q(task__icontains=value)
        )


class MonthForm(forms.Form):
    month = forms.CharField(
        label=_("Month"),
        required=False,
        widget=forms.DateInput(attrs={"type": "month"}),
        help_text=_("As YYYY-MM."),
    )

    def clean_month(self) -> dt.date | None:
        from grassroots.whistle.views.common import month_from_text

        text = (self.cleaned_data.get("month") or "").strip()
        if not text:
            return None
        month = month_from_text(text)
        if month is None:
            raise forms.ValidationError(_("Give the month as YYYY-MM."), code="invalid")
        return month
