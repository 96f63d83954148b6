"""The report as a PDF: A4 portrait, page numbers, Chinese fonts of the machine (WenQuanYi Zen Hei from Debian's
``fonts-wqy-zenhei``), rendered by WeasyPrint from a template with no external resources, as
``grassroots.frontline.feedback`` does."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from grassroots.cockpit.models import WorkReport
from grassroots.cockpit.reports.sections import Sections, Table, number, report_sections

TEMPLATE = "cockpit/reports/pdf.html"


def _cells(table: Table, row: list[Any]) -> list[tuple[str, str]]:
    """Each cell's text and CSS class (numbers right-aligned)."""
    out = []
    for kind, value in zip(table.kinds, row, strict=True):
        if kind == "text" and isinstance(value, str):
            out.append((value, "text"))
        else:
            out.append((number(value) if not isinstance(value, str) else value, "num"))
    return out


def render_tables(sections: Sections) -> list[dict[str, Any]]:
    """The data tables as text cells, for the PDF template and the report page."""
    return [
        {
            "table": t,
            "rows": [_cells(t, row) for row in t.rows],
            "footer": _cells(t, t.footer) if t.footer else None,
        }
        for t in sections.tables
    ]


def render_html(report: WorkReport) -> str:
    sections = report_sections(report)
    return render_to_string(
        TEMPLATE,
        {"report": report, "s": sections, "tables": render_tables(sections), "generated_at": timezone.localtime()},
    )


def render_pdf(report: WorkReport) -> bytes:
    """The PDF bytes; only local files and inline data are fetched, never the network."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    document = HTML(string=render_html(report), base_url=str(settings.BASE_DIR / "static"), url_fetcher=fetcher)
    data = document.write_pdf()
    assert isinstance(data, bytes)
    return data
