"""Serializers of the frontline API: query parameters, output of reports, ledger lines and campaigns, and the
input of each action.

Input serializers only check types and shapes; the services check the rules (who may, in which state), so
their messages and codes are the same from every channel. Ids of other objects (unit, community, person,
squad) are plain integers that the views resolve, each within what the user may name.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from grassroots.catalogue.models import ServiceCategory
from grassroots.frontline.enums import (
    BookingStatus,
    CampaignStatus,
    PointsSource,
    ReportStatus,
    ResourceKind,
)
from grassroots.frontline.models import (
    Campaign,
    CampaignPlace,
    MemberReport,
    PointsEntry,
    Shift,
    ShiftBooking,
    UnitCommitment,
    UnitProject,
    UnitReport,
    UnitResource,
)

# -------------------------------------------------------------------------------------------------- queries


class ReportFilterSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(
        choices=ReportStatus.choices, required=False, help_text=_("Only reports in this status.")
    )
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=50, help_text=_("Name of the unit, member or community contains.")
    )


class MemberReportFilterSerializer(ReportFilterSerializer):
    post = serializers.CharField(
        required=False, allow_blank=True, max_length=32, help_text=_("Only members who took this service post (code).")
    )


class PointsFilterSerializer(serializers.Serializer[Any]):
    """``person``, ``unit``, ``from`` and ``to`` (``from`` is a Python keyword: the field is added by name)."""

    person = serializers.IntegerField(required=False, min_value=1, help_text=_("Only this member's lines."))
    unit = serializers.IntegerField(required=False, min_value=1, help_text=_("Only lines of this home unit's members."))

    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[type-arg]
        fields = super().get_fields()
        fields["from"] = serializers.DateField(
            required=False, source="date_from", help_text=_("Earned on or after this day.")
        )
        fields["to"] = serializers.DateField(
            required=False, source="date_to", help_text=_("Earned on or before this day.")
        )
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("date_from"), attrs.get("date_to")
        if start and end and end < start:
            raise serializers.ValidationError({"to": [_("The end is before the start.")]})
        return attrs


class CampaignFilterSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(
        choices=CampaignStatus.choices, required=False, help_text=_("Only campaigns in this status.")
    )


# ---------------------------------------------------------------------------------------------- reporting


class CommitmentSerializer(serializers.ModelSerializer[UnitCommitment]):
    class Meta:
        model = UnitCommitment
        fields = ["id", "text", "yearly_target"]
        read_only_fields = fields


class ResourceSerializer(serializers.ModelSerializer[UnitResource]):
    class Meta:
        model = UnitResource
        fields = ["id", "kind", "description", "quantity"]
        read_only_fields = fields


class ProjectSerializer(serializers.ModelSerializer[UnitProject]):
    class Meta:
        model = UnitProject
        fields = ["id", "title", "description", "commitment", "status", "started_on", "done_on", "residents_served"]
        read_only_fields = fields


class UnitReportListSerializer(serializers.ModelSerializer[UnitReport]):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = UnitReport
        fields = [
            "id",
            "unit",
            "unit_name",
            "region",
            "region_name",
            "agreement_title",
            "agreement_start",
            "agreement_end",
            "contact_name",
            "status",
            "submitted_at",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields


class UnitReportDetailSerializer(UnitReportListSerializer):
    commitments = CommitmentSerializer(many=True, read_only=True)
    resources = ResourceSerializer(many=True, read_only=True)
    projects = ProjectSerializer(many=True, read_only=True)

    class Meta(UnitReportListSerializer.Meta):
        fields = [*UnitReportListSerializer.Meta.fields, "commitments", "resources", "projects"]
        read_only_fields = fields


class CategorySerializer(serializers.ModelSerializer[ServiceCategory]):
    class Meta:
        model = ServiceCategory
        fields = ["id", "code", "name"]
        read_only_fields = fields


class MemberReportSerializer(serializers.ModelSerializer[MemberReport]):
    person_name = serializers.CharField(source="person.name", read_only=True)
    home_unit_name = serializers.CharField(source="home_unit.name", read_only=True, allow_null=True, default=None)
    region_name = serializers.CharField(source="region.name", read_only=True)
    posts = CategorySerializer(many=True, read_only=True)

    class Meta:
        model = MemberReport
        fields = [
            "id",
            "person",
            "person_name",
            "home_unit",
            "home_unit_name",
            "region",
            "region_name",
            "posts",
            "skills",
            "channel",
            "status",
            "submitted_at",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields


class CommitmentInputSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=200)
    yearly_target = serializers.IntegerField(min_value=1, max_value=1000, default=1)


class ResourceInputSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=ResourceKind.choices)
    description = serializers.CharField(max_length=200)
    quantity = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")


class UnitReportCreateSerializer(serializers.Serializer[Any]):
    unit = serializers.IntegerField(
        required=False, min_value=1, help_text=_("The unit reporting; default: the unit the admin acts for.")
    )
    community = serializers.IntegerField(min_value=1, help_text=_("The community reported to."))
    agreement_title = serializers.CharField(max_length=150)
    agreement_start = serializers.DateField()
    agreement_end = serializers.DateField()
    contact_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    commitments = CommitmentInputSerializer(many=True, required=False)
    resources = ResourceInputSerializer(many=True, required=False)


class MemberReportCreateSerializer(serializers.Serializer[Any]):
    region = serializers.IntegerField(min_value=1, help_text=_("The community or compound reported to."))
    posts = serializers.SlugRelatedField(
        slug_field="code",
        queryset=ServiceCategory.objects.filter(is_active=True),
        many=True,
        error_messages={"does_not_exist": _("There is no service post with the code {value}.")},
        help_text=_("Codes of one to three service posts (the service categories)."),
    )
    skills = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    person = serializers.IntegerField(
        required=False, min_value=1, help_text=_("Staff reporting a member: the person; default: yourself.")
    )


class UnitDecisionSerializer(serializers.Serializer[Any]):
    accept = serializers.BooleanField(help_text=_("true: confirm the report; false: return it with the note."))
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class MemberDecisionSerializer(serializers.Serializer[Any]):
    confirm = serializers.BooleanField(help_text=_("true: confirm the report; false: return it with the note."))
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


# -------------------------------------------------------------------------------------------------- points


class PointsEntrySerializer(serializers.ModelSerializer[PointsEntry]):
    person_name = serializers.CharField(source="person.name", read_only=True)
    home_unit_name = serializers.CharField(source="home_unit.name", read_only=True, allow_null=True, default=None)
    source = serializers.ChoiceField(choices=PointsSource.choices, read_only=True)  # type: ignore[assignment]
    source_label = serializers.CharField(source="get_source_display", read_only=True)
    rule_version = serializers.IntegerField(source="rule.rule_set.version", read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True, allow_null=True, default=None)
    what = serializers.SerializerMethodField(help_text=_("What the line was earned for (a case, a shift, …)."))

    class Meta:
        model = PointsEntry
        fields = [
            "id",
            "person",
            "person_name",
            "home_unit",
            "home_unit_name",
            "community",
            "source",
            "source_label",
            "quantity",
            "points",
            "rule_version",
            "at",
            "case",
            "case_number",
            "booking",
            "service_record",
            "member_report",
            "what",
        ]
        read_only_fields = fields

    def get_what(self, obj: PointsEntry) -> str:
        return entry_description(obj)


def entry_description(entry: PointsEntry) -> str:
    """A short description of a ledger line's source, for lists (the related rows must be selected)."""
    if entry.case_id is not None and entry.case is not None:
        return f"{entry.case.number} {entry.case.title}"
    if entry.booking_id is not None and entry.booking is not None:
        booking = entry.booking
        return f"{booking.shift.place.name} {timezone.localtime(booking.starts_at):%m-%d %H:%M}"
    if entry.service_record_id is not None and entry.service_record is not None:
        return entry.service_record.title
    if entry.member_report_id is not None and entry.member_report is not None:
        return str(entry.member_report.region)
    return ""


