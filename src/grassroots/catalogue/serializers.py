"""Output and query-parameter serializers of the catalogue API (district-wide data, read-only)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from grassroots.catalogue.enums import ProviderKind, ServiceMode
from grassroots.catalogue.models import ServiceAttribute, ServiceCategory, ServiceItem, SlaPolicy


class SlaPolicySerializer(serializers.ModelSerializer[SlaPolicy]):
    class Meta:
        model = SlaPolicy
        fields = ["code", "name", "response_hours", "resolution_hours", "hours_kind"]
        read_only_fields = fields


class ServiceCategorySerializer(serializers.ModelSerializer[ServiceCategory]):
    sla_policy = SlaPolicySerializer(read_only=True)
    item_count = serializers.IntegerField(read_only=True, help_text=_("Active service items in the category."))

    class Meta:
        model = ServiceCategory
        fields = ["id", "code", "name", "description", "first_handler", "order", "sla_policy", "item_count"]
        read_only_fields = fields


class ServiceAttributeSerializer(serializers.ModelSerializer[ServiceAttribute]):
    values = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(), min_length=2, max_length=2),
        read_only=True,
        help_text=_("The allowed answers of a list question, as [key, name] pairs."),
    )

    class Meta:
        model = ServiceAttribute
        fields = ["code", "datatype", "description", "required", "order", "values"]
        read_only_fields = fields


class ServiceItemListSerializer(serializers.ModelSerializer[ServiceItem]):
    category: serializers.SlugRelatedField[ServiceCategory] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    category_name = serializers.CharField(source="category.name", read_only=True)
    provider_kinds = serializers.ListField(child=serializers.ChoiceField(choices=ProviderKind.choices), read_only=True)
    sla_policy = SlaPolicySerializer(source="effective_sla", read_only=True)
    attributes = ServiceAttributeSerializer(many=True, read_only=True)

    class Meta:
        model = ServiceItem
        fields = [
            "id",
            "code",
            "name",
            "description",
            "keywords",
            "category",
            "category_name",
            "mode",
            "provider_kinds",
            "sla_policy",
            "slot_minutes",
            "slot_capacity",
            "attributes",
        ]
        read_only_fields = fields


class ServiceItemFilterSerializer(serializers.Serializer[Any]):
    category = serializers.CharField(
        required=False, allow_blank=True, max_length=32, help_text=_("Only items of this category (code or id).")
    )
    mode = serializers.ChoiceField(
        choices=ServiceMode.choices, required=False, help_text=_("Only items offered in this service mode.")
    )
    q = serializers.CharField(required=False, allow_blank=True, max_length=50, help_text=_("Name or keywords contain."))
