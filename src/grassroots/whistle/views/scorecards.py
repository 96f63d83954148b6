"""The departments' scorecards: the monthly ranking (with an Excel export) and one department month by month.

Figures come from ``selectors.department_scorecards`` / ``department_scorecard``, which count only the calls
the user may see; definitions are in ``whistle.scorecards``.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from openpyxl import Workbook
from openpyxl.styles import Font

from grassroots.core.audit import audit_record
from grassroots.core.models import AuditAction
from grassroots.organizations.models import Organization
from grassroots.web.exports import XLSX, export_filename
from grassroots.whistle import selectors
from grassroots.whistle.forms import MonthForm
from grassroots.whistle.scorecards import ScoreRow
from grassroots.whistle.views.common import scorecard_department
from grassroots.whistle.views.detail import WhistleAccessMixin

MONTH_CHOICES = (3, 6, 12, 24)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def pct(value: float) -> str:
    return f"{value * 100:.1f}%"


def export_headers() -> list[str]:
    return [
        _("Rank"),
        _("Department"),
        _("Calls received"),
        _("Reported on site"),
        _("Reported on time"),
        _("On-time report rate (%)"),
        _("Fed back"),
        _("Handled on time"),
        _("On-time handling rate (%)"),
        _("Rated"),
        _("Satisfied"),
        _("Basically satisfied"),
        _("Dissatisfied"),
        _("Satisfaction rate (%)"),
        _("Score"),
    ]


def export_row(row: ScoreRow) -> list[Any]:
    return [
        row.rank,
        row.department_name,
        row.received,
        row.reported,
        row.reported_on_time,
        round(row.on_time_rate * 100, 1),
        row.fed_back,
        row.handled_on_time,
        round(row.handled_rate * 100, 1),
        row.rated,
        row.satisfied,
        row.basic,
        row.dissatisfied,
        round(row.satisfaction_rate * 100, 1),
        row.score,
    ]


class ScorecardsView(WhistleAccessMixin, View):
    """The departments ranked for a month (``?month=YYYY-MM``, default this month); ``?export=xlsx``."""

    model = Organization
    scoped_model = Organization

    def get(self, request: HttpRequest) -> HttpResponseBase:
        form = MonthForm(request.GET or None)
        valid = form.is_valid() if form.is_bound else True
        this_month = timezone.localdate().replace(day=1)
        month = (form.cleaned_data.get("month") if form.is_bound and valid else None) or this_month
        rows = selectors.department_scorecards(user=request.user, month=month)
        if request.GET.get("export") == "xlsx" and valid:
            return self.export(request, month, rows)
        if valid:  # show the month counted, whatever was asked
            form = MonthForm(initial={"month": f"{month:%Y-%m}"})
        totals = {
            key: sum(getattr(r, key) for r in rows)
            for key in ("received", "reported", "reported_on_time", "handled_on_time", "rated", "satisfied", "basic")
        }
        context = {
            "form": form,
            "month": month,
            "previous": f"{add_months(month, -1):%Y-%m}",
            "next": f"{add_months(month, 1):%Y-%m}" if month < this_month else None,
            "rows": [
                {
                    "row": r,
                    "on_time": pct(r.on_time_rate),
                    "handled": pct(r.handled_rate),
                    "satisfaction": pct(r.satisfaction_rate),
                }
                for r in rows
            ],
            "totals": totals,
            "export_query": f"month={month:%Y-%m}&export=xlsx",
            "breadcrumbs": [(gettext_lazy("Department scorecards"), None)],
        }
        return render(request, "whistle/scorecards.html", context, status=200 if valid else 400)

    def export(self, request: HttpRequest, month: dt.date, rows: list[ScoreRow]) -> FileResponse:
        title = _("Department scorecards")
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = f"{month:%Y-%m}"
        sheet.append([_("Month"), f"{month:%Y-%m}"])
        sheet.append(export_headers())
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(export_row(row))
        handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
        workbook.save(handle)
        handle.seek(0)
        audit_record(
            actor=request.user,
            action=AuditAction.EXPORT,
            detail=f"{title}: {len(rows)}",
            changes={"rows": len(rows), "month": f"{month:%Y-%m}"},
            request=request,
        )
        return FileResponse(handle, as_attachment=True, filename=export_filename(title), content_type=XLSX)


class DepartmentScorecardView(WhistleAccessMixin, View):
    """One department's figures month by month (``?months=``, default 12)."""

    model = Organization
    scoped_model = Organization

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        department = scorecard_department(user=request.user, pk=pk)
        try:
            months = int(request.GET.get("months") or 12)
        except ValueError:
            months = 12
        months = months if months in MONTH_CHOICES else 12
        rows = selectors.department_scorecard(user=request.user, department_id=department.pk, months=months)
        context = {
            "department": department,
            "months": months,
            "month_choices": MONTH_CHOICES,
            "rows": [
                {
                    "row": r,
                    "on_time": pct(r.on_time_rate),
                    "handled": pct(r.handled_rate),
                    "satisfaction": pct(r.satisfaction_rate),
                    "ranking_url": f"{reverse('whistle:scorecards')}?month={r.month:%Y-%m}" if r.month else None,
                }
                for r in reversed(rows)
            ],
            "total_received": sum(r.received for r in rows),
            "breadcrumbs": [
                (gettext_lazy("Department scorecards"), reverse("whistle:scorecards")),
                (department.name, None),
            ],
        }
        return render(request, "whistle/department_scorecard.html", context)
