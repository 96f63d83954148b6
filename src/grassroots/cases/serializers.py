"""Serializers of the cases API: query parameters, list and detail output, and the input of each action.

Mobile numbers leave only masked. A case shown to a claimer from the wall (before they claim it) reads like the
public wish wall: the requester's name masked, the compound instead of the building or entrance, no map point,
no answers and no photos. Input serializers only check types and shapes; the services check the rules, so
their messages and codes are the same from every channel.
"""

from __future__ import annotations

import json
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from grassroots.cases.enums import CaseKind, CaseStatus, NeedGroup, Satisfaction
from grassroots.cases.models import Case, CaseEvent, CasePhoto
from grassroots.catalogue.models import ServiceCategory, ServiceItem
from grassroots.core.api import MaskedField
from grassroots.core.personal_data import mask_mobile, mask_name

# How a case is shown to the reader (the serializer context's "view").
STAFF, OWN, WALL = "staff", "own", "wall"

# -------------------------------------------------------------------------------------------------- queries


class CaseFilterSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=CaseKind.choices, required=False, help_text=_("Only cases of this kind."))
    status = serializers.ChoiceField(
        choices=CaseStatus.choices,
        required=False,
        help_text=_(
            "Only cases in this status. status=open lists exactly the cases the user can claim now: for handlers "
            "the open cases in their scope, for party members and units the wall of every community they may "
            "claim in."
        ),
    )
    category = serializers.CharField(
        required=False, allow_blank=True, max_length=32, help_text=_("Only cases of this category (code or id).")
    )
    region = serializers.IntegerField(
        required=False, min_value=1, help_text=_("Only cases in this district, street, community or compound.")
    )
    grid = serializers.IntegerField(required=False, min_value=1, help_text=_("Only cases in this grid."))
    overdue = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("true: only active cases past a deadline; false: only cases that are not."),
    )
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=50, help_text=_("Case number, title or description contains.")
    )


# --------------------------------------------------------------------------------------------------- output


class CaseListSerializer(serializers.ModelSerializer[Case]):
    category: serializers.SlugRelatedField[ServiceCategory] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    category_name = serializers.CharField(source="category.name", read_only=True)
    item: serializers.SlugRelatedField[ServiceItem] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    item_name = serializers.CharField(source="item.name", read_only=True, allow_null=True, default=None)
    community_name = serializers.CharField(source="community.name", read_only=True, allow_null=True, default=None)
    compound_name = serializers.CharField(source="compound.name", read_only=True, allow_null=True, default=None)
    requester_masked = serializers.CharField(read_only=True, help_text=_("The requester's name, masked (张*)."))
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)
    claimer = serializers.CharField(source="claimer_label", read_only=True, help_text=_("Who claimed the case."))

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "kind",
            "status",
            "category",
            "category_name",
            "item",
            "item_name",
            "title",
            "need_group",
            "requester_masked",
            "community",
            "community_name",
            "compound",
            "compound_name",
            "grid",
            "level",
            "submitted_at",
            "response_due",
            "resolution_due",
            "overdue",
            "claimer",
            "slot_start",
        ]
        read_only_fields = fields


class CaseEventSerializer(serializers.ModelSerializer[CaseEvent]):
    class Meta:
        model = CaseEvent
        fields = ["at", "kind", "actor_label", "from_status", "to_status", "note"]
        read_only_fields = fields


def photo_url(token: str) -> str:
    """The photo page checks that the reader may see the case; the path is fixed if the view is not there."""
    try:
        return reverse("cases:photo", kwargs={"token": token})
    except NoReverseMatch:
        return f"/cases/photos/{token}/"


class CasePhotoSerializer(serializers.ModelSerializer[CasePhoto]):
    url = serializers.SerializerMethodField()

    class Meta:
        model = CasePhoto
        fields = ["url", "stage", "content_type", "size", "uploaded_at"]
        read_only_fields = fields

    def get_url(self, obj: CasePhoto) -> str:
        return photo_url(obj.token)


class RatingSerializer(serializers.Serializer[Any]):
    stars = serializers.IntegerField(source="rating_stars", read_only=True)
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices, read_only=True)
    resolved = serializers.BooleanField(source="rating_resolved", read_only=True, allow_null=True)
    comment = serializers.CharField(source="rating_comment", read_only=True)
    rated_at = serializers.DateTimeField(read_only=True)


