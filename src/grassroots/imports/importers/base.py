"""What every importer shares: its columns, the downloadable template, streaming rows and row errors.

Column headers are part of the file format (the template users fill in), so they are fixed Chinese strings
and not translated; messages about them are.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any, ClassVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from grassroots.core.errors import ApplicationError

# Rows are checked and written in batches of this size; progress is reported after each batch.
BATCH_SIZE = 2000


@dataclass(frozen=True)
class Column:
    header: str
    required: bool = False
    sample: str = ""
    choices: Sequence[str] = ()
    width: int = 16
    text: bool = False  # stored as text in the template (ID numbers, codes), so Excel keeps leading zeros


class RowInvalid(Exception):
    """A row's translated error messages."""

    def __init__(self, messages: Sequence[str], *, row: int | None = None) -> None:
        super().__init__("; ".join(messages))
        self.messages = list(messages)
        self.row = row


def error_messages(exc: ApplicationError | ValidationError) -> list[str]:
    """The field messages of a service's error (or its message when it has none)."""
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    messages = [m for msgs in exc.fields.values() for m in msgs]
    return messages or [exc.message]


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def parse_date(value: str) -> dt.date:
    text = value.strip().replace("/", "-").replace(".", "-")
    for fmt in ("%Y-%m-%d", "%Y%m%d", "%Y年%m月%d日"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise RowInvalid([_("%(value)s is not a date (write it as 2024-07-01).") % {"value": value}])


@dataclass(frozen=True)
class Row:
    number: int  # the row number as Excel shows it (the header is row 1)
    values: dict[str, str]

    def get(self, header: str) -> str:
        return self.values.get(header, "")


class WorkbookReader:
    """Streams the first sheet of an .xlsx with bounded memory (openpyxl read-only mode)."""

    def __init__(self, source: str | IO[bytes]) -> None:
        self.workbook = load_workbook(source, read_only=True, data_only=True)
        self.sheet = self.workbook.worksheets[0]
        rows = self.sheet.iter_rows(min_row=1, max_row=1, values_only=True)
        first = next(rows, ())
        self.headers = [cell_text(v) for v in first]

    def close(self) -> None:
        self.workbook.close()

    def count(self) -> int:
        """Data rows: from the sheet's stored dimension when present, else by one streaming pass."""
        max_row = self.sheet.max_row
        if max_row:
            return max(max_row - 1, 0)
        return sum(1 for _row in self.sheet.iter_rows(min_row=2, values_only=True))

    def rows(self) -> Iterator[Row]:
        headers = self.headers
        for number, values in enumerate(self.sheet.iter_rows(min_row=2, values_only=True), start=2):
            texts = [cell_text(v) for v in values]
            if not any(texts):
                continue
            yield Row(number, {h: texts[i] for i, h in enumerate(headers) if h and i < len(texts)})


class Importer:
    """One kind of import. Subclasses declare columns and implement ``parse_row``, ``check`` and ``commit``.

    ``parse_row`` turns one row into typed data or raises ``RowInvalid``; ``check`` looks at a batch of parsed
    rows against the database (duplicates, existing rows, scope) and returns each row's outcome or error;
    ``commit`` writes a batch (inside the caller's transaction) through the domain services.
    """

    kind: ClassVar[str]
    capability: ClassVar[str]
    columns: ClassVar[Sequence[Column]]
    title: ClassVar[str] = ""

    def __init__(self, *, actor: Any) -> None:
        self.actor = actor

    dry_run = True  # the commit sets it to False: checks that run a service rolled back are skipped then

    @classmethod
    def allowed(cls, user: Any) -> bool:
        """Whether ``user`` may import this kind: the kind's capability somewhere (a kind may ask for more)."""
        from grassroots.accounts.roles import anchors_for

        return bool(anchors_for(user, cls.capability))

    @classmethod
    def get_columns(cls) -> Sequence[Column]:
        return cls.columns

    @classmethod
    def required_headers(cls) -> list[str]:
        return [c.header for c in cls.get_columns() if c.required]

    @classmethod
    def missing_headers(cls, headers: Sequence[str]) -> list[str]:
        return [h for h in cls.required_headers() if h not in headers]

    @classmethod
    def template(cls) -> bytes:
        """A workbook with the header row (bold, required columns marked), one sample row and choice lists."""
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = cls.kind
        bold = Font(bold=True)
        required_fill = PatternFill("solid", fgColor="FDE9D9")
        for index, column in enumerate(cls.get_columns(), start=1):
            letter = get_column_letter(index)
            cell = sheet.cell(row=1, column=index, value=column.header)
            cell.font = bold
            if column.required:
                cell.fill = required_fill
            sheet.column_dimensions[letter].width = column.width
            sample = sheet.cell(row=2, column=index, value=column.sample or None)
            if column.text:  # text, so that Excel keeps all 18 digits of an ID number and leading zeros
                sample.number_format = "@"
                sheet.column_dimensions[letter].number_format = "@"
            if column.choices:
                validation = DataValidation(
                    type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True
                )
                sheet.add_data_validation(validation)
                validation.add(f"{letter}2:{letter}100000")
        sheet.freeze_panes = "A2"
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()

    def parse_row(self, row: Row) -> Any:
        raise NotImplementedError

    def check(self, rows: list[tuple[Row, Any]]) -> list[tuple[str, list[str]]]:
        """Each row's outcome ("n" new, "u" update) with no messages, or ("e", messages)."""
        raise NotImplementedError

    def commit(self, rows: list[tuple[Row, Any]]) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """Called once after the last batch of a commit (for kinds that write everything at the end)."""

    @staticmethod
    def required(row: Row, header: str, errors: list[str]) -> str:
        value = row.get(header)
        if not value:
            errors.append(_("%(column)s is required.") % {"column": header})
        return value
