"""Unit reports (单位报到): a unit reports to a community under an agreement, with commitments, resources and,
once confirmed, projects counted against the commitments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.core.audit import audit_record, model_changes, snapshot
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditAction
from grassroots.frontline.enums import LIVE_REPORT_STATUSES, ProjectStatus, ReportStatus, ResourceKind
from grassroots.frontline.models import UnitCommitment, UnitProject, UnitReport, UnitResource
from grassroots.frontline.rules import reporting as rules
from grassroots.frontline.services.reporting.common import (
    UNIT_REPORT_KINDS,
    CommitmentInput,
    ResourceInput,
    community_staff,
    decide,
    denied,
    invalid,
    link,
    state_error,
    unit_admins,
)
from grassroots.notifications.services import notify
from grassroots.organizations.models import Organization
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Region


def _unit_report_errors(
    *,
    agreement_title: str,
    agreement_start: dt.date | None,
    agreement_end: dt.date | None,
    commitments: Sequence[CommitmentInput],
    resources: Sequence[ResourceInput],
    contact_name: str,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not agreement_title.strip():
        errors["agreement_title"] = [_("This field is required.")]
    elif len(agreement_title.strip()) > 150:
        errors["agreement_title"] = [_("At most %(max)d characters.") % {"max": 150}]
    if agreement_start is None or agreement_end is None:
        errors["agreement_start"] = [_("Give the agreement's start and end dates.")]
    elif agreement_end < agreement_start:
        errors["agreement_end"] = [_("The agreement cannot end before it starts.")]
    if not commitments:
        errors["commitments"] = [_("Name at least one commitment.")]
    for c in commitments:
        if not c.text.strip() or len(c.text.strip()) > 200:
            errors.setdefault("commitments", []).append(_("Each commitment needs a text of at most 200 characters."))
        if not 1 <= int(c.yearly_target) <= 1000:
            errors.setdefault("commitments", []).append(_("A yearly target is a number from 1 to 1000."))
    for r in resources:
        if r.kind not in ResourceKind.values:
            errors.setdefault("resources", []).append(_("Unknown kind of resource."))
        if not r.description.strip() or len(r.description.strip()) > 200 or len(r.quantity) > 50:
            errors.setdefault("resources", []).append(_("Each resource needs a description of at most 200 characters."))
    if len(contact_name) > 50:
        errors["contact_name"] = [_("At most %(max)d characters.") % {"max": 50}]
    return errors


@transaction.atomic
def unit_report_submit(
    *,
    actor: Any,
    unit: Organization,
    community: Region,
    agreement_title: str,
    agreement_start: dt.date,
    agreement_end: dt.date,
    commitments: Sequence[CommitmentInput],
    resources: Sequence[ResourceInput] = (),
    contact_name: str = "",
    request: Any = None,
    now: dt.datetime | None = None,
) -> UnitReport:
    """A unit reports to a community under a co-construction agreement (by its admin or by the staff)."""
    now = now or timezone.now()
    if unit.kind not in UNIT_REPORT_KINDS:
        raise ApplicationError(
            "not_a_unit", _("Only an agency, enterprise, institution or department can report."), fields={"unit": []}
        )
    if community.kind != RegionKind.COMMUNITY:
        raise ApplicationError("not_a_community", _("A unit reports to a community."), fields={"community": []})
    if not rules.can_submit_unit_report(actor, unit_id=unit.pk, community=community):
        raise denied(_("Only the unit's admin or the community's staff can report this unit."))
    errors = _unit_report_errors(
        agreement_title=agreement_title,
        agreement_start=agreement_start,
        agreement_end=agreement_end,
        commitments=commitments,
        resources=resources,
        contact_name=contact_name,
    )
    if errors:
        raise invalid(errors)
    if UnitReport.objects.filter(unit=unit, region=community, status__in=LIVE_REPORT_STATUSES).exists():
        raise _unit_report_exists(unit, community)
    report = UnitReport(
        unit=unit,
        region=community,
        agreement_title=agreement_title.strip(),
        agreement_start=agreement_start,
        agreement_end=agreement_end,
        contact_name=contact_name.strip(),
        submitted_at=now,
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:  # a simultaneous submission won
        raise _unit_report_exists(unit, community) from exc
    UnitCommitment.objects.bulk_create(
        UnitCommitment(report=report, text=c.text.strip(), yearly_target=int(c.yearly_target)) for c in commitments
    )
    UnitResource.objects.bulk_create(
        UnitResource(report=report, kind=r.kind, description=r.description.strip(), quantity=r.quantity.strip())
        for r in resources
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=report,
        changes={"unit": unit.pk, "commitments": len(commitments), "resources": len(resources)},
        request=request,
    )
    notify(
        recipients=community_staff(community),
        verb="unit_report_submitted",
        title=_("%(unit)s has reported to %(community)s; please confirm") % {"unit": unit, "community": community},
        url=link("frontline:unit_report_detail", report.pk),
        channels=("sms",),
    )
    return report


def _unit_report_exists(unit: Organization, community: Region) -> ApplicationError:
    return ApplicationError(
        "unit_report_exists",
        _("%(unit)s already has a report to %(community)s awaiting confirmation or confirmed.")
        % {"unit": unit, "community": community},
        status=409,
    )


@transaction.atomic
def unit_report_decide(
    *,
    report: UnitReport,
    actor: Any,
    accept: bool,
    note: str = "",
    request: Any = None,
    now: dt.datetime | None = None,
) -> UnitReport:
    """The community confirms (or returns) a pending unit report."""
    now = now or timezone.now()
    report = UnitReport.objects.select_for_update().select_related("unit", "region").get(pk=report.pk)
    decide(report, actor=actor, accept=accept, note=note, now=now, request=request)
    title = (
        _("%(community)s has confirmed the report of %(unit)s")
        if accept
        else _("%(community)s has returned the report of %(unit)s")
    )
    notify(
        recipients=unit_admins(report.unit_id),
        verb="unit_report_confirmed" if accept else "unit_report_rejected",
        title=title % {"community": report.region, "unit": report.unit},
        body=report.decision_note,
        url=link("frontline:unit_report_detail", report.pk),
        channels=("sms",),
    )
    return report


@transaction.atomic
def unit_report_withdraw(
    *, report: UnitReport, actor: Any, request: Any = None, now: dt.datetime | None = None
) -> UnitReport:
    """The unit's admin takes back a report the community has not decided yet."""
    report = UnitReport.objects.select_for_update().get(pk=report.pk)
    if not rules.is_unit_admin(actor, report.unit_id):
        raise denied(_("Only the unit's admin can withdraw its report."))
    if report.status != ReportStatus.PENDING:
        raise state_error(report.status)
    report.status = ReportStatus.WITHDRAWN
    report.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=report,
        changes={"status": [ReportStatus.PENDING, ReportStatus.WITHDRAWN]},
        detail="withdraw",
        request=request,
    )
    return report


