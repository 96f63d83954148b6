"""Mobilisation campaigns: the campaigns a user may see, their shifts with the places left, and sign-up,
check-in and check-out.

Staff see the campaigns of their scope; a party member sees the open campaigns meant for a community they
belong to. Shifts are addressed under their campaign (``campaigns/<id>/shifts/<shift_id>/…``), so a shift of a
campaign the user may not see is a 404 like the campaign itself.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.accounts.enums import Capability
from grassroots.core.api import ScopedReadOnlyViewSet
from grassroots.core.errors import ApplicationError
from grassroots.core.scope import scope_q
from grassroots.frontline.api.common import ACTION_ERRORS, NOT_FOUND, parse, resolve, resolve_optional
from grassroots.frontline.enums import HOLDING_STATUSES
from grassroots.frontline.models import Campaign, Shift, ShiftBooking
from grassroots.frontline.rules.campaigns import led_squads
from grassroots.frontline.selectors import campaigns as selectors
from grassroots.frontline.serializers import (
    BookingActionSerializer,
    BookingSerializer,
    CampaignDetailSerializer,
    CampaignFilterSerializer,
    CampaignListSerializer,
    ShiftSerializer,
    SignupResultSerializer,
    SignupSerializer,
)
from grassroots.frontline.services.campaigns import (
    booking_checkin,
    booking_checkout,
    shift_signup,
    squad_signup,
)
from grassroots.organizations.enums import OrganizationKind
from grassroots.organizations.models import Organization
from grassroots.people.models import Person

SHIFT_PATH = "shifts/<int:shift_id>"


def my_holding_bookings(user: Any, shifts: list[Shift]) -> dict[int, ShiftBooking]:
    """The user's own holding bookings of these shifts, by shift id."""
    person_id = getattr(user, "person_id", None)
    if person_id is None or not shifts:
        return {}
    rows = ShiftBooking.objects.filter(
        person_id=person_id, shift__in=shifts, status__in=HOLDING_STATUSES
    ).select_related("person")
    return {b.shift_id: b for b in rows}


def signable_persons(user: Any) -> QuerySet[Person]:
    """Whom a user may name for a sign-up: people of their frontline scope, their squads' members, themself."""
    squads = [squad.pk for squad in led_squads(user)]
    return Person.objects.filter(
        scope_q(Person, user, Capability.MANAGE_FRONTLINE)
        | Q(organization_memberships__organization_id__in=squads)
        | Q(pk=getattr(user, "person_id", None) or 0)
    ).distinct()


