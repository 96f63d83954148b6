"""Whistle-and-report figures: whistles blown, departments called, on time, rated."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.cockpit.registry import Metric, register

CALL = "whistle.WhistleCall"
LIVE = ~Q(status="cancelled")

register(
    Metric(
        key="whistles_blown",
        label=_("Whistles blown"),
        unit="items",
        rule="count",
        model="whistle.Whistle",
        date_field="raised_at",
        app="whistle",
        order=40,
        definition=_("Whistles blown by communities and streets, on the day they were blown."),
    )
)
register(
    Metric(
        key="whistle_calls",
        label=_("Departments called"),
        unit="items",
        rule="count",
        model=CALL,
        date_field="called_at",
        where=LIVE,
        app="whistle",
        order=41,
        definition=_("Calls to departments (one per department per whistle), not cancelled, by the day of the call."),
    )
)
register(
    Metric(
        key="whistle_calls_reported_on_time",
        label=_("Reported on site on time"),
        unit="items",
        rule="count",
        model=CALL,
        date_field="called_at",
        where=LIVE & Q(reported_on_time=True),
        app="whistle",
        order=42,
        definition=_("Calls whose department reported on site by the deadline, by the day of the call."),
    )
)
register(
    Metric(
        key="whistle_report_on_time_rate",
        label=_("On-time report rate"),
        unit="percent",
        rule="rate",
        numerator="whistle_calls_reported_on_time",
        denominator="whistle_calls",
        app="whistle",
        order=43,
        definition=_("Calls reported on site on time ÷ calls × 100."),
    )
)
register(
    Metric(
        key="whistle_calls_rated",
        label=_("Departments rated"),
        unit="items",
        rule="count",
        model=CALL,
        date_field="called_at",
        where=LIVE & ~Q(rating=""),
        app="whistle",
        order=44,
        definition=_("Calls the community has rated, by the day of the call."),
    )
)
register(
    Metric(
        key="whistle_calls_satisfied",
        label=_("Departments rated satisfied"),
        unit="items",
        rule="count",
        model=CALL,
        date_field="called_at",
        where=LIVE & Q(rating__in=("satisfied", "basic")),
        app="whistle",
        order=45,
        definition=_("Calls rated satisfied or basically satisfied, by the day of the call."),
    )
)
register(
    Metric(
        key="department_satisfaction_rate",
        label=_("Satisfaction with departments"),
        unit="percent",
        rule="rate",
        numerator="whistle_calls_satisfied",
        denominator="whistle_calls_rated",
        app="whistle",
        order=46,
        definition=_("Calls rated satisfied or basically satisfied ÷ calls rated × 100."),
    )
)
