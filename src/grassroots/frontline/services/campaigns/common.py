"""What the campaign services share: limits, error builders and the audit row scoped to the campaign."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.core.audit import audit_record
from grassroots.core.errors import ApplicationError
from grassroots.frontline.enums import CampaignStatus
from grassroots.frontline.models import Campaign, ShiftBooking
from grassroots.territory.enums import RegionKind

CAMPAIGN_REGION_KINDS = (RegionKind.DISTRICT, RegionKind.STREET, RegionKind.COMMUNITY, RegionKind.COMPOUND)
MAX_NEEDED = 500
CHECKIN_EARLY = dt.timedelta(minutes=30)
CHECKOUT_GRACE = dt.timedelta(hours=2)
LIVE_CAMPAIGN = (CampaignStatus.DRAFT, CampaignStatus.OPEN)


# Errors


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise ApplicationError("not_allowed", message or _("You are not allowed to do this."), status=403)


def invalid(code: str, field: str, message: str) -> ApplicationError:
    return ApplicationError(code, message, fields={field: [message]})


def campaign_state(campaign: Campaign) -> ApplicationError:
    return ApplicationError(
        "invalid_state",
        _("This campaign is %(status)s; that cannot be done now.") % {"status": campaign.get_status_display()},
        status=409,
    )


def booking_state(booking: ShiftBooking) -> ApplicationError:
    return ApplicationError(
        "invalid_state",
        _("This sign-up is %(status)s; that cannot be done now.") % {"status": booking.get_status_display()},
        status=409,
    )


def when(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def audit(
    *, actor: Any, action: str, target: Any, campaign: Campaign, changes: dict[str, Any], detail: str, request: Any
) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=target,
        changes=changes,
        detail=detail,
        request=request,
        scope_region=campaign.region,
    )