def _project_report(report: UnitReport, actor: Any) -> UnitReport:
    if not rules.is_unit_admin(actor, report.unit_id) and not rules.covers(actor, report):
        raise denied(_("Only the unit's admin or the community's staff can change its projects."))
    if report.status != ReportStatus.CONFIRMED:
        raise state_error(report.status)
    return report


@transaction.atomic
def unit_project_add(
    *,
    report: UnitReport,
    actor: Any,
    title: str,
    commitment: UnitCommitment | None = None,
    description: str = "",
    started_on: dt.date | None = None,
    request: Any = None,
    now: dt.datetime | None = None,
) -> UnitProject:
    """A project the unit takes on for the community (planned; in progress when it has started)."""
    today = timezone.localdate(now or timezone.now())
    report = _project_report(UnitReport.objects.get(pk=report.pk), actor)
    errors: dict[str, list[str]] = {}
    if not title.strip() or len(title.strip()) > 150:
        errors["title"] = [_("Give a title of at most 150 characters.")]
    if len(description) > 500:
        errors["description"] = [_("At most %(max)d characters.") % {"max": 500}]
    if commitment is not None and commitment.report_id != report.pk:
        errors["commitment"] = [_("Choose one of this report's commitments.")]
    if started_on is not None and started_on > today:
        errors["started_on"] = [_("The date cannot be in the future.")]
    if errors:
        raise invalid(errors)
    project = UnitProject.objects.create(
        report=report,
        commitment=commitment,
        title=title.strip(),
        description=description.strip(),
        started_on=started_on,
        status=ProjectStatus.IN_PROGRESS if started_on else ProjectStatus.PLANNED,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=project,
        changes={"report": report.pk, "title": project.title},
        scope_region=report.region,
        request=request,
    )
    return project


@transaction.atomic
def unit_project_update(
    *,
    project: UnitProject,
    actor: Any,
    status: str,
    done_on: dt.date | None = None,
    residents_served: int = 0,
    request: Any = None,
    now: dt.datetime | None = None,
) -> UnitProject:
    """Move a project on (planned → in progress → done); a done project says when and how many it served."""
    today = timezone.localdate(now or timezone.now())
    project = UnitProject.objects.select_for_update().select_related("report__region").get(pk=project.pk)
    report = _project_report(project.report, actor)
    errors: dict[str, list[str]] = {}
    if status not in ProjectStatus.values:
        errors["status"] = [_("Unknown status.")]
    if status == ProjectStatus.DONE and done_on is None:
        errors["done_on"] = [_("Give the date the project was done.")]
    if done_on is not None and done_on > today:
        errors["done_on"] = [_("The date cannot be in the future.")]
    elif done_on is not None and project.started_on is not None and done_on < project.started_on:
        errors["done_on"] = [_("The project cannot be done before it started.")]
    if residents_served < 0:
        errors["residents_served"] = [_("Enter a number of zero or more.")]
    if errors:
        raise invalid(errors)
    before = snapshot(project)
    project.status = status
    project.done_on = done_on if status == ProjectStatus.DONE else None
    project.residents_served = residents_served
    if status != ProjectStatus.PLANNED and project.started_on is None:
        project.started_on = done_on or today
    project.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=project,
        changes=model_changes(project, before),
        scope_region=report.region,
        request=request,
    )
    return project
