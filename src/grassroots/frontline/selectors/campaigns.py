"""Reads of mobilisation campaigns, shifts, sign-ups and vanguard squads, always for an acting user.

Staff see campaigns by the campaign's region columns (``view_frontline``); a party member also sees *open*
campaigns that reach a community they belong to (``open_campaigns_for``). Out-of-scope campaigns are a 404
(``Campaign.DoesNotExist``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Aggregate,
    CharField,
    Count,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce

from grassroots.accounts.enums import Capability
from grassroots.core.scope import NOTHING, scope_q
from grassroots.frontline.enums import HOLDING_STATUSES, BookingStatus, CampaignStatus
from grassroots.frontline.models import Campaign, Shift, ShiftBooking
from grassroots.frontline.rules.campaigns import Home, can_view_campaign, homes_for
from grassroots.organizations.enums import MembershipRole, OrganizationKind
from grassroots.organizations.models import Organization, OrganizationMembership


def reach_q(homes: list[Home]) -> Q:
    """Campaigns meant for people of ``homes``: the community (or a compound in it), its street, its district."""
    q = NOTHING
    for home in homes:
        if home.community_id is not None:
            q |= Q(community_id=home.community_id)
        if home.street_id is not None:
            q |= Q(community__isnull=True, street_id=home.street_id)
        if home.district_id is not None:
            q |= Q(street__isnull=True, district_id=home.district_id)
    return q


def campaign_visibility_q(user: Any) -> Q:
    """Campaigns the user may open: in their ``view_frontline`` scope, or open and meant for them."""
    q = scope_q(Campaign, user, Capability.VIEW_FRONTLINE)
    homes = homes_for(user)
    if homes:
        q |= Q(status=CampaignStatus.OPEN) & reach_q(homes)
    return q


def campaign_list(*, user: Any, status: str | None = None, q: str | None = None) -> QuerySet[Campaign]:
    """Campaigns the user may see, with their shift count and the people needed and signed up."""
    qs = (
        Campaign.objects.filter(campaign_visibility_q(user))
        .select_related("region")
        .annotate(
            shift_count=Count("shifts"),
            needed_total=Coalesce(Sum("shifts__needed"), 0),
            booked_total=Coalesce(Sum("shifts__booked"), 0),
        )
    )
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(title__icontains=q)
    return qs


def campaign_get(*, user: Any, pk: int) -> Campaign:
    return Campaign.objects.filter(campaign_visibility_q(user)).select_related("region").get(pk=pk)


def open_campaigns_for(*, user: Any) -> QuerySet[Campaign]:
    """Open campaigns a party member may join: those reaching where they live or reported to."""
    homes = homes_for(user)
    if not homes:
        return Campaign.objects.none()
    return (
        Campaign.objects.filter(reach_q(homes), status=CampaignStatus.OPEN)
        .select_related("region")
        .order_by("starts_on", "id")
    )


def shift_list(*, user: Any, campaign: Campaign) -> QuerySet[Shift]:
    """The campaign's shifts with their fill rate (``fill``, 0–1) and the user's own live sign-up, if any
    (``my_booking_id``, ``my_booking_status``)."""
    if not can_view_campaign(user, campaign):
        return Shift.objects.none()
    person_id = getattr(user, "person_id", None)
    qs = (
        Shift.objects.filter(campaign_id=campaign.pk)
        .select_related("place")
        .annotate(fill=Cast(F("booked"), FloatField()) / Cast(F("needed"), FloatField()))
    )
    if person_id is None:
        return qs.annotate(
            my_booking_id=Value(None, output_field=IntegerField()),
            my_booking_status=Value(None, output_field=CharField()),
        )
    mine = ShiftBooking.objects.filter(shift=OuterRef("pk"), person_id=person_id, status__in=HOLDING_STATUSES)
    return qs.annotate(
        my_booking_id=Subquery(mine.values("pk")[:1]),
        my_booking_status=Subquery(mine.values("status")[:1]),
    )


def my_bookings(*, user: Any, status: str | None = None) -> QuerySet[ShiftBooking]:
    """The user's own sign-ups (their person's), latest shift first."""
    person_id = getattr(user, "person_id", None)
    if not getattr(user, "is_authenticated", False) or person_id is None:
        return ShiftBooking.objects.none()
    qs = ShiftBooking.objects.filter(person_id=person_id).select_related("shift__place", "campaign__region", "squad")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-starts_at", "-id")


class _Names(Aggregate):
    """Names joined with 、 (``STRING_AGG`` on PostgreSQL, ``GROUP_CONCAT`` on SQLite)."""

    function = "STRING_AGG"
    output_field = CharField()

    def __init__(self, expression: Any, **extra: Any) -> None:
        super().__init__(expression, Value("、"), **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def squad_list(*, user: Any, q: str | None = None) -> QuerySet[Organization]:
    """Vanguard squads in the user's scope (and those the user leads), with the corps (``parent``), leaders'
    names (``leader_names``) and member counts (``member_count``), in one query."""
    visible = scope_q(Organization, user, Capability.VIEW_FRONTLINE)
    person_id = getattr(user, "person_id", None)
    if person_id is not None and getattr(user, "is_authenticated", False):
        led = OrganizationMembership.objects.filter(person_id=person_id, role=MembershipRole.LEADER)
        visible |= Q(pk__in=led.values("organization_id"))
    members = OrganizationMembership.objects.filter(organization=OuterRef("pk")).order_by().values("organization")
    qs = (
        Organization.objects.filter(visible, kind=OrganizationKind.VANGUARD_SQUAD)
        .select_related("parent", "region")
        .annotate(
            member_count=Coalesce(Subquery(members.annotate(n=Count("pk")).values("n")), 0),
            leader_names=Coalesce(
                Subquery(
                    members.filter(role=MembershipRole.LEADER).annotate(names=_Names("person__name")).values("names")
                ),
                Value(""),
            ),
        )
        .order_by("parent__name", "name", "pk")
    )
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(parent__name__icontains=q))
    return qs


@dataclass(frozen=True)
class CampaignFill:
    """How a campaign is staffed: shifts, people needed, signed up, checked in (ever), and hours served."""

    shifts: int
    needed: int
    booked: int
    checked_in: int
    checked_out: int
    hours: Decimal

    @property
    def fill_rate(self) -> float:
        return self.booked / self.needed if self.needed else 0.0


def campaign_fill(*, campaign: Campaign) -> CampaignFill:
    shifts = Shift.objects.filter(campaign_id=campaign.pk).aggregate(
        n=Count("pk"), needed=Coalesce(Sum("needed"), 0), booked=Coalesce(Sum("booked"), 0)
    )
    bookings = ShiftBooking.objects.filter(campaign_id=campaign.pk).aggregate(
        checked_in=Count("pk", filter=Q(status__in=(BookingStatus.CHECKED_IN, BookingStatus.CHECKED_OUT))),
        checked_out=Count("pk", filter=Q(status=BookingStatus.CHECKED_OUT)),
        hours=Sum("hours", filter=Q(status=BookingStatus.CHECKED_OUT)),
    )
    return CampaignFill(
        shifts=shifts["n"],
        needed=shifts["needed"],
        booked=shifts["booked"],
        checked_in=bookings["checked_in"],
        checked_out=bookings["checked_out"],
        hours=bookings["hours"] or Decimal("0"),
    )