ENTRY_RELATED = (
    "person",
    "home_unit",
    "rule__rule_set",
    "case",
    "booking__shift__place",
    "service_record",
    "member_report__region",
)


# ----------------------------------------------------------------------------------------------- campaigns


class PlaceSerializer(serializers.ModelSerializer[CampaignPlace]):
    region_name = serializers.CharField(source="region.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = CampaignPlace
        fields = ["id", "name", "kind", "region", "region_name", "address"]
        read_only_fields = fields


class CampaignListSerializer(serializers.ModelSerializer[Campaign]):
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Campaign
        fields = ["id", "title", "region", "region_name", "starts_on", "ends_on", "status"]
        read_only_fields = fields


class CampaignDetailSerializer(CampaignListSerializer):
    places = PlaceSerializer(many=True, read_only=True)

    class Meta(CampaignListSerializer.Meta):
        fields = [*CampaignListSerializer.Meta.fields, "description", "places"]
        read_only_fields = fields


class BookingSerializer(serializers.ModelSerializer[ShiftBooking]):
    person_name = serializers.CharField(source="person.name", read_only=True)
    status = serializers.ChoiceField(choices=BookingStatus.choices, read_only=True)

    class Meta:
        model = ShiftBooking
        fields = [
            "id",
            "shift",
            "campaign",
            "person",
            "person_name",
            "squad",
            "status",
            "starts_at",
            "ends_at",
            "booked_at",
            "checked_in_at",
            "checked_out_at",
            "hours",
        ]
        read_only_fields = fields


class ShiftSerializer(serializers.ModelSerializer[Shift]):
    place_name = serializers.CharField(source="place.name", read_only=True)
    places_left = serializers.SerializerMethodField()
    fill_rate = serializers.FloatField(read_only=True, help_text=_("Signed up ÷ needed (0 to 1)."))
    my_booking = serializers.SerializerMethodField(help_text=_("The user's own holding booking of this shift."))

    class Meta:
        model = Shift
        fields = [
            "id",
            "campaign",
            "place",
            "place_name",
            "starts_at",
            "ends_at",
            "duty",
            "needed",
            "booked",
            "places_left",
            "fill_rate",
            "my_booking",
        ]
        read_only_fields = fields

    def get_places_left(self, obj: Shift) -> int:
        return max(obj.needed - obj.booked, 0)

    @extend_schema_field(BookingSerializer(allow_null=True))
    def get_my_booking(self, obj: Shift) -> dict[str, Any] | None:
        mine: dict[int, ShiftBooking] = self.context.get("my_bookings", {})
        booking = mine.get(obj.pk)
        return None if booking is None else dict(BookingSerializer(booking).data)


class SignupSerializer(serializers.Serializer[Any]):
    person = serializers.IntegerField(
        required=False, min_value=1, help_text=_("Staff or a squad leader signing someone else up: the person.")
    )
    squad = serializers.IntegerField(required=False, min_value=1, help_text=_("Signing a squad up: the squad."))
    persons = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        allow_empty=False,
        max_length=200,
        help_text=_("Signing a squad up: the members to sign up."),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("squad" in attrs) != ("persons" in attrs):
            field = "persons" if "squad" in attrs else "squad"
            raise serializers.ValidationError({field: [_("Give both the squad and its members to sign up.")]})
        if "squad" in attrs and "person" in attrs:
            raise serializers.ValidationError({"person": [_("Give either one person or a squad, not both.")]})
        return attrs


class BookingActionSerializer(serializers.Serializer[Any]):
    booking = serializers.IntegerField(
        required=False, min_value=1, help_text=_("Staff acting for someone: the booking; default: your own.")
    )


class SignupResultSerializer(serializers.Serializer[Any]):
    bookings = BookingSerializer(many=True, read_only=True)
