"""The report as an Excel workbook: one sheet per section (总体情况, 主要做法, one per data table, 存在问题,
下一步打算), Chinese sheet titles, numbers as numbers with number formats. Call it under
``translation.override(report.language)`` (the task does)."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from grassroots.cockpit.models import WorkReport
from grassroots.cockpit.reports.sections import Prose, Sections, Table, report_sections
from grassroots.frontline.feedback import _number, _text, _width

THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
TEXT_COLUMN_WIDTH = 100


def _sheet_title(text: str, used: set[str]) -> str:
    """A valid, unique sheet title (at most 31 characters, none of []:*?/\\)."""
    base = re.sub(r"[\[\]:*?/\\]", "", text)[:31] or "Sheet"
    title, n = base, 2
    while title in used:
        title = f"{base[:28]}({n})"
        n += 1
    used.add(title)
    return title


def _heading(sheet: Worksheet, row: int, text: str, size: int = 12) -> None:
    cell = sheet.cell(row=row, column=1)
    _text(cell, text)
    cell.font = Font(bold=True, size=size)


def _paragraphs(sheet: Worksheet, title: str, heading: str, paragraphs: list[str]) -> None:
    _heading(sheet, 1, title, 14)
    _heading(sheet, 2, heading)
    for offset, paragraph in enumerate(paragraphs, start=3):
        cell = sheet.cell(row=offset, column=1)
        _text(cell, paragraph)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[offset].height = max(18, 16 * (1 + _width(paragraph) // TEXT_COLUMN_WIDTH))
    sheet.column_dimensions["A"].width = TEXT_COLUMN_WIDTH


def _prose_sheet(sheet: Worksheet, title: str, prose: Prose) -> None:
    lines = [line for line in prose.text.splitlines() if line.strip()] if prose.filled else [prose.text]
    _paragraphs(sheet, title, prose.heading, lines)


def _format(kind: str, value: Decimal) -> str:
    if kind == "rate":
        return "0.00"
    return "#,##0" if value == value.to_integral_value() else "#,##0.00"


def _write_row(sheet: Worksheet, line: int, table: Table, values: list[Any], widths: list[int], bold: bool) -> None:
    for index, (kind, value) in enumerate(zip(table.kinds, values, strict=True), start=1):
        cell = sheet.cell(row=line, column=index)
        if isinstance(value, Decimal):
            cell.value = _number(value)
            cell.number_format = _format(kind, value)
        elif value is None:
            _text(cell, "—" if not bold else "")
            cell.alignment = Alignment(horizontal="right")
        else:
            _text(cell, str(value))
        cell.border = BORDER
        if bold:
            cell.font = Font(bold=True)
        widths[index - 1] = max(widths[index - 1], _width(cell.value or ""))


def _table_sheet(sheet: Worksheet, title: str, heading: str, table: Table) -> None:
    _heading(sheet, 1, title, 14)
    _heading(sheet, 2, f"{heading} {table.caption}")
    widths = [_width(h) for h in table.headers]
    for index, header in enumerate(table.headers, start=1):
        cell = sheet.cell(row=3, column=index)
        _text(cell, header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BORDER
    line = 4
    for row in table.rows:
        _write_row(sheet, line, table, row, widths, bold=False)
        line += 1
    if table.footer:
        _write_row(sheet, line, table, table.footer, widths, bold=True)
        line += 1
    if table.note:
        _text(sheet.cell(row=line + 1, column=1), table.note)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 40)
    sheet.freeze_panes = "B4"


def build_workbook(sections: Sections) -> Workbook:
    workbook = Workbook()
    used: set[str] = set()
    first = workbook.active
    assert first is not None
    first.title = _sheet_title(_("Overall situation"), used)
    _paragraphs(first, sections.title, sections.overall_heading, [sections.subtitle, *sections.overall])
    _prose_sheet(
        workbook.create_sheet(_sheet_title(_("Main practices"), used)),
        sections.title,
        sections.practices,
    )
    for table in sections.tables:
        sheet = workbook.create_sheet(_sheet_title(table.sheet or table.caption, used))
        _table_sheet(sheet, sections.title, sections.figures_heading, table)
    for title, prose in ((_("Problems"), sections.problems), (_("Next steps"), sections.plans)):
        if prose is not None:
            _prose_sheet(workbook.create_sheet(_sheet_title(title, used)), sections.title, prose)
    for sheet in workbook.worksheets:
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    return workbook


def render_xlsx(report: WorkReport) -> bytes:
    buffer = io.BytesIO()
    build_workbook(report_sections(report)).save(buffer)
    return buffer.getvalue()
