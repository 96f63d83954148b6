"""Forms of the web pages: the audit filter, and the create/edit forms. They parse input; services write.

The list pages' filters are django-filter sets in ``web.filters``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from grassroots.accounts.enums import Capability
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditAction, AuditEvent
from grassroots.organizations.enums import Formation, OrganizationKind
from grassroots.organizations.models import Organization
from grassroots.people.enums import Gender
from grassroots.people.models import Ethnicity, Person
from grassroots.people.services import PersonData
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Grid, Household, Region

SCOPE_KINDS = (RegionKind.DISTRICT, RegionKind.STREET, RegionKind.COMMUNITY, RegionKind.COMPOUND)


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


# Create and edit forms. They parse and limit choices to the user's manage scope; the services validate and write,
# and their ``ApplicationError.fields`` come back as field errors (``apply_error``).

LARGE_CHOICES = 500


def apply_error(form: forms.Form, exc: ApplicationError) -> None:
    """Put a service's field errors under the form's fields (others, and the message, above the form)."""
    placed = False
    for name, errors in exc.fields.items():
        for error in errors:
            if name in form.fields:
                form.add_error(name, error)
                placed = True
            else:
                form.add_error(None, error)
    if not placed:
        form.add_error(None, exc.message)


def _limit_widget(field: forms.ModelChoiceField) -> None:  # type: ignore[type-arg]
    """A choice among very many (a district's buildings) is entered by number instead of a huge drop-down."""
    if field.queryset is not None and field.queryset.count() > LARGE_CHOICES:
        field.widget = forms.NumberInput(attrs={"inputmode": "numeric"})
        field.help_text = _("Enter the record's number (shown in its page address).")


class RegionLabelField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


class HouseholdField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.entrance.name} {obj.number}"


class PersonForm(forms.Form):
    """Create or edit a person. On edit, ID number, mobile and address are write-only: empty keeps them."""

    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50)
    gender = forms.ChoiceField(
        label=_("Gender"), required=False, choices=[("", _("From the ID number")), *Gender.choices]
    )
    ethnicity = forms.ModelChoiceField(label=_("Ethnic group"), queryset=Ethnicity.objects.order_by("code"))
    id_number = forms.CharField(
        label=_("ID number"), required=False, max_length=20, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    mobile = forms.CharField(
        label=_("Mobile"), required=False, max_length=20, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    address = forms.CharField(
        label=_("Address"), required=False, max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    household = HouseholdField(label=_("Household"), queryset=Household.objects.none(), required=False)

    def __init__(self, *args: Any, user: Any, instance: Person | None = None, **kwargs: Any) -> None:
        self.instance = instance
        super().__init__(*args, **kwargs)
        household = self.fields["household"]
        assert isinstance(household, forms.ModelChoiceField)
        household.queryset = (
            Household.objects.visible_to(user, Capability.MANAGE_PEOPLE)
            .select_related("entrance")
            .order_by("entrance__path", "number")
        )
        # A person without a household has no place in the tree and would be invisible to everyone but a superuser.
        household.required = not getattr(user, "is_superuser", False)
        _limit_widget(household)
        if instance is not None:
            keep = _("Leave empty to keep the recorded value.")
            for name, masked in (
                ("id_number", instance.id_number_masked),
                ("mobile", instance.mobile_masked),
                ("address", instance.address_masked),
            ):
                field = self.fields[name]
                field.help_text = keep
                if masked:
                    field.widget.attrs["placeholder"] = masked

    def person_data(self) -> PersonData:
        data = self.cleaned_data
        person = self.instance
        return PersonData(
            name=data["name"],
            gender=data.get("gender") or "",
            ethnicity=data.get("ethnicity"),
            # On edit the ID number decides the birth date again only when a new one is typed.
            birth_date=person.birth_date if person is not None and not data.get("id_number") else None,
            id_number=data.get("id_number") or (person.id_number or "" if person is not None else ""),
            mobile=data.get("mobile") or (person.mobile or "" if person is not None else ""),
            address=data.get("address") or (person.address or "" if person is not None else ""),
            household=data.get("household"),
        )


class RegionCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=RegionKind.choices)
    parent = RegionLabelField(label=_("Parent region"), queryset=Region.objects.none(), required=False)
    name = forms.CharField(label=_("Name"), max_length=100)
    code = forms.CharField(label=_("Code"), max_length=32)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        parent.queryset = (
            Region.objects.visible_to(user, Capability.MANAGE_TERRITORY)
            .exclude(kind=RegionKind.ENTRANCE)
            .order_by("path")
        )
        # Only a superuser may add a new root (district); everyone else adds under a region in their scope.
        parent.required = not getattr(user, "is_superuser", False)
        if parent.required:
            kind = self.fields["kind"]
            assert isinstance(kind, forms.ChoiceField)
            kind.choices = [c for c in RegionKind.choices if c[0] != RegionKind.DISTRICT]
        _limit_widget(parent)


class RegionRenameForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)


class GridForm(forms.Form):
    community = RegionLabelField(label=_("Community"), queryset=Region.objects.none())
    code = forms.CharField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=100)
    areas = forms.ModelMultipleChoiceField(label=_("Areas covered"), queryset=Region.objects.none(), required=False)
    boundary = forms.JSONField(label=_("Boundary (GeoJSON)"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, user: Any, instance: Grid | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manageable = Region.objects.visible_to(user, Capability.MANAGE_TERRITORY)
        community = self.fields["community"]
        areas = self.fields["areas"]
        assert isinstance(community, forms.ModelChoiceField) and isinstance(areas, forms.ModelMultipleChoiceField)
        community.queryset = manageable.filter(kind=RegionKind.COMMUNITY).order_by("path")
        area_qs = manageable.filter(kind__in=(RegionKind.COMPOUND, RegionKind.BUILDING)).order_by("path")
        if instance is not None:
            del self.fields["community"]  # a grid stays in its community
            area_qs = area_qs.filter(community_id=instance.community_id)
        areas.queryset = area_qs
        if instance is None:
            _limit_widget(community)


class OrganizationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganizationKind.choices)
    name = forms.CharField(label=_("Name"), max_length=150)
    code = forms.CharField(label=_("Code"), max_length=32)
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=18, required=False)
    parent = forms.ModelChoiceField(
        label=_("Parent organisation"), queryset=Organization.objects.none(), required=False
    )
    region = RegionLabelField(label=_("Region served"), queryset=Region.objects.none())
    grid = forms.ModelChoiceField(label=_("Grid"), queryset=Grid.objects.none(), required=False)
    formation = forms.ChoiceField(label=_("How formed"), required=False, choices=[("", "—"), *Formation.choices])

    def __init__(self, *args: Any, user: Any, instance: Organization | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        capability = Capability.MANAGE_TERRITORY  # organisations are managed by territory managers for now
        parent = self.fields["parent"]
        region = self.fields["region"]
        grid = self.fields["grid"]
        assert isinstance(parent, forms.ModelChoiceField)
        assert isinstance(region, forms.ModelChoiceField) and isinstance(grid, forms.ModelChoiceField)
        parents = Organization.objects.visible_to(user, capability).order_by("code")
        if instance is not None:
            parents = parents.exclude(pk=instance.pk)
        parent.queryset = parents
        region.queryset = Region.objects.visible_to(user, capability).filter(kind__in=SCOPE_KINDS).order_by("path")
        grid.queryset = Grid.objects.visible_to(user, capability).order_by("code")
        for field in (parent, region, grid):
            _limit_widget(field)
