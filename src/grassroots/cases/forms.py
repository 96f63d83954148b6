"""Forms of the staff case pages. They parse input and limit choices to the user's scope; services validate
and write (an ``ApplicationError`` comes back as field errors through ``web.forms.apply_error``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from grassroots.accounts.enums import Capability
from grassroots.accounts.roles import anchors_for
from grassroots.cases.enums import CaseKind, Channel, NeedGroup, Satisfaction
from grassroots.cases.models import DESCRIPTION_MAX, Case
from grassroots.cases.services import CaseInput
from grassroots.cases.services.flow import CLAIMING_ORG_KINDS
from grassroots.cases.services.photos import MAX_PHOTOS
from grassroots.catalogue.models import ServiceCategory, ServiceItem
from grassroots.core.scope import scope_q
from grassroots.organizations.enums import UNIT_KINDS, OrganizationKind
from grassroots.organizations.models import Organization
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Region

# The channels a member of staff takes a case in through, in the order offered.
STAFF_CHANNEL_ORDER = (Channel.WALK_IN, Channel.PHONE, Channel.GRID_WORKER, Channel.BUILDING_HEAD, Channel.HOTLINE)
# Organisations above the community (no community column) that may still claim a community's case.
DISTRICT_WIDE_CLAIMERS = frozenset({*UNIT_KINDS, OrganizationKind.VOLUNTEER_TEAM, OrganizationKind.SOCIAL_ORGANIZATION})
PHOTO_ACCEPT = "image/jpeg,image/png,image/webp"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to nine photos from one ``<input type=file multiple>``; their content is checked by the service."""

    widget = MultipleFileInput(attrs={"accept": PHOTO_ACCEPT})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Photos"))
        kwargs.setdefault("help_text", _("Up to %(max)d photos (JPEG, PNG or WebP).") % {"max": MAX_PHOTOS})
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(
                _("At most %(max)d photos can be attached.") % {"max": MAX_PHOTOS}, code="too_many_photos"
            )
        return [f for f in files if f]


class RegionChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def intake_compounds(user: Any) -> QuerySet[Region]:
    """Compounds where the user may take cases in: those of their case-handling scope; for a grid worker, the
    compounds their grid covers (the whole community when the grid has no areas drawn yet)."""
    compounds = Region.objects.filter(kind=RegionKind.COMPOUND).order_by("path")
    if getattr(user, "is_superuser", False):
        return compounds
    q = Q(pk__in=[])
    for anchor in anchors_for(user, Capability.HANDLE_CASES):
        if anchor.level == "grid":
            covered = set(
                Region.objects.filter(covering_grids=anchor.pk, compound__isnull=False).values_list(
                    "compound_id", flat=True
                )
            )
            q |= Q(pk__in=covered) if covered else Q(community_id=anchor.community_id)
        elif anchor.level in ("district", "street", "community", "compound"):
            q |= Q(**{f"{anchor.level}_id": anchor.pk})
    return compounds.filter(q)


