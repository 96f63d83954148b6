"""The period picker: the named periods, a custom from/to range, and the stretch before it to compare with."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_DAYS = 3660  # ten years
PERIODS = (
    ("this_month", _("This month")),
    ("last_month", _("Last month")),
    ("this_quarter", _("This quarter")),
    ("this_year", _("This year")),
)
CUSTOM = ("custom", _("Custom range"))


def _add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    return day.replace(year=day.year + year, month=month + 1)


def period_bounds(period: str, today: dt.date) -> tuple[dt.date, dt.date, dt.date, dt.date]:
    """The period (first and last day) and the same stretch of the period before it (to compare like with like)."""
    month = today.replace(day=1)
    if period == "last_month":
        last = month - dt.timedelta(days=1)
        first = last.replace(day=1)
        before_last = first - dt.timedelta(days=1)
        return first, last, before_last.replace(day=1), before_last
    if period == "this_quarter":
        first, months = month.replace(month=3 * ((today.month - 1) // 3) + 1), 3
    elif period == "this_year":
        first, months = month.replace(month=1), 12
    else:
        first, months = month, 1
    before_first = _add_months(first, -months)
    before_last = min(before_first + (today - first), first - dt.timedelta(days=1))
    return first, today, before_first, before_last


def custom_bounds(first: dt.date, last: dt.date) -> tuple[dt.date, dt.date, dt.date, dt.date]:
    """A custom range and the range of the same length just before it."""
    length = last - first
    before_last = first - dt.timedelta(days=1)
    return first, last, before_last - length, before_last


@dataclass(frozen=True)
class Period:
    code: str  # one of PERIODS or "custom"
    first: dt.date
    last: dt.date
    before_first: dt.date
    before_last: dt.date

    def query(self) -> dict[str, str]:
        """The GET parameters that ask for this period again."""
        if self.code == "custom":
            return {"period": "custom", "from": self.first.isoformat(), "to": self.last.isoformat()}
        return {"period": self.code}


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=[*PERIODS, CUSTOM], required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        # The URL says from/to (shorter, and what the API says); the form's fields cannot be named "from".
        if data is not None:
            data = data.copy()
            for name, field in (("from", "date_from"), ("to", "date_to")):
                if name in data and field not in data:
                    data[field] = data[name]
            if (data.get("date_from") or data.get("date_to")) and not data.get("period"):
                data["period"] = "custom"
        super().__init__(data, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("period") == "custom":
            start, end = cleaned.get("date_from"), cleaned.get("date_to")
            if not start or not end:
                if not self.has_error("date_from") and not self.has_error("date_to"):
                    self.add_error("date_from", _("Enter both dates of a custom range."))
            elif end < start:
                self.add_error("date_to", _("The period ends before it starts."))
            elif (end - start).days > MAX_DAYS:
                self.add_error("date_to", _("Choose a period of ten years at most."))
        return cleaned

    def chosen(self, today: dt.date) -> Period:
        """The chosen period (this month when nothing valid was chosen)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        code = data.get("period") or "this_month"
        if code == "custom":
            return Period(code, *custom_bounds(data["date_from"], data["date_to"]))
        return Period(code, *period_bounds(code, today))
