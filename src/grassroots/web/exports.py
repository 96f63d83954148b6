"""Excel export of a list: exactly its filtered, narrowed rows, in its order, with numbers masked.

The workbook is openpyxl's write-only kind (rows go to a temporary file as they are produced, so memory stays
bounded), read from the database in chunks, and returned as a streamed file download. Each export writes one
audit row.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from grassroots.core.audit import audit_record
from grassroots.core.models import AuditAction

EXPORT_LIMIT = 100_000
CHUNK = 2000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ExportColumn:
    """One column of the sheet: a translated header and how to read the value from a row."""

    header: str | Promise
    value: Callable[[Any], Any]


def display(attr: str) -> Callable[[Any], Any]:
    """Follow a dotted path (``community.name``, ``get_kind_display``); a missing link gives ""."""

    def read(obj: Any) -> Any:
        for part in attr.split("."):
            if obj is None:
                return ""
            obj = getattr(obj, part)
            if callable(obj):
                obj = obj()
        return "" if obj is None else obj

    return read


def export_filename(stem: str | Promise) -> str:
    return f"{stem}_{timezone.localdate():%Y%m%d}.xlsx"


def export_xlsx(
    *,
    request: HttpRequest,
    queryset: QuerySet[Any],
    columns: Sequence[ExportColumn],
    title: str | Promise,
    scope_region: Any = None,
) -> FileResponse:
    """Write ``queryset`` (already scoped, filtered and ordered) to a workbook and return it as a download.

    The caller has checked the row count against ``EXPORT_LIMIT``.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(title)[:31])
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=str(column.header))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    rows = 0
    for obj in queryset.iterator(chunk_size=CHUNK):
        sheet.append([_cell(sheet, column.value(obj)) for column in columns])
        rows += 1
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
    workbook.save(handle)
    handle.seek(0)
    filters = {k: v for k, v in request.GET.items() if k not in ("export", "page", "per_page")}
    if filters.get("q"):
        filters["q"] = "***"  # a searched ID or mobile number is not copied into the log
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        detail=f"{title}: {rows}",
        changes={"rows": rows, "filters": filters},
        request=request,
        scope_region=scope_region,
    )
    # FileResponse writes an RFC 5987 ``filename*=utf-8''…`` for the Chinese name.
    return FileResponse(handle, as_attachment=True, filename=export_filename(title), content_type=XLSX)


def _cell(sheet: Any, value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if hasattr(value, "isoformat"):
        return value
    text = "" if value is None else str(value)
    if text.startswith("="):
        # Text, never a formula: a name typed as "=HYPERLINK(…)" must not run in the reader's Excel.
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"
        return cell
    return text
