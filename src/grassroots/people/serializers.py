"""Output and input serializers of the people API. ID and mobile numbers leave only masked.

The birth date is not given either: with the area code and the last four characters shown by the masked ID
number, it would complete the number. The age is given instead.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from grassroots.core.api import MaskedField
from grassroots.core.personal_data import mask_id_number, mask_mobile
from grassroots.people.models import PartyMembership, Person, PersonRole
from grassroots.people.services import UNMASKABLE


class PersonFilterSerializer(serializers.Serializer[Any]):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=50,
        help_text=_("Name contains; or pinyin / pinyin initials start with; or the exact mobile or ID number."),
    )
    region = serializers.IntegerField(
        required=False, min_value=1, help_text=_("Only persons in this district, street, community or compound.")
    )
    grid = serializers.IntegerField(required=False, min_value=1, help_text=_("Only persons in this grid."))


class PersonListSerializer(serializers.ModelSerializer[Person]):
    ethnicity = serializers.CharField(source="ethnicity.name", read_only=True)
    age = serializers.SerializerMethodField()
    id_number_masked = MaskedField(mask_id_number, source="id_number")
    mobile_masked = MaskedField(mask_mobile, source="mobile")
    community_name = serializers.CharField(source="community.name", read_only=True, allow_null=True, default=None)
    compound_name = serializers.CharField(source="compound.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "gender",
            "ethnicity",
            "age",
            "id_number_masked",
            "mobile_masked",
            "community",
            "community_name",
            "compound",
            "compound_name",
            "grid",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_age(self, obj: Person) -> int | None:
        if obj.birth_date is None:
            return None
        today = timezone.localdate()
        born = obj.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


class PartyMembershipSerializer(serializers.ModelSerializer[PartyMembership]):
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = PartyMembership
        fields = ["organization", "organization_name", "category", "joined_on", "home_unit"]
        read_only_fields = fields


class PersonRoleSerializer(serializers.ModelSerializer[PersonRole]):
    class Meta:
        model = PersonRole
        fields = ["kind", "employment", "region", "grid", "since"]
        read_only_fields = fields


class HouseholdRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    entrance = serializers.IntegerField(source="entrance_id", read_only=True)
    number = serializers.CharField(read_only=True)


class PersonDetailSerializer(PersonListSerializer):
    """A person: the list fields, the household, the masked address, party membership and roles held."""

    household = HouseholdRefSerializer(read_only=True, allow_null=True)
    party_membership = serializers.SerializerMethodField()
    roles = PersonRoleSerializer(many=True, read_only=True)

    class Meta(PersonListSerializer.Meta):
        fields = [
            *PersonListSerializer.Meta.fields,
            "street",
            "household",
            "address_masked",
            "party_membership",
            "roles",
        ]
        read_only_fields = fields

    @extend_schema_field(PartyMembershipSerializer(allow_null=True))
    def get_party_membership(self, obj: Person) -> dict[str, Any] | None:
        try:
            membership = obj.party_membership
        except PartyMembership.DoesNotExist:
            return None
        return dict(PartyMembershipSerializer(membership).data)


class UnmaskSerializer(serializers.Serializer[Any]):
    # The body is {"fields": [...]}; the declared field shadows Serializer.fields for the type checker only.
    fields = serializers.ListField(  # type: ignore[assignment]
        child=serializers.ChoiceField(choices=[(f, f) for f in UNMASKABLE]),
        required=False,
        allow_empty=False,
        max_length=len(UNMASKABLE),
        help_text=_("Which numbers to show in clear (default: all)."),
    )


class UnmaskedNumbersSerializer(serializers.Serializer[Any]):
    id_number = serializers.CharField(required=False, read_only=True)
    mobile = serializers.CharField(required=False, read_only=True)
