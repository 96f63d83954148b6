"""Writes of work reports: request (or regenerate), edit the prose, cancel, and the background generation.

``report_request`` and ``report_prose_edit`` leave the report queued; the caller queues the task
(``tasks.report_generate_task``) once they return, as the imports do. The task gathers the figures (only when asked
to recompute: a prose edit re-renders the frozen figures), then renders the PDF and the workbook, moving
``progress`` after each section in short separate updates, so the page polling it sees each step.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from grassroots.cockpit.compute import may_see
from grassroots.cockpit.models import ReportKind, ReportStatus, WorkReport
from grassroots.cockpit.models.reports import ACTIVE_STATUSES
from grassroots.cockpit.reports import build
from grassroots.cockpit.rules import can_manage_reports
from grassroots.core.audit import audit_record
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditAction
from grassroots.territory.models import Region

logger = logging.getLogger(__name__)

# Progress after each step: (step, percent when it starts).
STEPS: dict[str, int] = {
    "headline": 5,
    "parts": 25,
    "categories": 45,
    "departments": 55,
    "pdf": 65,
    "xlsx": 90,
}


def step_label(step: str) -> str:
    labels = {
        "headline": _("Gathering the headline figures"),
        "parts": _("Comparing the region's parts"),
        "categories": _("Counting requests by category"),
        "departments": _("Scoring the departments"),
        "pdf": _("Writing the PDF"),
        "xlsx": _("Writing the Excel workbook"),
    }
    return str(labels.get(step, step))


def _busy() -> ApplicationError:
    return ApplicationError("report_busy", _("This report is being generated; wait until it is finished."), status=409)


def check_period(*, kind: str, period_start: dt.date, today: dt.date | None = None) -> None:
    """Refuse an unknown kind, a date that does not start a month or quarter, or a period that has not begun."""
    today = today or timezone.localdate()
    if kind not in ReportKind.values:
        raise ApplicationError(
            "report_kind",
            _("Choose a monthly or a quarterly report."),
            fields={"kind": [_("Choose a monthly or a quarterly report.")]},
        )
    if period_start.day != 1 or (kind == ReportKind.QUARTERLY and period_start.month not in (1, 4, 7, 10)):
        message = _("A report covers a whole calendar month or quarter.")
        raise ApplicationError("report_period", message, fields={"period": [message]})
    if period_start > today:
        message = _("This period has not begun yet: choose the current or an earlier period.")
        raise ApplicationError("report_future", message, fields={"period": [message]})
    if period_start.year < 2000:
        message = _("Choose a period from the year 2000 on.")
        raise ApplicationError("report_period", message, fields={"period": [message]})


def _check_region(actor: Any, region: Region) -> None:
    if not may_see(actor, region):
        raise ApplicationError("not_found", _("No such region."), fields={"region": [_("No such region.")]}, status=404)
    if region.kind not in build.REPORT_LEVELS:
        message = _("Work reports are written for a district, a street or a community.")
        raise ApplicationError("report_level", message, fields={"region": [message]})
    if not can_manage_reports(actor, region):
        message = _("You may not request this region's work report.")
        raise ApplicationError("permission_denied", message, fields={"region": [message]}, status=403)


@transaction.atomic
def report_request(
    *, actor: Any, region: Region, kind: str, period_start: dt.date, language: str = "zh-hans"
) -> WorkReport:
    """Create the region's report for the period, or queue the existing one again (its prose is kept)."""
    check_period(kind=kind, period_start=period_start)
    _check_region(actor, region)
    now = timezone.now()
    report = WorkReport.objects.select_for_update().filter(region=region, kind=kind, period_start=period_start).first()
    if report is not None and report.status in ACTIVE_STATUSES:
        raise _busy()
    created = report is None
    if report is None:
        report = WorkReport(region=region, kind=kind, period_start=period_start)
        report.copy_scope_from(region)
    report.period_end = build.period_end(kind, period_start)
    report.status = ReportStatus.QUEUED
    report.progress = 0
    report.step = ""
    report.error = ""
    report.figures = {}  # figures are gathered afresh
    report.requested_by = actor
    report.requested_at = now
    report.finished_at = None
    report.language = language
    report.full_clean(exclude=["pdf", "xlsx", "figures"], validate_unique=False)
    report.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        target=report,
        changes={"kind": kind, "period_start": period_start.isoformat(), "regenerate": not created},
        detail=f"work report {region.name} {kind} {period_start:%Y-%m}",
    )
    return report


