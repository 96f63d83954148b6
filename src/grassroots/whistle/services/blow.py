"""Blowing the whistle (吹哨): a community or street calls departments in, each with its own task and deadlines."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from grassroots.cases import rules as case_rules
from grassroots.cases.enums import ACTIVE_STATUSES
from grassroots.cases.models import Case
from grassroots.core.audit import audit_record
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditAction
from grassroots.notifications.services import notify
from grassroots.organizations.enums import OrganizationKind
from grassroots.organizations.models import Organization
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Region
from grassroots.whistle import rules
from grassroots.whistle.enums import CallStatus, EscalationLevel, Urgency, WhistleEventKind, WhistleStatus
from grassroots.whistle.models import Whistle, WhistleCall
from grassroots.whistle.services.common import (
    actor_label,
    department_staff,
    event_add,
    invalid,
    real_user,
    whistle_url,
)

# The kinds of organisation a whistle may call in (any of them in the whistle's district).
CALLABLE_KINDS = frozenset(
    {
        OrganizationKind.DEPARTMENT,
        OrganizationKind.AGENCY,
        OrganizationKind.PUBLIC_INSTITUTION,
        OrganizationKind.ENTERPRISE,
        OrganizationKind.PROPERTY_COMPANY,
    }
)
NUMBER_PREFIX = "CS"
TITLE_MAX = 100
DESCRIPTION_MAX = 4000
TASK_MAX = 500


@dataclass
class CallInput:
    """One department to call and what it must do."""

    department: Organization
    task: str


def report_minutes(urgency: str) -> int:
    """Minutes a called department has to report on site (``settings.WHISTLE_REPORT_MINUTES``)."""
    table: dict[str, int] = {"urgent": 30, "normal": 24 * 60, **getattr(settings, "WHISTLE_REPORT_MINUTES", {})}
    return int(table[urgency])


def _next_number(now: dt.datetime) -> str:
    """``CS`` + yyyymm + the month's next sequence number (4 digits, more past 9999)."""
    prefix = f"{NUMBER_PREFIX}{timezone.localtime(now):%Y%m}"
    last = (
        Whistle.objects.filter(number__startswith=prefix)
        .order_by(Length("number").desc(), "-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


def _insert_numbered(whistle: Whistle, now: dt.datetime, attempts: int = 50) -> None:
    """Save a new whistle with the month's next number; the unique index decides between simultaneous blowers.

    Each try runs in a savepoint: on PostgreSQL a concurrent insert of the same number waits for the other
    transaction and then fails on the unique index, and the next try (a new statement, a new snapshot) sees the
    committed number and takes the one after it. SQLite's IMMEDIATE transactions serialise writers anyway.
    """
    for _attempt in range(attempts):
        whistle.number = _next_number(now)
        try:
            with transaction.atomic():
                whistle.save()
            return
        except IntegrityError:
            whistle.pk = None
            if not Whistle.objects.filter(number=whistle.number).exists():
                raise
    raise ApplicationError("number_busy", _("Too many whistles at once; please try again."), status=409)


def _check_calls(*, region: Region, calls: list[CallInput], errors: dict[str, list[str]]) -> list[CallInput]:
    cleaned: list[CallInput] = []
    problems: list[str] = []
    if not calls:
        problems.append(_("Call at least one department."))
    seen: set[int] = set()
    for call in calls:
        department = call.department
        if department is None or department.pk is None:
            problems.append(_("Choose a department for every call."))
            continue
        if department.pk in seen:
            problems.append(_("%(name)s is called twice; call each department once.") % {"name": department.name})
            continue
        seen.add(department.pk)
        if department.kind not in CALLABLE_KINDS:
            problems.append(
                _("%(name)s (%(kind)s) cannot be called by a whistle.")
                % {"name": department.name, "kind": department.get_kind_display()}
            )
            continue
        if department.district_id != region.district_id:
            problems.append(_("%(name)s does not serve this district.") % {"name": department.name})
            continue
        task = (call.task or "").strip()
        if not task:
            problems.append(_("Say what %(name)s must do.") % {"name": department.name})
            continue
        if len(task) > TASK_MAX:
            problems.append(
                _("The task for %(name)s can be at most %(max)d characters.")
                % {"name": department.name, "max": TASK_MAX}
            )
            continue
        cleaned.append(CallInput(department=department, task=task))
    if problems:
        errors["calls"] = problems
    return cleaned


def _check_case(*, actor: Any, region: Region, case: Case | None, errors: dict[str, list[str]]) -> None:
    if case is None:
        return
    in_region = case.community_id == region.pk if region.kind == RegionKind.COMMUNITY else case.street_id == region.pk
    if not case_rules.can_handle(actor, case) or not in_region:
        raise ApplicationError("not_allowed", _("You cannot blow a whistle for this case."), status=403)
    if case.status not in ACTIVE_STATUSES:
        errors["origin_case"] = [
            _("Case %(number)s is %(status)s; a whistle can only be blown for an active case.")
            % {"number": case.number, "status": case.get_status_display()}
        ]


def whistle_blow(
    *,
    actor: Any,
    region: Region,
    title: str,
    description: str,
    urgency: str,
    handle_due: dt.datetime,
    calls: list[CallInput],
    origin_case: Case | None = None,
    request: Any = None,
    now: dt.datetime | None = None,
) -> Whistle:
    """Blow the whistle for a community or street: one call per department, each to report on site by
    ``now + WHISTLE_REPORT_MINUTES[urgency]`` and to handle the matter by ``handle_due``.

    Everything is checked before anything is written. The called departments' staff are told (SMS); a case
    the whistle is blown for gets a line on its timeline.
    """
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if region is None or region.kind not in rules.BLOW_REGION_KINDS:
        errors["region"] = [_("A whistle is blown by a community or a street.")]
    elif not rules.can_blow(actor, region):
        raise ApplicationError("not_allowed", _("You cannot blow a whistle for this region."), status=403)
    title = (title or "").strip()
    description = (description or "").strip()
    if not title:
        errors["title"] = [_("Give the whistle a title.")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [_("The title can be at most %(max)d characters.") % {"max": TITLE_MAX}]
    if not description:
        errors["description"] = [_("Describe the matter.")]
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = [_("The description can be at most %(max)d characters.") % {"max": DESCRIPTION_MAX}]
    report_due: dt.datetime | None = None
    if urgency not in Urgency.values:
        errors["urgency"] = [_("Choose urgent or normal.")]
    else:
        report_due = now + dt.timedelta(minutes=report_minutes(urgency))
    if handle_due is None:
        errors["handle_due"] = [_("Say by when the matter must be handled.")]
    elif handle_due <= now:
        errors["handle_due"] = [_("The handling deadline must be in the future.")]
    elif report_due is not None and handle_due < report_due:
        errors["handle_due"] = [
            _("The handling deadline cannot be before the report deadline (%(due)s).")
            % {"due": date_format(timezone.localtime(report_due), "DATETIME_FORMAT")}
        ]
    cleaned: list[CallInput] = []
    if "region" not in errors:
        cleaned = _check_calls(region=region, calls=list(calls or []), errors=errors)
        _check_case(actor=actor, region=region, case=origin_case, errors=errors)
    if errors:
        raise invalid(errors)
    assert report_due is not None
    with transaction.atomic():
        if origin_case is not None:
            case = Case.objects.select_for_update().get(pk=origin_case.pk)
            if case.status not in ACTIVE_STATUSES:
                raise invalid({"origin_case": [_("The case is no longer active.")]})
        whistle = Whistle(
            title=title,
            description=description,
            region=region,
            origin_case=origin_case,
            urgency=urgency,
            handle_due=handle_due,
            status=WhistleStatus.OPEN,
            raised_at=now,
            raised_by=real_user(actor),
            raised_by_label=actor_label(actor)[:100],
        )
        _insert_numbered(whistle, now)
        rows = [
            WhistleCall(
                whistle=whistle,
                department=c.department,
                task=c.task,
                status=CallStatus.CALLED,
                called_at=now,
                report_due=report_due,
                handle_due=handle_due,
                escalation_level=EscalationLevel.NONE,
                next_escalation_at=report_due,
            )
            for c in cleaned
        ]
        for row in rows:
            row.save()
        names = [c.department.name for c in cleaned]
        event_add(
            whistle=whistle,
            kind=WhistleEventKind.BLOWN,
            actor=actor,
            at=now,
            note=_("%(departments)s called") % {"departments": "、".join(names)},
            data={
                "departments": [c.department.pk for c in cleaned],
                "urgency": urgency,
                "case": origin_case.number if origin_case is not None else None,
            },
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            target=whistle,
            changes={
                "number": whistle.number,
                "region": region.pk,
                "urgency": urgency,
                "handle_due": handle_due.isoformat(),
                "departments": [c.department.pk for c in cleaned],
                "origin_case": origin_case.pk if origin_case is not None else None,
            },
            request=request,
        )
        if origin_case is not None:
            from grassroots.cases.services import case_whistle_blown

            case_whistle_blown(case=origin_case, actor=actor, whistle_number=whistle.number, departments=names, now=now)
        due_text = date_format(timezone.localtime(report_due), "DATETIME_FORMAT")
        for row in rows:
            notify(
                recipients=department_staff([row.department_id]),
                verb="whistle_called",
                title=_("Whistle %(number)s from %(region)s: %(title)s")
                % {"number": whistle.number, "region": region.name, "title": title},
                body=_("Report on site by %(due)s. Task: %(task)s") % {"due": due_text, "task": row.task},
                url=whistle_url(whistle),
                channels=("sms",),
            )
    return whistle
