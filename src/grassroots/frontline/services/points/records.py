"""Service a community records by hand (an activity joined, a post's duty) with the hours served."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.accounts.enums import Capability
from grassroots.core.audit import audit_record
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditAction
from grassroots.frontline.enums import LIVE_REPORT_STATUSES, ServiceKind
from grassroots.frontline.models import MemberReport, ServiceRecord
from grassroots.frontline.rules.points import can_record_service
from grassroots.frontline.services.points.ledger import points_award_for_service_record
from grassroots.people.models import Person

RECORD_REGION_KINDS = ("street", "community", "compound")
MAX_HOURS = Decimal(24)


def _hours(value: Any) -> Decimal | None:
    try:
        hours = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    exponent = hours.as_tuple().exponent
    if not hours.is_finite() or not Decimal(0) < hours <= MAX_HOURS or (isinstance(exponent, int) and exponent < -1):
        return None
    return hours


def person_in_scope(actor: Any, person: Person) -> bool:
    """A person the actor may record service for: one they can see, or one reported to where they manage."""
    if getattr(actor, "is_superuser", False):
        return True
    if Person.objects.visible_to(actor, Capability.VIEW_PEOPLE).filter(pk=person.pk).exists():
        return True
    reports = MemberReport.objects.visible_to(actor, Capability.MANAGE_FRONTLINE)
    return reports.filter(person_id=person.pk, status__in=LIVE_REPORT_STATUSES).exists()


@transaction.atomic
def service_record_add(
    *,
    actor: Any,
    person: Person,
    region: Any,
    title: str,
    served_on: dt.date,
    hours: Decimal | float | str,
    kind: str = ServiceKind.ACTIVITY,
    request: Any = None,
    now: dt.datetime | None = None,
) -> ServiceRecord:
    """Record service a person did (staff managing frontline work where it was done); awards its points."""
    now = now or timezone.now()
    title = (title or "").strip()
    errors: dict[str, list[str]] = {}
    if not isinstance(person, Person):
        errors["person"] = [_("Choose the person who served.")]
    if not title:
        errors["title"] = [_("Say what the service was.")]
    elif len(title) > 150:
        errors["title"] = [_("The title can be at most 150 characters.")]
    if kind not in ServiceKind.values:
        errors["kind"] = [_("Choose the kind of service.")]
    checked_hours = _hours(hours)
    if checked_hours is None:
        errors["hours"] = [_("Enter the hours served: more than 0 and at most 24, with at most one decimal.")]
    if not isinstance(served_on, dt.date) or isinstance(served_on, dt.datetime):
        errors["served_on"] = [_("Enter the date of the service.")]
    elif served_on > timezone.localdate(now):
        errors["served_on"] = [_("Service cannot be recorded for a day that has not come yet.")]
    if region is None or getattr(region, "kind", None) not in RECORD_REGION_KINDS:
        errors["region"] = [_("Choose the street, community or compound where the service was done.")]
    if errors:
        raise ApplicationError("service_record_invalid", _("Please correct the errors below."), fields=errors)
    if not can_record_service(actor, region):
        raise ApplicationError(
            "not_allowed", _("You may record service only where you manage frontline work."), status=403
        )
    if not person_in_scope(actor, person):
        raise ApplicationError(
            "person_out_of_scope",
            _("This person is not in your area; their service cannot be recorded here."),
            status=403,
        )
    assert checked_hours is not None
    record = ServiceRecord(
        person=person,
        region=region,
        kind=kind,
        title=title,
        served_on=served_on,
        hours=checked_hours,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record.full_clean(exclude=["person", "region", "recorded_by"])
    record.save()
    points_award_for_service_record(record=record)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=record,
        changes={
            "person": person.pk,
            "region": region.pk,
            "kind": kind,
            "title": title,
            "served_on": served_on.isoformat(),
            "hours": str(checked_hours),
        },
        request=request,
    )
    return record
