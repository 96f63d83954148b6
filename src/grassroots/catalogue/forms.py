"""Forms of the catalogue editor. They parse and limit choices to the user's scope; the services validate and
write, and their field errors come back under the fields (``web.forms.apply_error``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from grassroots.accounts.enums import Capability
from grassroots.catalogue.enums import AttributeType, FirstHandler, HoursKind, ProviderKind, ServiceMode
from grassroots.catalogue.models import ServiceAttribute, ServiceCategory, SlaPolicy
from grassroots.organizations.models import Organization
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Region
from grassroots.web.forms import RegionLabelField

CODE_HELP = _("Letters, digits, hyphens or underscores; it cannot be changed later.")


def _order_field(minimum: int = 0) -> forms.IntegerField:
    return forms.IntegerField(label=_("Position"), min_value=minimum, max_value=32767, initial=minimum or 0)


class _EditorForm(forms.Form):
    """Create and edit share one form; on edit the code is fixed and the active switch appears."""

    has_code = True
    has_active = True

    def __init__(self, *args: Any, user: Any = None, instance: Any = None, **kwargs: Any) -> None:
        self.user = user
        self.instance = instance
        super().__init__(*args, **kwargs)
        if instance is not None:
            self.fields.pop("code", None)
        elif "is_active" in self.fields:
            del self.fields["is_active"]


class SlaPolicyForm(_EditorForm):
    code = forms.CharField(label=_("Code"), max_length=32, help_text=CODE_HELP)
    name = forms.CharField(label=_("Name"), max_length=60)
    response_hours = forms.IntegerField(label=_("Respond within (hours)"), min_value=1)
    resolution_hours = forms.IntegerField(label=_("Resolve within (hours)"), min_value=1)
    hours_kind = forms.ChoiceField(label=_("Counted in"), choices=HoursKind.choices)


class CategoryForm(_EditorForm):
    code = forms.CharField(label=_("Code"), max_length=32, help_text=CODE_HELP)
    name = forms.CharField(label=_("Name"), max_length=40)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    sla_policy = forms.ModelChoiceField(label=_("SLA policy"), queryset=SlaPolicy.objects.order_by("response_hours"))
    first_handler = forms.ChoiceField(label=_("First handler"), choices=FirstHandler.choices)
    order = _order_field()
    is_active = forms.BooleanField(
        label=_("Active"), required=False, help_text=_("An inactive category offers no items to new requests.")
    )


class ItemForm(_EditorForm):
    category = forms.ModelChoiceField(label=_("Category"), queryset=ServiceCategory.objects.order_by("order", "code"))
    code = forms.CharField(
        label=_("Code"), max_length=32, help_text=_("The Open311 service code; it cannot be changed later.")
    )
    name = forms.CharField(label=_("Name"), max_length=60)
    description = forms.CharField(
        label=_("Description"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    keywords = forms.CharField(
        label=_("Keywords"), max_length=200, required=False, help_text=_("Separated by commas; used for matching.")
    )
    mode = forms.ChoiceField(label=_("Service mode"), choices=ServiceMode.choices)
    provider_kinds = forms.MultipleChoiceField(
        label=_("Provided by"), choices=ProviderKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    sla_policy = forms.ModelChoiceField(
        label=_("SLA policy"),
        queryset=SlaPolicy.objects.order_by("response_hours"),
        required=False,
        empty_label=_("As the category"),
    )
    slot_minutes = forms.IntegerField(
        label=_("Appointment slot (minutes)"), required=False, min_value=1, help_text=_("Appointment services only.")
    )
    slot_capacity = forms.IntegerField(
        label=_("Bookings per slot"), required=False, min_value=1, help_text=_("Appointment services only.")
    )
    order = _order_field()


class AttributeForm(_EditorForm):
    code = forms.CharField(
        label=_("Code"), max_length=32, help_text=_("The Open311 attribute code; it cannot be changed later.")
    )
    description = forms.CharField(label=_("Question"), max_length=200)
    datatype = forms.ChoiceField(label=_("Data type"), choices=AttributeType.choices)
    required = forms.BooleanField(label=_("Required"), required=False)
    order = _order_field(1)
    values = forms.CharField(
        label=_("Answers to choose from"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("For list questions: one answer per line, as key: name (for example, tv: 电视)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance: ServiceAttribute | None = self.instance
        if instance is not None and not self.is_bound:
            self.initial.setdefault("values", "\n".join(f"{key}: {name}" for key, name in instance.values))

    def clean_values(self) -> list[list[str]]:
        rows: list[list[str]] = []
        for number, line in enumerate((self.cleaned_data.get("values") or "").splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            for separator in (":", "：", "="):
                if separator in line:
                    key, name = line.split(separator, 1)
                    rows.append([key.strip(), name.strip()])
                    break
            else:
                raise forms.ValidationError(_("Line %(number)s: write the answer as key: name.") % {"number": number})
        return rows


def _community_regions(user: Any, kinds: tuple[str, ...]) -> Any:
    return Region.objects.visible_to(user, Capability.HANDLE_CASES).filter(kind__in=kinds).order_by("path")


class BrandForm(_EditorForm):
    name = forms.CharField(label=_("Name"), max_length=60)
    region = RegionLabelField(label=_("Community"), queryset=Region.objects.none())
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=ServiceCategory.objects.order_by("order", "code"), required=False
    )
    description = forms.CharField(
        label=_("Description"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    providers = forms.ModelMultipleChoiceField(
        label=_("Providers"), queryset=Organization.objects.none(), required=False
    )
    is_active = forms.BooleanField(label=_("Active"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        providers = self.fields["providers"]
        assert isinstance(region, forms.ModelChoiceField) and isinstance(providers, forms.ModelMultipleChoiceField)
        region.queryset = _community_regions(self.user, (RegionKind.COMMUNITY,))
        providers.queryset = (
            Organization.objects.visible_to(self.user, Capability.HANDLE_CASES)
            .filter(community__isnull=False)
            .order_by("community__path", "code")
        )


class StationForm(_EditorForm):
    name = forms.CharField(label=_("Name"), max_length=60)
    region = RegionLabelField(label=_("Place"), queryset=Region.objects.none())
    location = forms.CharField(label=_("Location"), max_length=120, required=False)
    opening_hours = forms.CharField(label=_("Opening hours"), max_length=60, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        assert isinstance(region, forms.ModelChoiceField)
        region.queryset = _community_regions(self.user, (RegionKind.COMMUNITY, RegionKind.COMPOUND))


class Open311ClientForm(forms.Form):
    name = forms.CharField(
        label=_("Client name"), max_length=100, help_text=_("Who will use the key, e.g. the 12345 hotline system.")
    )
