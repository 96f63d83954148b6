"""The unit feedback report (反馈到单位): how each of a unit's in-service members reported and served.

One row per in-service party member of the unit: whether and where they reported, their service posts, what they
did in the period and the points they earned. The figures come from one query per kind of figure for the whole
unit (``member_service_summaries``), never one per member. The report is an Excel workbook or a PDF (WeasyPrint,
A4 landscape, Chinese fonts of the machine, nothing fetched from the network).

Callers check ``grassroots.frontline.rules.points.can_download_feedback`` (or pass ``actor``, which checks it
and writes the export's audit row).
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from grassroots.core.audit import audit_record
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditAction
from grassroots.frontline.enums import LIVE_REPORT_STATUSES, ReportStatus
from grassroots.frontline.models import MemberReport
from grassroots.frontline.rules.points import can_download_feedback
from grassroots.frontline.selectors.points import MemberServiceSummary, member_service_summaries
from grassroots.organizations.models import Organization
from grassroots.people.enums import MemberCategory
from grassroots.people.models import PartyMembership

ZERO = Decimal(0)
TEMPLATE = "frontline/feedback_report_pdf.html"


@dataclass(frozen=True)
class FeedbackRow:
    number: int
    person_id: int
    name: str
    status: str  # 已报到 / 待确认 / 未报到, translated
    reported: bool
    community: str
    posts: list[str]
    wishes_claimed: int
    wishes_fulfilled: int
    cases_fulfilled: int
    shifts: int
    hours: Decimal
    activities: int
    points: Decimal


@dataclass(frozen=True)
class FeedbackReport:
    unit: Organization
    date_from: dt.date
    date_to: dt.date
    rows: list[FeedbackRow]
    totals: dict[str, Any] = field(default_factory=dict)

    @property
    def period(self) -> str:
        return _("%(start)s to %(end)s") % {
            "start": self.date_from.strftime("%Y-%m-%d"),
            "end": self.date_to.strftime("%Y-%m-%d"),
        }

    @property
    def title(self) -> str:
        return _("%(unit)s: party members reporting to communities and serving — feedback (%(period)s)") % {
            "unit": self.unit.name,
            "period": self.period,
        }


def _status_label(status: str | None) -> str:
    if status == ReportStatus.CONFIRMED:
        return _("Reported")
    if status == ReportStatus.PENDING:
        return _("Awaiting confirmation")
    return _("Not reported")


def _place(row: Mapping[str, Any]) -> str:
    names = [row["community__name"], row["compound__name"]]
    return " / ".join(n for n in names if n) or row["region__name"] or ""


def unit_feedback_rows(*, unit: Organization, date_from: dt.date, date_to: dt.date) -> list[FeedbackRow]:
    """One row per in-service member of ``unit``, in name order, with their service in the period."""
    members = PartyMembership.objects.filter(home_unit_id=unit.pk, category=MemberCategory.IN_SERVICE)
    people = list(members.values_list("person_id", "person__name").order_by("person__name_pinyin", "person_id"))
    ids = members.values("person_id")
    reports = {
        row["person_id"]: row
        for row in MemberReport.objects.filter(person_id__in=ids, status__in=LIVE_REPORT_STATUSES)
        .values("person_id", "status", "region__name", "community__name", "compound__name")
        .order_by("submitted_at", "id")
    }
    summaries = member_service_summaries(persons=ids, date_from=date_from, date_to=date_to)
    rows = []
    for number, (person_id, name) in enumerate(people, start=1):
        report = reports.get(person_id)
        summary = summaries.get(person_id, MemberServiceSummary())
        rows.append(
            FeedbackRow(
                number=number,
                person_id=person_id,
                name=name,
                status=_status_label(report["status"] if report else None),
                reported=bool(report and report["status"] == ReportStatus.CONFIRMED),
                community=_place(report) if report else "",
                posts=summary.posts,
                wishes_claimed=summary.wishes_claimed,
                wishes_fulfilled=summary.wishes_fulfilled,
                cases_fulfilled=summary.cases_fulfilled,
                shifts=summary.shifts,
                hours=summary.hours,
                activities=summary.activities,
                points=summary.points,
            )
        )
    return rows


# The figure columns, in order: (attribute, header).
FIGURES: tuple[tuple[str, Callable[[], str]], ...] = (
    ("wishes_claimed", lambda: _("Wishes claimed")),
    ("wishes_fulfilled", lambda: _("Wishes fulfilled")),
    ("cases_fulfilled", lambda: _("Difficulties solved")),
    ("shifts", lambda: _("Shifts served")),
    ("hours", lambda: _("Hours served")),
    ("activities", lambda: _("Activities joined")),
    ("points", lambda: _("Points")),
)


def feedback_report(*, unit: Organization, date_from: dt.date, date_to: dt.date) -> FeedbackReport:
    rows = unit_feedback_rows(unit=unit, date_from=date_from, date_to=date_to)
    totals: dict[str, Any] = {name: sum((getattr(r, name) for r in rows), start=0) for name, _header in FIGURES}
    totals["members"] = len(rows)
    totals["reported"] = sum(1 for r in rows if r.reported)
    return FeedbackReport(unit=unit, date_from=date_from, date_to=date_to, rows=rows, totals=totals)


def headers() -> list[str]:
    return [
        pgettext("row number", "No."),
        pgettext("person", "Name"),
        _("Report status"),
        _("Reported to"),
        _("Service posts"),
        *(header() for _name, header in FIGURES),
    ]


def _check(actor: Any, unit: Organization) -> None:
    if actor is not None and not can_download_feedback(actor, unit):
        raise ApplicationError("not_allowed", _("You may not download this unit's feedback report."), status=403)


def _audit(actor: Any, unit: Organization, report: FeedbackReport, kind: str, request: Any) -> None:
    if actor is None:
        return
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        target=unit,
        detail=f"{report.title[:150]} ({kind}): {len(report.rows)}",
        changes={"rows": len(report.rows), "from": report.date_from.isoformat(), "to": report.date_to.isoformat()},
        request=request,
    )


def _width(value: Any) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(value))


def _text(cell: Any, value: str) -> None:
    """Text, never a formula: a name typed as "=HYPERLINK(…)" must not run in the reader's Excel."""
    cell.value = value
    cell.data_type = "s"