class CaseIntakeForm(forms.Form):
    """Staff intake of a resident's need (walk-in, phone, grid worker, building head, 12345 hotline).

    The place is picked compound → building → entrance; the most precise one chosen is the case's place.
    Choices that depend on another field (items of a category, buildings of a compound, entrances of a building)
    follow the submitted (or initial) value, so a stale or foreign id is simply not a valid choice.
    """

    channel = forms.ChoiceField(label=_("Taken in by"))
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices)
    category = forms.ModelChoiceField(label=_("Category"), queryset=ServiceCategory.objects.none())
    item = forms.ModelChoiceField(
        label=_("Service item"), queryset=ServiceItem.objects.none(), required=False, empty_label=_("— none —")
    )
    compound = RegionChoiceField(label=_("Compound"), queryset=Region.objects.none())
    building = RegionChoiceField(
        label=_("Building"), queryset=Region.objects.none(), required=False, empty_label=_("— whole compound —")
    )
    entrance = RegionChoiceField(
        label=_("Entrance"), queryset=Region.objects.none(), required=False, empty_label=_("— whole building —")
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=100,
        required=False,
        help_text=_("Leave empty to use the start of the description."),
    )
    description = forms.CharField(
        label=_("Description"), max_length=DESCRIPTION_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    requester_name = forms.CharField(label=_("Resident's name"), max_length=50, required=False)
    contact_mobile = forms.CharField(
        label=_("Contact mobile"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    need_group = forms.ChoiceField(
        label=_("Resident group"),
        required=False,
        choices=[("", _("— not applicable —")), *NeedGroup.choices],
        help_text=_("Needed for micro-wishes."),
    )
    slot_start = forms.DateTimeField(
        label=_("Appointment time"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("For service appointments."),
    )
    lat = forms.DecimalField(label=_("Latitude"), required=False, max_digits=9, decimal_places=6)
    long = forms.DecimalField(label=_("Longitude"), required=False, max_digits=9, decimal_places=6)
    photos = PhotosField()
    accept = forms.BooleanField(
        label=_("Accept now"),
        required=False,
        initial=True,
        help_text=_("A micro-wish accepted now is verified and goes on the wish wall."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["channel"].choices = [(c.value, c.label) for c in STAFF_CHANNEL_ORDER]  # type: ignore[attr-defined]
        self._field("category").queryset = ServiceCategory.objects.filter(is_active=True).order_by("order", "code")
        category_id = self._raw("category")
        self._field("item").queryset = (
            ServiceItem.objects.filter(category_id=category_id, is_active=True).order_by("order", "code")
            if category_id
            else ServiceItem.objects.none()
        )
        compounds = intake_compounds(user)
        self._field("compound").queryset = compounds
        compound_id, building_id = self._raw("compound"), self._raw("building")
        compound = compounds.filter(pk=compound_id).first() if compound_id else None
        buildings = (
            Region.objects.filter(kind=RegionKind.BUILDING, path__startswith=compound.path).order_by("path")
            if compound is not None
            else Region.objects.none()
        )
        self._field("building").queryset = buildings
        building = buildings.filter(pk=building_id).first() if building_id else None
        self._field("entrance").queryset = (
            Region.objects.filter(kind=RegionKind.ENTRANCE, path__startswith=building.path).order_by("path")
            if building is not None
            else Region.objects.none()
        )

    def _field(self, name: str) -> forms.ModelChoiceField:  # type: ignore[type-arg]
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        return field

    def _raw(self, name: str) -> int | None:
        """The submitted (or initial) id of a choice field, as an int, before validation."""
        value = self.data.get(name) if self.is_bound else self.initial.get(name)
        if isinstance(value, Region | ServiceCategory):
            return int(value.pk)
        try:
            return int(str(value)) if value not in (None, "") else None
        except ValueError:
            return None

    def picked(self, name: str) -> Any:
        """The chosen object of a choice field before full validation (None unless it is a valid choice)."""
        raw = self._raw(name)
        queryset = self._field(name).queryset
        return queryset.filter(pk=raw).first() if raw and queryset is not None else None

    def picked_place(self) -> Region | None:
        return self.picked("entrance") or self.picked("building") or self.picked("compound")  # type: ignore[no-any-return]

    @property
    def place(self) -> Region | None:
        data = self.cleaned_data
        return data.get("entrance") or data.get("building") or data.get("compound")

    def case_input(self, attributes: dict[str, Any]) -> CaseInput:
        data = self.cleaned_data
        return CaseInput(
            kind=data["kind"],
            place=self.place,
            description=data["description"],
            channel=data["channel"],
            category=data["category"],
            item=data.get("item"),
            title=data.get("title") or "",
            need_group=data.get("need_group") or "",
            requester_name=data.get("requester_name") or "",
            contact_mobile=data.get("contact_mobile") or "",
            lat=data.get("lat"),
            long=data.get("long"),
            attributes=attributes,
            slot_start=data.get("slot_start"),
        )


def attribute_answers(item: ServiceItem | None, post: Any) -> dict[str, Any]:
    """The answers to an item's extra questions, posted as ``attribute[code]`` (lists for multi-value ones)."""
    if item is None:
        return {}
    answers: dict[str, Any] = {}
    for attribute in item.attributes.all():
        name = f"attribute[{attribute.code}]"
        if attribute.datatype == "multivaluelist":
            values = [v for v in post.getlist(name) if v]
            if values:
                answers[attribute.code] = values
        elif post.get(name, "").strip():
            answers[attribute.code] = post[name].strip()
    return answers


# Action forms of the case page


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=200, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AcceptForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


def claim_organizations(user: Any, case: Case) -> QuerySet[Organization]:
    """Who staff may record a claim for: claiming kinds in the user's case scope, and units, volunteer teams and
    social organisations registered above the community (district- or street-wide) over the case's street."""
    above = Q(community__isnull=True, kind__in=DISTRICT_WIDE_CLAIMERS) & (
        Q(street_id=case.street_id) | Q(street__isnull=True, district_id=case.district_id)
    )
    return (
        Organization.objects.filter(kind__in=CLAIMING_ORG_KINDS)
        .filter(scope_q(Organization, user, Capability.HANDLE_CASES) | above)
        .order_by("kind", "code")
    )


class ClaimForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Claimed by"),
        queryset=Organization.objects.none(),
        help_text=_("The unit, volunteer team or committee that takes it on."),
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, user: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = claim_organizations(user, case)


class FulfilForm(forms.Form):
    note = forms.CharField(label=_("What was done"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    residents_served = forms.IntegerField(label=_("Residents served"), min_value=1, max_value=10000, initial=1)
    photos = PhotosField()


class RateForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("Stars"), coerce=int, choices=[(n, "★" * n) for n in range(5, 0, -1)], initial=5
    )
    satisfaction = forms.ChoiceField(label=_("Satisfaction"), choices=Satisfaction.choices, widget=forms.RadioSelect)
    resolved = forms.TypedChoiceField(
        label=_("Resolved, as the resident says"),
        required=False,
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
        choices=[("", _("Follow the satisfaction")), ("yes", _("Yes")), ("no", _("No"))],
    )
    comment = forms.CharField(
        label=_("Comment"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    public = forms.BooleanField(
        label=_("Show to the resident"),
        required=False,
        help_text=_("Unticked, the note is internal: only staff see it."),
    )


def uploaded(files: Any, name: str) -> Sequence[UploadedFile]:
    return list(files.getlist(name)) if files is not None else []
