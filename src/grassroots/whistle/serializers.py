"""Serializers of the whistle API: query parameters, whistles with their calls, the input of each action, and the
department scorecards.

Input serializers only check types and shapes; the services check the rules (who, which state, which
department), so their messages and codes are the same from the page and the API.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from grassroots.cases.enums import Satisfaction
from grassroots.whistle.enums import Urgency, WhistleStatus
from grassroots.whistle.models import Whistle, WhistleCall, WhistleEvent

MAX_CALLS = 10

# -------------------------------------------------------------------------------------------------- queries


class WhistleFilterSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(
        choices=WhistleStatus.choices, required=False, help_text=_("Only whistles in this status.")
    )
    department = serializers.IntegerField(
        required=False, min_value=1, help_text=_("Only whistles that called this department (its id).")
    )
    overdue = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("true: only open whistles with a department past a deadline; false: only the others."),
    )
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=50, help_text=_("Whistle number, title or description contains.")
    )


class ScorecardsQuerySerializer(serializers.Serializer[Any]):
    month = serializers.RegexField(
        r"^\d{4}-(0[1-9]|1[0-2])$",
        required=False,
        help_text=_("The month ranked, as YYYY-MM (default: this month)."),
        error_messages={"invalid": _("Give the month as YYYY-MM.")},
    )


class ScorecardQuerySerializer(serializers.Serializer[Any]):
    months = serializers.IntegerField(
        required=False, min_value=1, max_value=36, default=12, help_text=_("How many months, up to this one.")
    )


# --------------------------------------------------------------------------------------------------- output


class CallSerializer(serializers.ModelSerializer[WhistleCall]):
    department_name = serializers.CharField(source="department.name", read_only=True)
    overdue = serializers.SerializerMethodField(help_text=_("Past the report or handling deadline it still owes."))

    class Meta:
        model = WhistleCall
        fields = [
            "id",
            "department",
            "department_name",
            "task",
            "status",
            "report_due",
            "handle_due",
            "reported_at",
            "reported_on_time",
            "fed_back_at",
            "handled_on_time",
            "rating",
            "rating_reason",
            "escalation_level",
            "overdue",
        ]
        read_only_fields = fields

    def get_overdue(self, obj: WhistleCall) -> bool:
        from grassroots.whistle.views.common import call_is_overdue

        return call_is_overdue(obj)


class CallDetailSerializer(CallSerializer):
    photo_url = serializers.SerializerMethodField(help_text=_("The photo taken on site, if any."))

    class Meta(CallSerializer.Meta):
        fields = [
            *CallSerializer.Meta.fields,
            "called_at",
            "acknowledged_at",
            "on_site_people",
            "report_note",
            "photo_url",
            "feedback_note",
            "rated_at",
        ]
        read_only_fields = fields

    def get_photo_url(self, obj: WhistleCall) -> str | None:
        if not obj.report_photo:
            return None
        return reverse("whistle:call_photo", args=[obj.whistle_id, obj.pk])


class WhistleEventSerializer(serializers.ModelSerializer[WhistleEvent]):
    department_name = serializers.CharField(source="call.department.name", read_only=True, default=None)

    class Meta:
        model = WhistleEvent
        fields = ["at", "kind", "call", "department_name", "actor_label", "note"]
        read_only_fields = fields


class WhistleListSerializer(serializers.ModelSerializer[Whistle]):
    region_name = serializers.CharField(source="region.name", read_only=True)
    calls = CallSerializer(many=True, read_only=True)

    class Meta:
        model = Whistle
        fields = [
            "id",
            "number",
            "title",
            "region",
            "region_name",
            "urgency",
            "status",
            "handle_due",
            "raised_at",
            "raised_by_label",
            "origin_case",
            "calls",
        ]
        read_only_fields = fields


class WhistleDetailSerializer(WhistleListSerializer):
    """A whistle with each department's progress and the timeline."""

    origin_case_number = serializers.CharField(
        source="origin_case.number", read_only=True, allow_null=True, default=None
    )
    calls = CallDetailSerializer(many=True, read_only=True)
    timeline = serializers.SerializerMethodField()

    class Meta(WhistleListSerializer.Meta):
        fields = [
            *WhistleListSerializer.Meta.fields,
            "description",
            "origin_case_number",
            "closed_at",
            "close_note",
            "timeline",
        ]
        read_only_fields = fields

    @extend_schema_field(WhistleEventSerializer(many=True))
    def get_timeline(self, obj: Whistle) -> list[dict[str, Any]]:
        events = obj.events.select_related("call__department").order_by("at", "id")
        return list(WhistleEventSerializer(events, many=True).data)