def unit_feedback_xlsx(
    *, unit: Organization, date_from: dt.date, date_to: dt.date, actor: Any = None, request: Any = None
) -> bytes:
    """The report as an Excel workbook: a title row, the headers, one row per member and a totals row."""
    _check(actor, unit)
    report = feedback_report(unit=unit, date_from=date_from, date_to=date_to)
    columns = headers()
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = str(_("Feedback"))[:31]
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(bold=True)

    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    _text(sheet.cell(row=1, column=1), report.title)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    sheet.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 28

    for index, header in enumerate(columns, start=1):
        cell = sheet.cell(row=2, column=index)
        _text(cell, header)
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="F2DCDB")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border

    widths = [_width(h) for h in columns]
    line = 3
    for row in report.rows:
        texts = [row.name, row.status, row.community, "、".join(row.posts)]
        values: list[Any] = [row.number, *texts, *(_number(getattr(row, name)) for name, _h in FIGURES)]
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(row=line, column=index)
            if isinstance(value, str):
                _text(cell, value)
            else:
                cell.value = value
            cell.border = border
            widths[index - 1] = max(widths[index - 1], _width(value))
        line += 1

    total_values: list[Any] = [
        "",
        _("Total"),
        _("%(reported)s of %(members)s reported") % report.totals,
        "",
        "",
        *(_number(report.totals[name]) for name, _h in FIGURES),
    ]
    for index, value in enumerate(total_values, start=1):
        cell = sheet.cell(row=line, column=index)
        if isinstance(value, str):
            _text(cell, value)
        else:
            cell.value = value
        cell.font = bold
        cell.border = border
        widths[index - 1] = max(widths[index - 1], _width(value))

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 6), 40)
    sheet.freeze_panes = "C3"
    sheet.print_options.horizontalCentered = True
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4

    buffer = io.BytesIO()
    workbook.save(buffer)
    _audit(actor, unit, report, "xlsx", request)
    return buffer.getvalue()


def _number(value: Any) -> int | float:
    """Excel numbers: whole numbers as int, decimals (hours, points) as float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return int(value)


def unit_feedback_pdf(
    *, unit: Organization, date_from: dt.date, date_to: dt.date, actor: Any = None, request: Any = None
) -> bytes:
    """The report as a PDF (A4 landscape), rendered by WeasyPrint from a template with no external resources."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    _check(actor, unit)
    report = feedback_report(unit=unit, date_from=date_from, date_to=date_to)
    html = render_to_string(
        TEMPLATE,
        {
            "report": report,
            "headers": headers(),
            "figures": [name for name, _h in FIGURES],
            "rows": [
                {"row": row, "figures": [_number(getattr(row, name)) for name, _h in FIGURES]} for row in report.rows
            ],
            "totals": [_number(report.totals[name]) for name, _h in FIGURES],
            "generated_at": timezone.localtime(),
        },
    )
    # Only local files and inline data: the report never reaches out to the network.
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    document = HTML(string=html, base_url=str(settings.BASE_DIR / "static"), url_fetcher=fetcher)
    data = document.write_pdf()
    assert isinstance(data, bytes)
    _audit(actor, unit, report, "pdf", request)
    return data
