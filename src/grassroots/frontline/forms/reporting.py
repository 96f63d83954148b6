"""Forms of the reporting pages: decisions, the unit report with its commitments and resources, projects.

They parse input and limit choices to what the user may pick; the services validate and write, and their
``ApplicationError.fields`` come back as field errors.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from grassroots.accounts.enums import Role
from grassroots.accounts.roles import anchors_for, organizations_for
from grassroots.frontline.enums import ProjectStatus, ResourceKind
from grassroots.frontline.models import UnitCommitment, UnitReport
from grassroots.organizations.models import Organization
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Region

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NOTE_MAX = 300
MAX_BULK = 200


class RegionNameField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ConfirmForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX, required=False)


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("Why it is returned"), max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 2}))


class IdListField(forms.Field):
    """Ticked row ids (``name=ids`` repeated): whole numbers, at most ``MAX_BULK``."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, (list, tuple)) else ([value] if value else [])
        try:
            ids = sorted({int(v) for v in values})
        except (TypeError, ValueError) as exc:
            raise forms.ValidationError(_("Pick reports from the list."), code="invalid") from exc
        if len(ids) > MAX_BULK:
            raise forms.ValidationError(
                _("At most %(max)d reports can be confirmed at once.") % {"max": MAX_BULK}, code="too_many"
            )
        return ids

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise forms.ValidationError(_("Tick the reports to confirm."), code="required")


class BulkConfirmForm(forms.Form):
    """The member reports ticked in the inbox, confirmed together or not at all."""

    ids = IdListField(label=_("Reports"))
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX, required=False)


def unit_admin_units(user: Any) -> QuerySet[Organization]:
    return Organization.objects.filter(pk__in=organizations_for(user, Role.UNIT_ADMIN)).order_by("code")


def reportable_communities(user: Any) -> QuerySet[Region]:
    """Communities a unit admin may report to: those in the regions their unit-admin roles are anchored at."""
    q = Q(pk__in=[])
    for anchor in anchors_for(user):
        if anchor.role != Role.UNIT_ADMIN:
            continue
        if anchor.level == RegionKind.COMMUNITY:
            q |= Q(pk=anchor.pk)
        elif anchor.level in (RegionKind.DISTRICT, RegionKind.STREET):
            q |= Q(**{f"{anchor.level}_id": anchor.pk})
    if getattr(user, "is_superuser", False):
        q = Q()
    return Region.objects.filter(q, kind=RegionKind.COMMUNITY).order_by("path")


class UnitReportForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Organization.objects.none())
    community = RegionNameField(label=_("Community reported to"), queryset=Region.objects.none())
    agreement_title = forms.CharField(label=_("Co-construction agreement"), max_length=150)
    agreement_start = forms.DateField(label=_("Agreement starts"), widget=DATE)
    agreement_end = forms.DateField(label=_("Agreement ends"), widget=DATE)
    contact_name = forms.CharField(label=_("Contact person"), max_length=50, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        community = self.fields["community"]
        assert isinstance(unit, forms.ModelChoiceField) and isinstance(community, forms.ModelChoiceField)
        unit.queryset = unit_admin_units(user)
        community.queryset = reportable_communities(user)
        if unit.queryset.count() == 1:
            unit.initial = unit.queryset.first()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("agreement_start"), cleaned.get("agreement_end")
        if start and end and end < start:
            self.add_error("agreement_end", _("The agreement ends before it starts."))
        return cleaned


class CommitmentForm(forms.Form):
    text = forms.CharField(label=_("Commitment"), max_length=200, required=False)
    yearly_target = forms.IntegerField(label=_("Per year"), min_value=1, max_value=1000, initial=1, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("text") and not cleaned.get("yearly_target"):
            cleaned["yearly_target"] = 1
        return cleaned


class ResourceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *ResourceKind.choices], required=False)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    quantity = forms.CharField(label=_("Quantity"), max_length=50, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("description") and not cleaned.get("kind"):
            self.add_error("kind", _("Choose the kind of resource."))
        if cleaned.get("kind") and not cleaned.get("description"):
            self.add_error("description", _("Describe the resource."))
        return cleaned


# Blank rows are left out; without JavaScript the form offers a fixed number of rows.
CommitmentFormSet = forms.formset_factory(CommitmentForm, extra=3, max_num=20, absolute_max=20)
ResourceFormSet = forms.formset_factory(ResourceForm, extra=4, max_num=30, absolute_max=30)


class ProjectAddForm(forms.Form):
    title = forms.CharField(label=_("Project"), max_length=150)
    commitment = forms.ModelChoiceField(
        label=_("Towards the commitment"), queryset=UnitCommitment.objects.none(), required=False
    )
    description = forms.CharField(
        label=_("Description"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    started_on = forms.DateField(label=_("Started on"), required=False, widget=DATE)

    def __init__(self, *args: Any, report: UnitReport, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["commitment"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = UnitCommitment.objects.filter(report=report).order_by("id")


class ProjectUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ProjectStatus.choices)
    done_on = forms.DateField(label=_("Done on"), required=False, widget=DATE)
    residents_served = forms.IntegerField(
        label=_("Residents served"), min_value=0, max_value=1_000_000, initial=0, required=False
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("status") == ProjectStatus.DONE and not cleaned.get("done_on"):
            self.add_error("done_on", _("Give the date the project was done."))
        cleaned["residents_served"] = cleaned.get("residents_served") or 0
        return cleaned