@extend_schema(tags=["campaigns"])
@extend_schema_view(
    list=extend_schema(
        summary="List campaigns",
        description=(
            "Campaigns in the user's scope; for a party member, the open campaigns meant for a community they "
            "belong to (where they live or reported)."
        ),
        parameters=[CampaignFilterSerializer],
    ),
    retrieve=extend_schema(
        summary="A campaign with its places", responses={200: CampaignDetailSerializer, 404: NOT_FOUND}
    ),
)
class CampaignViewSet(ScopedReadOnlyViewSet[Campaign]):
    """Mobilisation campaigns (e.g. epidemic checkpoints): places, shifts with the people needed, sign-ups."""

    queryset = Campaign.objects.none()
    permission_classes = [IsAuthenticated]  # rows are scoped by the selectors
    serializer_class = CampaignDetailSerializer
    list_serializer_class = CampaignListSerializer
    filter_serializer_class = CampaignFilterSerializer

    def select_list(self, *, user: Any, **filters: Any) -> QuerySet[Campaign]:
        return selectors.campaign_list(user=user, **filters).order_by("-starts_on", "-id")

    def select_one(self, *, user: Any, pk: int) -> Campaign:
        try:
            return selectors.campaign_get(user=user, pk=pk)
        except ObjectDoesNotExist:
            raise Http404 from None

    def get_shift(self, campaign: Campaign) -> Shift:
        shift = campaign.shifts.select_related("place", "campaign").filter(pk=self.kwargs["shift_id"]).first()
        if shift is None:
            raise Http404
        return shift

    # --------------------------------------------------------------------------------------------- shifts

    @extend_schema(
        summary="The shifts of a campaign",
        description=(
            "Each shift with its place, the people needed and signed up, the places left, the fill rate and the "
            "user's own booking (if any). In time order."
        ),
        responses={200: ShiftSerializer(many=True), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], serializer_class=ShiftSerializer)
    def shifts(self, request: Request, pk: int | None = None) -> Response:
        campaign = self.get_object()
        rows = selectors.shift_list(user=request.user, campaign=campaign)
        paginator = self.paginator
        page: list[Shift] | None = paginator.paginate_queryset(rows, request, view=self) if paginator else None
        shifts = page if page is not None else list(rows)
        context = {**self.get_serializer_context(), "my_bookings": my_holding_bookings(request.user, shifts)}
        data = ShiftSerializer(shifts, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    @extend_schema(
        summary="Sign up for a shift",
        description=(
            "With no body: sign yourself up. Staff (or a squad leader) may sign up one person ({person}) or a squad "
            "({squad, persons}: all or none). Refused when the shift is full (409 shift_full), when the person "
            "already holds an overlapping shift, or when the campaign is not open."
        ),
        request=SignupSerializer,
        responses={201: SignupResultSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path=f"{SHIFT_PATH}/signup")
    def signup(self, request: Request, pk: int | None = None, shift_id: int | None = None) -> Response:
        campaign = self.get_object()
        shift = self.get_shift(campaign)
        params = parse(SignupSerializer, request.data, "signup_invalid")
        if params.get("squad") is not None:
            squad = resolve(
                Organization.objects.filter(kind=OrganizationKind.VANGUARD_SQUAD),
                params["squad"],
                code="signup_invalid",
                field="squad",
                message=_("There is no such squad."),
            )
            ids = list(dict.fromkeys(params["persons"]))
            members = {p.pk: p for p in Person.objects.filter(pk__in=ids, organization_memberships__organization=squad)}
            missing = [str(i) for i in ids if i not in members]
            if missing:
                raise ApplicationError(
                    "signup_invalid",
                    _("Please correct the errors below."),
                    fields={"persons": [_("Not members of this squad: %(ids)s.") % {"ids": ", ".join(missing)}]},
                )
            bookings = squad_signup(
                shift=shift,
                actor=request.user,
                squad=squad,
                persons=[members[i] for i in ids],
                request=request._request,
            )
        else:
            person = resolve_optional(
                signable_persons(request.user),
                params.get("person"),
                code="signup_invalid",
                field="person",
                message=_("There is no such person."),
            )
            bookings = [shift_signup(shift=shift, actor=request.user, person=person, request=request._request)]
        body = {"bookings": BookingSerializer(bookings, many=True).data}
        return Response(body, status=status.HTTP_201_CREATED)

    def booking_for(self, shift: Shift, booking_id: int | None) -> ShiftBooking:
        """The booking named (staff), else the user's own holding booking of the shift."""
        rows = ShiftBooking.objects.filter(shift=shift).select_related("shift", "campaign", "person")
        if booking_id is not None:
            return resolve(
                rows, booking_id, code="booking_invalid", field="booking", message=_("There is no such booking.")
            )
        person_id = getattr(self.request.user, "person_id", None)
        own = rows.filter(person_id=person_id, status__in=HOLDING_STATUSES).first() if person_id else None
        if own is None:
            raise ApplicationError("not_booked", _("You have not signed up for this shift."), status=409)
        return own

    @extend_schema(
        summary="Check in to a shift",
        description="Check in on your own booking of the shift (staff: {booking}) when the check-in window is open.",
        request=BookingActionSerializer,
        responses={200: BookingSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path=f"{SHIFT_PATH}/checkin")
    def checkin(self, request: Request, pk: int | None = None, shift_id: int | None = None) -> Response:
        shift = self.get_shift(self.get_object())
        params = parse(BookingActionSerializer, request.data, "booking_invalid")
        booking = self.booking_for(shift, params.get("booking"))
        done = booking_checkin(booking=booking, actor=request.user, request=request._request)
        return Response(BookingSerializer(done).data)

    @extend_schema(
        summary="Check out of a shift",
        description=(
            "Check out on your own booking of the shift (staff: {booking}); the hours served are recorded and earn "
            "points."
        ),
        request=BookingActionSerializer,
        responses={200: BookingSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path=f"{SHIFT_PATH}/checkout")
    def checkout(self, request: Request, pk: int | None = None, shift_id: int | None = None) -> Response:
        shift = self.get_shift(self.get_object())
        params = parse(BookingActionSerializer, request.data, "booking_invalid")
        booking = self.booking_for(shift, params.get("booking"))
        done = booking_checkout(booking=booking, actor=request.user, request=request._request)
        return Response(BookingSerializer(done).data)
