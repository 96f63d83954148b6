"""The case inbox table (django-tables2). Columns read only what ``CaseListView`` selected."""

from __future__ import annotations

import datetime as dt

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from grassroots.cases.enums import CaseStatus
from grassroots.cases.models import Case
from grassroots.web.tables import MONO, BaseTable

STATUS_BADGES: dict[str, str] = {
    CaseStatus.PENDING: "bg-yellow-lt",
    CaseStatus.OPEN: "bg-blue-lt",
    CaseStatus.IN_PROGRESS: "bg-azure-lt",
    CaseStatus.FULFILLED: "bg-teal-lt",
    CaseStatus.CLOSED: "bg-green-lt",
    CaseStatus.REJECTED: "bg-secondary-lt",
    CaseStatus.CANCELLED: "bg-secondary-lt",
}


def status_badge(case: Case) -> SafeString:
    return format_html(
        '<span class="badge {}">{}</span>', STATUS_BADGES.get(case.status, ""), case.get_status_display()
    )


def current_deadline(case: Case) -> dt.datetime | None:
    """The deadline that applies now: the response deadline until someone responds, then the resolution one."""
    if case.responded_at is None and case.response_due is not None:
        return case.response_due
    return case.resolution_due


def place_label(case: Case) -> str:
    """The compound, then the building or entrance when the place is more precise than the compound."""
    compound = case.compound.name if case.compound_id and case.compound else ""
    place = case.place.name if case.place_id else ""
    if not compound or place == compound:
        return place or compound
    if place.startswith(compound):
        return place
    return f"{compound} {place}"


def handler_label(case: Case) -> str:
    if case.claimer_org_id or case.claimer_person_id:
        return case.claimer_label
    if case.assignee_org_id and case.assignee_org:
        return str(case.assignee_org)
    if case.grid_id and case.grid:
        return str(case.grid)
    return str(case.get_level_display())


class CaseTable(BaseTable):
    number = tables.Column(verbose_name=_("Number"), linkify=("cases:case_detail", [tables.A("pk")]), attrs=MONO)
    kind = tables.Column(verbose_name=_("Kind"))
    title = tables.Column(verbose_name=_("Title"), linkify=("cases:case_detail", [tables.A("pk")]))
    category = tables.Column(verbose_name=_("Category"), accessor="category__name", order_by=("category__order",))
    place = tables.Column(verbose_name=_("Place"), accessor="pk", order_by=("place__path", "-submitted_at"))
    level = tables.Column(verbose_name=_("Level"))
    status = tables.Column(verbose_name=_("Status"))
    deadline = tables.Column(
        verbose_name=_("Deadline"), accessor="resolution_due", order_by=("resolution_due", "response_due")
    )
    handler = tables.Column(verbose_name=_("Handler / claimer"), accessor="pk", orderable=False)

    class Meta(BaseTable.Meta):
        model = Case
        fields = ("number", "kind", "title", "category", "place", "level", "status", "deadline", "handler")
        empty_text = _("No cases match.")

    def render_place(self, record: Case) -> str:
        return place_label(record)

    def render_status(self, record: Case) -> SafeString:
        return status_badge(record)

    def render_deadline(self, record: Case) -> SafeString | str:
        due = current_deadline(record)
        if due is None or record.status not in (CaseStatus.PENDING, CaseStatus.OPEN, CaseStatus.IN_PROGRESS):
            return "—"
        text = timezone.localtime(due).strftime("%Y-%m-%d %H:%M")
        if record.is_overdue:
            return format_html(
                '<span class="text-danger fw-bold">{} <span class="badge bg-red-lt">{}</span></span>',
                text,
                _("Overdue"),
            )
        return text

    def render_handler(self, record: Case) -> str:
        return handler_label(record)
