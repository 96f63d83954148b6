"""Output and query-parameter serializers of the organisations API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from grassroots.organizations.enums import OrganizationKind
from grassroots.organizations.models import Organization


class OrganizationFilterSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(
        choices=OrganizationKind.choices, required=False, help_text=_("Only organisations of this kind.")
    )
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=150, help_text=_("Name contains, or the exact code.")
    )


class OrganizationListSerializer(serializers.ModelSerializer[Organization]):
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Organization
        fields = ["id", "kind", "name", "code", "region", "region_name", "grid", "parent"]
        read_only_fields = fields


class OrganizationDetailSerializer(serializers.ModelSerializer[Organization]):
    """An organisation. ``parent_name`` is given only when the parent is itself within the user's scope."""

    region_name = serializers.CharField(source="region.name", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True, allow_null=True, default=None)
    parent_name = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = [
            "id",
            "kind",
            "name",
            "code",
            "credit_code",
            "formation",
            "parent",
            "parent_name",
            "region",
            "region_name",
            "street",
            "community",
            "compound",
            "grid",
            "grid_name",
            "served_compounds",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_parent_name(self, obj: Organization) -> str | None:
        if obj.parent_id is None:
            return None
        user = self.context["request"].user
        return Organization.objects.visible_to(user).filter(pk=obj.parent_id).values_list("name", flat=True).first()
