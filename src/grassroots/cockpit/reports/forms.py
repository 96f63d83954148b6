"""Forms of the work-report pages: the list filter, the request form (region, kind, month or quarter), the prose."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.cockpit.models import ReportKind, ReportStatus
from grassroots.cockpit.reports.build import add_months
from grassroots.cockpit.reports.selectors import report_filter_regions, report_regions
from grassroots.cockpit.reports.services import check_period
from grassroots.core.errors import ApplicationError
from grassroots.territory.models import Region

MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
QUARTER_RE = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
PROSE_MAX = 20000


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_code(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def recent_quarters(today: dt.date, count: int = 12) -> list[tuple[str, str]]:
    first = quarter_start(today)
    quarters = [add_months(first, -3 * i) for i in range(count)]
    return [
        (quarter_code(q), str(_("%(year)s, quarter %(quarter)s") % {"year": q.year, "quarter": (q.month - 1) // 3 + 1}))
        for q in quarters
    ]


class ReportFilterForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none(), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All")), *ReportKind.choices], required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *ReportStatus.choices], required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = report_filter_regions(user=user)


class ReportRequestForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.none(),
        error_messages={"invalid_choice": _("Choose a region whose work report you may request.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=ReportKind.choices,
        widget=forms.Select(attrs={"x-model": "kind"}),
        error_messages={"invalid_choice": _("Choose a monthly or a quarterly report.")},
    )
    month = forms.CharField(label=_("Month"), required=False, widget=forms.TextInput(attrs={"type": "month"}))
    quarter = forms.CharField(label=_("Quarter"), required=False)

    def __init__(self, *args: Any, user: Any, today: dt.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        field = self.fields["region"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = report_regions(user=user)
        self.fields["month"].widget.attrs["max"] = f"{self.today:%Y-%m}"
        self.fields["quarter"].widget = forms.Select(choices=recent_quarters(self.today))

    def _period_start(self, kind: str) -> tuple[str, dt.date | None]:
        """The field the period was entered in, and the period's first day (None after adding an error)."""
        name = "quarter" if kind == ReportKind.QUARTERLY else "month"
        raw = (self.cleaned_data.get(name) or "").strip()
        start: dt.date | None = None
        if not raw:
            self.add_error(name, _("Choose the month.") if name == "month" else _("Choose the quarter."))
        elif name == "month":
            found = MONTH_RE.match(raw)
            if found and 1 <= int(found.group(2)) <= 12:
                start = dt.date(int(found.group(1)), int(found.group(2)), 1)
            else:
                self.add_error(name, _("Enter the month as 2026-10."))
        else:
            found = QUARTER_RE.match(raw)
            if found:
                start = dt.date(int(found.group(1)), 3 * (int(found.group(2)) - 1) + 1, 1)
            else:
                self.add_error(name, _("Enter the quarter as 2026-Q4."))
        return name, start

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        if not kind:
            return cleaned
        name, start = self._period_start(kind)
        if start is None:
            return cleaned
        try:
            check_period(kind=kind, period_start=start, today=self.today)
        except ApplicationError as exc:
            self.add_error(name, exc.message)
            return cleaned
        cleaned["period_start"] = start
        return cleaned


class ReportProseForm(forms.Form):
    practices = forms.CharField(
        label=_("II. Main practices"), required=False, max_length=PROSE_MAX, widget=forms.Textarea(attrs={"rows": 8})
    )
    problems = forms.CharField(
        label=_("IV. Problems"), required=False, max_length=PROSE_MAX, widget=forms.Textarea(attrs={"rows": 6})
    )
    plans = forms.CharField(
        label=_("V. Next steps"), required=False, max_length=PROSE_MAX, widget=forms.Textarea(attrs={"rows": 6})
    )
