"""The part-time committee member form: who (by name and ID number), from which organisation, which seat, the term."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.accounts.enums import Capability
from grassroots.frontline.forms.reporting import DATE, RegionNameField
from grassroots.frontline.services.committee import SEAT_ORGANIZATION_KINDS
from grassroots.organizations.models import Organization
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Region

DISTRICT_WIDE_KINDS = ("agency", "enterprise", "public_institution", "department")


class OrganizationNameField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.get_kind_display()}）"


class CommitteeSeatForm(forms.Form):
    community = RegionNameField(label=_("Community"), queryset=Region.objects.none())
    name = forms.CharField(label=_("Name"), max_length=50)
    id_number = forms.CharField(
        label=_("ID number"), max_length=18, help_text=_("Used only to find the person; it is not shown anywhere.")
    )
    from_organization = OrganizationNameField(label=_("From organisation"), queryset=Organization.objects.none())
    position = forms.CharField(label=_("Seat"), max_length=60, initial="兼职委员")
    term_start = forms.DateField(label=_("Term starts"), widget=DATE)
    term_end = forms.DateField(label=_("Term ends"), widget=DATE, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        community = self.fields["community"]
        organization = self.fields["from_organization"]
        assert isinstance(community, forms.ModelChoiceField) and isinstance(organization, forms.ModelChoiceField)
        communities = Region.objects.visible_to(user, Capability.MANAGE_FRONTLINE).filter(kind=RegionKind.COMMUNITY)
        community.queryset = communities.order_by("path")
        # Units and departments serve the whole district; property companies, owners' committees and social
        # organisations only the ones where the user works.
        local = Organization.objects.visible_to(user, Capability.VIEW_ORGANIZATIONS).filter(
            kind__in=SEAT_ORGANIZATION_KINDS
        )
        organization.queryset = Organization.objects.filter(
            Q(kind__in=DISTRICT_WIDE_KINDS) | Q(pk__in=local.values("pk"))
        ).order_by("kind", "name")