class CaseDetailSerializer(CaseListSerializer):
    """A case with its place, requester (mobile masked), handler, claimer, deadlines, photos and timeline."""

    place_name = serializers.CharField(source="place.name", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True, allow_null=True, default=None)
    contact_mobile_masked = MaskedField(mask_mobile, source="contact_mobile")
    assignee_org_name = serializers.CharField(source="assignee_org.name", read_only=True, allow_null=True, default=None)
    claimer_org_name = serializers.CharField(source="claimer_org.name", read_only=True, allow_null=True, default=None)
    rating = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()

    class Meta(CaseListSerializer.Meta):
        fields = [
            *CaseListSerializer.Meta.fields,
            "channel",
            "description",
            "attributes",
            "place",
            "place_name",
            "grid_name",
            "lat",
            "long",
            "requester_name",
            "contact_mobile_masked",
            "assignee_org",
            "assignee_org_name",
            "claimer_org",
            "claimer_org_name",
            "claimed_at",
            "slot_end",
            "verified_at",
            "responded_at",
            "fulfilled_at",
            "closed_at",
            "escalation_count",
            "reopen_count",
            "fulfilment_note",
            "residents_served",
            "reject_reason",
            "rating",
            "photos",
            "timeline",
        ]
        read_only_fields = fields

    @extend_schema_field(RatingSerializer(allow_null=True))
    def get_rating(self, obj: Case) -> dict[str, Any] | None:
        return None if obj.rated_at is None else dict(RatingSerializer(obj).data)

    @extend_schema_field(CasePhotoSerializer(many=True))
    def get_photos(self, obj: Case) -> list[dict[str, Any]]:
        if self.context.get("view") == WALL:
            return []
        return list(CasePhotoSerializer(obj.photos.order_by("uploaded_at", "id"), many=True).data)

    @extend_schema_field(CaseEventSerializer(many=True))
    def get_timeline(self, obj: Case) -> list[dict[str, Any]]:
        from grassroots.cases.selectors import timeline

        events = timeline(case=obj, public_only=self.context.get("view") != STAFF)
        return list(CaseEventSerializer(events, many=True).data)

    def to_representation(self, instance: Case) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if self.context.get("view") == WALL:
            # Read like the public wall: no building or entrance, no point, no answers, no number.
            data.update(
                place=instance.compound_id,
                place_name=data["compound_name"],
                lat=None,
                long=None,
                attributes={},
                requester_name=mask_name(instance.requester_name),
                contact_mobile_masked="",
            )
        return data


class CaseErrorSerializer(serializers.Serializer[Any]):
    """The one error shape of the API."""

    code = serializers.CharField(help_text=_("A stable error code, e.g. already_claimed or case_invalid."))
    message = serializers.CharField(help_text=_("A message to show the user, in their language."))
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()), help_text=_("Messages per input field.")
    )


# ---------------------------------------------------------------------------------------------------- input


@extend_schema_field(OpenApiTypes.OBJECT)
class AnswersField(serializers.Field):  # type: ignore[type-arg]
    """A JSON object: as such in a JSON body, or as a JSON string in a multipart form."""

    default_error_messages = {"invalid": _("Give the answers as a JSON object.")}

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if isinstance(data, str):
            try:
                data = json.loads(data) if data.strip() else {}
            except ValueError:
                self.fail("invalid")
        if not isinstance(data, dict):
            self.fail("invalid")
        return data

    def to_representation(self, value: Any) -> Any:
        return value


class CaseCreateSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=CaseKind.choices)
    category = serializers.SlugRelatedField(
        slug_field="code",
        queryset=ServiceCategory.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("There is no category with the code {value}.")},
        help_text=_("The category's code (optional when an item is given)."),
    )
    item = serializers.SlugRelatedField(
        slug_field="code",
        queryset=ServiceItem.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("There is no service item with the code {value}.")},
        help_text=_("The service item's code; required for an appointment."),
    )
    title = serializers.CharField(required=False, allow_blank=True, max_length=100)
    description = serializers.CharField(required=False, allow_blank=True)
    place = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text=_("The id of a compound, building or entrance.")
    )
    need_group = serializers.ChoiceField(choices=NeedGroup.choices, required=False, allow_blank=True)
    requester_name = serializers.CharField(required=False, allow_blank=True, max_length=50)
    contact_mobile = serializers.CharField(required=False, allow_blank=True, max_length=20)
    lat = serializers.FloatField(required=False, allow_null=True)
    long = serializers.FloatField(required=False, allow_null=True)
    slot_start = serializers.DateTimeField(required=False, allow_null=True)
    attributes = AnswersField(required=False, help_text=_("Answers to the item's questions, by question code."))
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, help_text=_("Up to 9 JPEG, PNG or WebP photos (multipart).")
    )


class ClaimSerializer(serializers.Serializer[Any]):
    claimer_org = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text=_("The organisation the claim is made for (staff and unit admins); default: yourself."),
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class ReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200)


class NoteSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class FulfilSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(required=False, allow_blank=True, help_text=_("What was done."))
    residents_served = serializers.IntegerField(required=False, default=1)
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, help_text=_("Up to 9 JPEG, PNG or WebP photos (multipart).")
    )


class RateSerializer(serializers.Serializer[Any]):
    stars = serializers.IntegerField(min_value=1, max_value=5)
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices)
    resolved = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=_("Default: not dissatisfied.")
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=500)