class WhistleErrorSerializer(serializers.Serializer[Any]):
    """The one error shape of the API."""

    code = serializers.CharField(help_text=_("A stable error code, e.g. invalid_state or whistle_invalid."))
    message = serializers.CharField(help_text=_("A message to show the user, in their language."))
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()), help_text=_("Messages per input field.")
    )


class ScoreRowSerializer(serializers.Serializer[Any]):
    """One department's figures for a month (rates are fractions from 0 to 1; see ``whistle.scorecards``)."""

    department = serializers.IntegerField(source="department_id")
    department_name = serializers.CharField()
    month = serializers.DateField(allow_null=True, help_text=_("The first day of the month counted."))
    received = serializers.IntegerField(help_text=_("Calls received in the month."))
    reported = serializers.IntegerField(help_text=_("Of those, reported on site."))
    reported_on_time = serializers.IntegerField()
    fed_back = serializers.IntegerField()
    handled_on_time = serializers.IntegerField()
    rated = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    basic = serializers.IntegerField(help_text=_("Rated basically satisfied."))
    dissatisfied = serializers.IntegerField()
    on_time_rate = serializers.FloatField(help_text=_("Reported on site on time ÷ received."))
    handled_rate = serializers.FloatField(help_text=_("Handled by the deadline ÷ received."))
    satisfaction_rate = serializers.FloatField(help_text=_("(Satisfied + basically satisfied) ÷ rated."))
    score = serializers.FloatField(help_text=_("40 × on-time rate + 30 × handled rate + 30 × satisfaction rate."))
    rank = serializers.IntegerField(help_text=_("1 is the best; 0 in a month the department was not called."))


# ---------------------------------------------------------------------------------------------------- input


class CallInputSerializer(serializers.Serializer[Any]):
    department = serializers.IntegerField(min_value=1, help_text=_("The id of the department called."))
    task = serializers.CharField(max_length=500, help_text=_("What the department must do."))


class WhistleCreateSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=100)
    description = serializers.CharField(max_length=4000)
    region = serializers.IntegerField(min_value=1, help_text=_("The community or street that blows the whistle."))
    urgency = serializers.ChoiceField(
        choices=Urgency.choices,
        default=Urgency.NORMAL,
        help_text=_("Urgent: departments report on site within 30 minutes; normal: within 24 hours."),
    )
    handle_due = serializers.DateTimeField(help_text=_("When the departments must have handled the matter."))
    origin_case = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text=_("The case the whistle is blown for (optional).")
    )
    calls = CallInputSerializer(many=True, help_text=_("One entry per department called."))

    def validate_calls(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not value:
            raise serializers.ValidationError(_("Call at least one department."))
        if len(value) > MAX_CALLS:
            raise serializers.ValidationError(_("Call at most %(max)d departments.") % {"max": MAX_CALLS})
        return value


class CallChoiceSerializer(serializers.Serializer[Any]):
    call = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text=_("The call (department) acted on; department staff may leave it out when only theirs is called."),
    )


class CallReportSerializer(CallChoiceSerializer):
    on_site_people = serializers.CharField(max_length=200, help_text=_("Who came on site."))
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    photo = serializers.ImageField(required=False, allow_null=True, help_text=_("A photo on site (multipart)."))


class CallFeedbackSerializer(CallChoiceSerializer):
    note = serializers.CharField(max_length=2000, help_text=_("How the matter was handled."))


class CallRateSerializer(CallChoiceSerializer):
    rating = serializers.ChoiceField(choices=Satisfaction.choices)
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=500, help_text=_("Required unless satisfied.")
    )


class WhistleCloseSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, help_text=_("How it ended."))


class WhistleCancelSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)