@transaction.atomic
def report_prose_edit(*, actor: Any, report: WorkReport, practices: str, problems: str, plans: str) -> WorkReport:
    """Save the staff's prose and queue the files to be rendered again (from the frozen figures)."""
    report = WorkReport.objects.select_for_update().select_related("region").get(pk=report.pk)
    if not can_manage_reports(actor, report.region):
        raise ApplicationError("permission_denied", _("You may not edit this work report."), status=403)
    if report.status in ACTIVE_STATUSES:
        raise _busy()
    texts = {"practices": practices.strip(), "problems": problems.strip(), "plans": plans.strip()}
    changed = [name for name, text in texts.items() if getattr(report, name) != text]
    for name, text in texts.items():
        setattr(report, name, text)
    report.status = ReportStatus.QUEUED
    report.progress = 0
    report.step = ""
    report.error = ""
    report.finished_at = None
    report.save()
    audit_record(
        actor=actor, action=AuditAction.UPDATE, target=report, changes={"prose": changed}, detail="work report prose"
    )
    return report


@transaction.atomic
def report_cancel(*, actor: Any, report: WorkReport) -> WorkReport:
    """Stop a queued or running generation (it stops after its current step); the old files stay."""
    if not can_manage_reports(actor, report.region):
        raise ApplicationError("permission_denied", _("You may not edit this work report."), status=403)
    stopped = WorkReport.objects.filter(pk=report.pk, status__in=list(ACTIVE_STATUSES)).update(
        status=ReportStatus.FAILED, error=_("Cancelled."), step="", finished_at=timezone.now()
    )
    if not stopped:
        raise ApplicationError("report_not_running", _("This report is not being generated."))
    report.refresh_from_db()
    audit_record(actor=actor, action=AuditAction.UPDATE, target=report, changes={"cancel": True}, detail="cancel")
    return report


class _Cancelled(Exception):
    pass


def _advance(report_id: int, step: str) -> None:
    """Record the step now running; stop when the report was cancelled meanwhile."""
    moved = WorkReport.objects.filter(pk=report_id, status=ReportStatus.RUNNING).update(
        progress=STEPS[step], step=step_label(step)
    )
    if not moved:
        raise _Cancelled


def report_generate(*, report_id: int) -> WorkReport:
    """The background work: gather the figures (unless frozen ones are there), render the PDF and the workbook."""
    started = WorkReport.objects.filter(pk=report_id, status=ReportStatus.QUEUED).update(
        status=ReportStatus.RUNNING, progress=1, step=""
    )
    report = WorkReport.objects.select_related("region", "requested_by").get(pk=report_id)
    if not started:
        return report  # cancelled, or taken by another worker
    with translation.override(report.language):
        try:
            _generate(report)
        except _Cancelled:
            logger.info("work report %s: cancelled", report_id)
        except Exception as exc:
            logger.warning("work report %s: generation failed", report_id, exc_info=True)
            WorkReport.objects.filter(pk=report_id, status=ReportStatus.RUNNING).update(
                status=ReportStatus.FAILED,
                error=(_("The report could not be generated: %(error)s") % {"error": exc})[:2000],
                finished_at=timezone.now(),
            )
    report.refresh_from_db()
    return report


def _generate(report: WorkReport) -> None:
    from grassroots.cockpit.reports.pdf import render_pdf
    from grassroots.cockpit.reports.xlsx import render_xlsx

    if not report.figures:
        user = report.requested_by
        if user is None or not may_see(user, report.region):
            raise ApplicationError("not_allowed", _("You may not see the figures of this region."), status=403)
        report.figures = build.gather(report=report, user=user, step=lambda s: _advance(report.pk, s))
        WorkReport.objects.filter(pk=report.pk).update(figures=report.figures)
    _advance(report.pk, "pdf")
    pdf = render_pdf(report)
    _advance(report.pk, "xlsx")
    xlsx = render_xlsx(report)
    old = [f.name or "" for f in (report.pdf, report.xlsx) if f]
    stem = f"report-{report.pk}"
    report.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
    report.xlsx.save(f"{stem}.xlsx", ContentFile(xlsx), save=False)
    done = WorkReport.objects.filter(pk=report.pk, status=ReportStatus.RUNNING).update(
        status=ReportStatus.DONE,
        progress=100,
        step="",
        pdf=report.pdf.name,
        xlsx=report.xlsx.name,
        finished_at=timezone.now(),
    )
    storage = report.pdf.storage
    new = [report.pdf.name or "", report.xlsx.name or ""]
    for name in new if not done else old:
        if name:
            storage.delete(name)  # cancelled meanwhile: drop the new files; done: drop the old ones
    if not done:
        raise _Cancelled
