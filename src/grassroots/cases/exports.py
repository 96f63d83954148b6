"""The inbox's Excel columns: the filtered cases, mobile numbers masked, times in local time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.cases.models import Case
from grassroots.cases.tables import current_deadline, handler_label, place_label
from grassroots.web.exports import ExportColumn, display


def local_time(read: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A local, naive time (Excel stores no time zone), or "" when there is none."""

    def value(obj: Any) -> Any:
        moment = read(obj)
        if not moment:
            return ""
        return timezone.localtime(moment).replace(tzinfo=None, microsecond=0)

    return value


def yes_no(read: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def value(obj: Any) -> str:
        flag = read(obj)
        if flag in (None, ""):
            return ""
        return str(_("Yes") if flag else _("No"))

    return value


def _overdue(case: Case) -> bool:
    return case.is_overdue


CASE_EXPORT_COLUMNS = (
    ExportColumn(_("Number"), display("number")),
    ExportColumn(_("Kind"), display("get_kind_display")),
    ExportColumn(_("Status"), display("get_status_display")),
    ExportColumn(_("Category"), display("category.name")),
    ExportColumn(_("Service item"), display("item.name")),
    ExportColumn(_("Title"), display("title")),
    ExportColumn(_("Description"), display("description")),
    ExportColumn(_("Channel"), display("get_channel_display")),
    ExportColumn(_("Resident group"), display("get_need_group_display")),
    ExportColumn(_("Street"), display("street.name")),
    ExportColumn(_("Community"), display("community.name")),
    ExportColumn(_("Place"), place_label),
    ExportColumn(_("Grid"), display("grid.name")),
    ExportColumn(_("Requester"), display("requester_name")),
    # Masked: an export never carries a number in clear.
    ExportColumn(_("Contact mobile"), display("contact_mobile_masked")),
    ExportColumn(_("Level"), display("get_level_display")),
    ExportColumn(_("Handler / claimer"), handler_label),
    ExportColumn(_("Submitted at"), local_time(display("submitted_at"))),
    ExportColumn(_("Deadline"), local_time(current_deadline)),
    ExportColumn(_("Overdue"), yes_no(_overdue)),
    ExportColumn(_("Fulfilled at"), local_time(display("fulfilled_at"))),
    ExportColumn(_("Residents served"), display("residents_served")),
    ExportColumn(_("Stars"), display("rating_stars")),
    ExportColumn(_("Satisfaction"), display("get_satisfaction_display")),
    ExportColumn(_("Closed at"), local_time(display("closed_at"))),
)
