"""Mobilisation campaigns: staff open a campaign with places and shifts; members and squads sign up, check in and
check out; hours served earn points. Every write is audited. Import from here."""

from grassroots.frontline.services.campaigns.bookings import (
    booking_cancel,
    booking_checkin,
    booking_checkout,
    served_hours,
)
from grassroots.frontline.services.campaigns.setup import (
    campaign_cancel,
    campaign_create,
    campaign_finish,
    campaign_open,
    place_add,
    shift_add,
)
from grassroots.frontline.services.campaigns.signup import shift_signup, squad_signup

__all__ = [
    "booking_cancel",
    "booking_checkin",
    "booking_checkout",
    "campaign_cancel",
    "campaign_create",
    "campaign_finish",
    "campaign_open",
    "place_add",
    "served_hours",
    "shift_add",
    "shift_signup",
    "squad_signup",
]
