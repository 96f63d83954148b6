"""Dual reporting and mobilisation figures (200+ units, 5,000+ members reporting; hours and points)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.cockpit.registry import Metric, register

register(
    Metric(
        key="units_reported",
        label=_("Units reported"),
        unit="organisations",
        rule="distinct",
        model="frontline.UnitReport",
        date_field="decided_at",
        where=Q(status="confirmed"),
        value_field="unit",
        app="frontline",
        order=10,
        definition=_("Distinct units whose report to a community was accepted, counted on the day it was accepted."),
    )
)
register(
    Metric(
        key="members_reported",
        label=_("Party members reported"),
        unit="people",
        rule="count",
        model="frontline.MemberReport",
        date_field="decided_at",
        where=Q(status="confirmed"),
        app="frontline",
        order=11,
        definition=_(
            "In-service party members whose report to a community or compound stands confirmed, counted on "
            "the day it was confirmed."
        ),
    )
)
register(
    Metric(
        key="member_posts_taken",
        label=_("Service posts taken"),
        unit="items",
        rule="count",
        model="frontline.MemberReport_posts",
        scope_model="frontline.MemberReport",
        scope_prefix="memberreport__",
        date_field="memberreport__decided_at",
        where=Q(memberreport__status="confirmed"),
        dimension="servicecategory",
        dimension_label=_("service post category"),
        watch=(("frontline.MemberReport", "memberreport"),),
        app="frontline",
        order=12,
        definition=_(
            "Service posts (1–3 of the 10 categories) taken by party members whose report stands confirmed, by "
            "category, counted on the day the report was confirmed."
        ),
    )
)
register(
    Metric(
        key="shift_hours_served",
        label=_("Hours served on shifts"),
        unit="hours",
        rule="sum",
        model="frontline.ShiftBooking",
        date_field="checked_out_at",
        where=Q(status="checked_out"),
        value_field="hours",
        watch=(("frontline.Campaign", "campaign"),),
        app="frontline",
        order=12,
        definition=_(
            "Hours of mobilisation shifts served (check-in to check-out), by the day of check-out, where the "
            "campaign is."
        ),
    )
)
register(
    Metric(
        key="members_mobilised",
        label=_("People mobilised"),
        unit="people",
        rule="distinct",
        model="frontline.ShiftBooking",
        date_field="starts_at",
        where=Q(status__in=("booked", "checked_in", "checked_out")),
        value_field="person",
        watch=(("frontline.Campaign", "campaign"),),
        app="frontline",
        order=13,
        definition=_("Distinct people signed up for a shift starting in the period."),
    )
)
register(
    Metric(
        key="points_awarded",
        label=_("Points awarded"),
        unit="points",
        rule="sum",
        model="frontline.PointsEntry",
        date_field="at",
        value_field="points",
        app="frontline",
        order=14,
        definition=_("Points in the ledger, by the day they were earned and the community the member reported to."),
    )
)
