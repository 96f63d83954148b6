"""The tables of the whistle lists (django-tables2): the board (whistles with their calls) and a department's calls.
Columns read only what the views selected (calls are prefetched with their departments)."""

from __future__ import annotations

import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from grassroots.web.tables import MONO, BaseTable
from grassroots.whistle.enums import CallStatus, Urgency, WhistleStatus
from grassroots.whistle.models import Whistle, WhistleCall
from grassroots.whistle.views.common import call_deadlines

WHISTLE_BADGES: dict[str, str] = {
    WhistleStatus.OPEN: "bg-blue-lt",
    WhistleStatus.CLOSED: "bg-green-lt",
    WhistleStatus.CANCELLED: "bg-secondary-lt",
}
CALL_BADGES: dict[str, str] = {
    CallStatus.CALLED: "bg-yellow-lt",
    CallStatus.ACKNOWLEDGED: "bg-azure-lt",
    CallStatus.REPORTED: "bg-blue-lt",
    CallStatus.FED_BACK: "bg-teal-lt",
    CallStatus.RATED: "bg-green-lt",
    CallStatus.CANCELLED: "bg-secondary-lt",
}


def whistle_badge(whistle: Whistle) -> SafeString:
    return format_html(
        '<span class="badge {}">{}</span>', WHISTLE_BADGES.get(whistle.status, ""), whistle.get_status_display()
    )


def call_badge(call: WhistleCall) -> SafeString:
    return format_html('<span class="badge {}">{}</span>', CALL_BADGES.get(call.status, ""), call.get_status_display())


def urgency_badge(whistle: Whistle) -> SafeString | str:
    if whistle.urgency == Urgency.URGENT:
        return format_html('<span class="badge bg-red-lt">{}</span>', whistle.get_urgency_display())
    return str(whistle.get_urgency_display())


def local(value: object) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"  # type: ignore[arg-type]


class WhistleTable(BaseTable):
    number = tables.Column(verbose_name=_("Number"), linkify=("whistle:whistle_detail", [tables.A("pk")]), attrs=MONO)
    title = tables.Column(verbose_name=_("Title"), linkify=("whistle:whistle_detail", [tables.A("pk")]))
    region = tables.Column(verbose_name=_("Blown by"), accessor="region__name", order_by=("region__path", "-raised_at"))
    urgency = tables.Column(verbose_name=_("Urgency"))
    status = tables.Column(verbose_name=_("Status"))
    calls = tables.Column(verbose_name=_("Departments called"), accessor="pk", orderable=False)
    raised_at = tables.Column(verbose_name=_("Blown at"))

    class Meta(BaseTable.Meta):
        model = Whistle
        fields = ("number", "title", "region", "urgency", "status", "calls", "raised_at")
        empty_text = _("No whistles match.")

    def render_urgency(self, record: Whistle) -> SafeString | str:
        return urgency_badge(record)

    def render_status(self, record: Whistle) -> SafeString:
        return whistle_badge(record)

    def render_raised_at(self, value: object) -> str:
        return local(value)

    def render_calls(self, record: Whistle) -> str:
        now = timezone.now()
        rows = [
            {"call": call, "badge": call_badge(call), "deadlines": call_deadlines(call, now)}
            for call in record.calls.all()
        ]
        return render_to_string("whistle/partials/_call_chips.html", {"rows": rows})


class CallTable(BaseTable):
    """A department's calls ("my whistles")."""

    number = tables.Column(
        verbose_name=_("Number"),
        accessor="whistle__number",
        linkify=("whistle:whistle_detail", [tables.A("whistle_id")]),
        attrs=MONO,
    )
    title = tables.Column(
        verbose_name=_("Title"), accessor="whistle__title", linkify=("whistle:whistle_detail", [tables.A("whistle_id")])
    )
    region = tables.Column(verbose_name=_("Blown by"), accessor="whistle__region__name", orderable=False)
    department = tables.Column(verbose_name=_("Department"), accessor="department__name", orderable=False)
    task = tables.Column(verbose_name=_("What it must do"), orderable=False)
    status = tables.Column(verbose_name=_("Status"))
    report_due = tables.Column(verbose_name=_("Report on site by"))
    handle_due = tables.Column(verbose_name=_("Handle by"))

    class Meta(BaseTable.Meta):
        model = WhistleCall
        fields = ("number", "title", "region", "department", "task", "status", "report_due", "handle_due")
        empty_text = _("No whistle has called your department.")

    def render_status(self, record: WhistleCall) -> SafeString:
        return call_badge(record)

    def _deadline(self, record: WhistleCall, index: int) -> SafeString | str:
        deadline = call_deadlines(record)[index]
        text = local(deadline.due)
        if deadline.overdue:
            return format_html(
                '<span class="text-danger fw-bold">{} <span class="badge bg-red-lt">{}</span></span>',
                text,
                _("Overdue"),
            )
        if deadline.met is False:
            return format_html('{} <span class="badge bg-orange-lt">{}</span>', text, _("Late"))
        return text

    def render_report_due(self, record: WhistleCall) -> SafeString | str:
        return self._deadline(record, 0)

    def render_handle_due(self, record: WhistleCall) -> SafeString | str:
        return self._deadline(record, 1)
