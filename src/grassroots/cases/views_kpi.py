"""The KPI page: the three rates of 12345 practice and the counts beside them, for the user's scope.

Figures come from ``cases.kpis`` over ``Case.objects.visible_to(user, VIEW_KPIS)`` (narrowed by the region
switcher), so a figure of another community never enters a total, a row or an export. The table is grouped by
the level below the user's (district → streets, street → communities, community → grids) and by category, with
handler rankings and a monthly ranking of communities. Definitions: docs/kpis.md.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from openpyxl import Workbook
from openpyxl.styles import Font

from grassroots.accounts.enums import Capability
from grassroots.accounts.roles import anchors_for
from grassroots.cases import kpis
from grassroots.cases.kpis import KpiRow
from grassroots.cases.models import Case
from grassroots.catalogue.models import ServiceCategory
from grassroots.core.audit import audit_record
from grassroots.core.models import AuditAction
from grassroots.organizations.models import Organization
from grassroots.people.models import Person
from grassroots.territory.models import Grid, Region
from grassroots.web.context_processors import url_or_none
from grassroots.web.exports import XLSX, export_filename
from grassroots.web.narrow import current_region, narrow
from grassroots.web.views.base import CapabilityRequiredMixin, Crumb

LEVEL_ORDER = ("district", "street", "community", "compound", "grid")
# The level each scope level is broken down into.
NEXT_LEVEL = {"district": "street", "street": "community", "community": "grid", "compound": "grid"}
GROUP_TITLES = {"street": _("By street"), "community": _("By community"), "grid": _("By grid")}
RANKING_LIMIT = 20
MAX_DAYS = 731


class PeriodForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[
            ("this_month", _("This month")),
            ("last_month", _("Last month")),
            ("this_quarter", _("This quarter")),
            ("custom", _("Custom range")),
        ],
    )
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    rank_by = forms.ChoiceField(
        label=_("Rank by"),
        required=False,
        choices=[("satisfaction_rate", _("Satisfaction rate")), ("response_rate", _("Response rate"))],
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("period") == "custom":
            start, end = cleaned.get("start"), cleaned.get("end")
            if not start or not end:
                self.add_error("start", _("Enter both dates of a custom range."))
            elif end < start:
                self.add_error("end", _("The end date is before the start date."))
            elif (end - start).days > MAX_DAYS:
                self.add_error("end", _("Choose a range of at most two years."))
        return cleaned

    def bounds(self, today: dt.date) -> tuple[dt.date, dt.date, str]:
        """The first and last day of the chosen period (both included) and the period's code."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        period = data.get("period") or "this_month"
        first = today.replace(day=1)
        if period == "last_month":
            last = first - dt.timedelta(days=1)
            return last.replace(day=1), last, period
        if period == "this_quarter":
            q_first = first.replace(month=3 * ((today.month - 1) // 3) + 1)
            q_next = _add_months(q_first, 3)
            return q_first, q_next - dt.timedelta(days=1), period
        if period == "custom":
            return data["start"], data["end"], period
        return first, _add_months(first, 1) - dt.timedelta(days=1), "this_month"


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    return day.replace(year=day.year + index // 12, month=index % 12 + 1, day=1)


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass
class Cell:
    text: str
    title: str = ""
    href: str | None = None
    value: Any = None


@dataclass
class Line:
    label: str
    row: KpiRow
    cells: list[Cell]
    href: str | None = None


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:g}%"


def _hours(minutes: float | None) -> str:
    return "—" if minutes is None else f"{minutes / 60:.1f}"


def scope_level(request: HttpRequest) -> str:
    """The level the page is seen from: the narrowed region's, else the user's widest KPI anchor."""
    region = current_region(request)
    if region is not None:
        return str(region.kind)
    if getattr(request.user, "is_superuser", False):
        return "district"
    levels = {a.level for a in anchors_for(request.user, Capability.VIEW_KPIS)}
    return next((level for level in LEVEL_ORDER if level in levels), "grid")


class KpiView(CapabilityRequiredMixin, TemplateView):
    capability = Capability.VIEW_KPIS
    scoped_model = Case
    template_name = "cases/kpis.html"

    def get_breadcrumbs(self) -> list[Crumb]:
        return [(_("Key figures"), None)]

    def scoped_cases(self) -> QuerySet[Case]:
        # Case.SCOPE_CAPABILITY is view_cases; the KPI page is governed by view_kpis.
        return narrow(self.request, Case.objects.visible_to(self.request.user, Capability.VIEW_KPIS))

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.form = PeriodForm(request.GET or None)
        first, last, self.period = self.form.bounds(timezone.localdate())
        self.first, self.last = first, last
        self.start, self.end = _aware(first), _aware(last + dt.timedelta(days=1))
        self.cases = self.scoped_cases()
        self.level = scope_level(request)
        self.group = NEXT_LEVEL.get(self.level)
        if request.GET.get("export") == "xlsx":
            return self.export()  # type: ignore[return-value]  # a file download, not a page
        return super().get(request, *args, **kwargs)

    # Figures

    def rows(self, group_by: str | None) -> list[KpiRow]:
        return kpis.kpi_rows(cases=self.cases, start=self.start, end=self.end, group_by=group_by)

    def labelled(self, group_by: str, rows: Iterable[KpiRow]) -> list[tuple[str, KpiRow]]:
        rows = list(rows)
        keys = [r.key for r in rows if r.key is not None]
        names: dict[Any, str] = {}
        if group_by in ("street", "community"):
            names = dict(Region.objects.filter(pk__in=keys).values_list("pk", "name"))
        elif group_by == "grid":
            names = dict(Grid.objects.filter(pk__in=keys).values_list("pk", "name"))
        elif group_by == "category":
            names = dict(ServiceCategory.objects.filter(pk__in=keys).values_list("pk", "name"))
        elif group_by == "claimer_org":
            names = dict(Organization.objects.filter(pk__in=keys).values_list("pk", "name"))
        elif group_by == "claimer_person":
            names = {p.pk: str(p) for p in Person.objects.filter(pk__in=keys).only("pk", "name")}
        unknown = {"grid": _t("No grid"), "category": _t("No category")}.get(group_by, _t("Not assigned"))
        labelled = [(names.get(r.key, unknown) if r.key is not None else unknown, r) for r in rows]
        return sorted(labelled, key=lambda pair: (pair[1].key is None, pair[0]))

    def filters_for(self, group_by: str | None, key: Any) -> dict[str, Any]:
        if group_by in ("street", "community") and key is not None:
            return {"region": key}
        if group_by == "grid" and key is not None:
            return {"grid": key}
        if group_by == "category" and key is not None:
            return {"category": key}
        region = current_region(self.request)
        return {"region": region.pk} if region is not None else {}

    def cells(self, row: KpiRow, filters: dict[str, Any] | None) -> list[Cell]:
        inbox = url_or_none("cases:case_list")

        def link(extra: dict[str, Any]) -> str | None:
            if inbox is None or filters is None:
                return None
            return f"{inbox}?{urlencode({**filters, **extra})}"

        def rate(value: float | None, num: float, den: int) -> Cell:
            return Cell(_pct(value), _t("%(num)s of %(den)s") % {"num": f"{num:g}", "den": den}, value=value)

        weight = kpis.basic_weight()
        return [
            Cell(str(row.submitted), value=row.submitted),
            rate(row.response_rate, row.responded_on_time, row.response_due),
            rate(row.resolution_rate, row.resolved, row.rated),
            rate(row.satisfaction_rate, row.satisfied + weight * row.basic, row.rated),
            rate(row.on_time_rate, row.fulfilled_on_time, row.fulfilled),
            Cell(str(row.overdue), _t("Open cases past a deadline now"), link({"overdue": "true"}), row.overdue),
            Cell(str(row.reopened), value=row.reopened),
            Cell(str(row.deeds), value=row.deeds),
            Cell(str(row.residents_served), value=row.residents_served),
            Cell(_hours(row.avg_response_minutes), value=row.avg_response_minutes),
            Cell(_hours(row.avg_resolution_minutes), value=row.avg_resolution_minutes),
        ]

    def lines(self, group_by: str, rows: Iterable[KpiRow], *, link: bool = True) -> list[Line]:
        inbox = url_or_none("cases:case_list")
        out = []
        for label, row in self.labelled(group_by, rows):
            filters = self.filters_for(group_by, row.key) if link and row.key is not None else None
            href = f"{inbox}?{urlencode(filters)}" if inbox and filters else None
            out.append(Line(label, row, self.cells(row, filters), href))
        return out

    def ranking_lines(self, group_by: str, rows: list[KpiRow], by: str) -> list[Line]:
        ranked = kpis.ranking([r for r in rows if r.key is not None], by=by)[:RANKING_LIMIT]
        names = {row.key: label for label, row in self.labelled(group_by, ranked)}
        return [Line(names.get(r.key, ""), r, self.cells(r, None)) for r in ranked]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        total = kpis.kpi_total(cases=self.cases, start=self.start, end=self.end)
        by = (self.form.cleaned_data.get("rank_by") if self.form.is_bound and self.form.is_valid() else None) or (
            "satisfaction_rate"
        )
        now = timezone.localtime()
        reference = min(self.end, now) - dt.timedelta(microseconds=1)
        month_start, month_end = kpis.month_bounds(reference.year, reference.month)
        community_month = kpis.kpi_rows(cases=self.cases, start=month_start, end=month_end, group_by="community")
        region = current_region(self.request)
        context.update(
            form=self.form,
            period=self.period,
            first=self.first,
            last=self.last,
            total=total,
            total_cells=self.cells(total, self.filters_for(None, None)),
            group_title=GROUP_TITLES.get(self.group or "", ""),
            group_lines=self.lines(self.group, self.rows(self.group)) if self.group else [],
            category_lines=self.lines("category", self.rows("category")),
            org_ranking=self.ranking_lines("claimer_org", self.rows("claimer_org"), by),
            person_ranking=self.ranking_lines("claimer_person", self.rows("claimer_person"), by),
            community_ranking=self.ranking_lines("community", community_month, by) if len(community_month) > 1 else [],
            ranking_month=month_start,
            rank_by=by,
            basic_weight=kpis.basic_weight(),
            inbox_url=url_or_none("cases:case_list"),
            region=region,
            export_query=self._export_query(),
        )
        return context

    def _export_query(self) -> str:
        params = self.request.GET.copy()
        params["export"] = "xlsx"
        return params.urlencode()

    # Export

    def export(self) -> FileResponse:
        title = _t("Key figures")
        workbook = Workbook()
        default = workbook.active
        if default is not None:
            workbook.remove(default)
        sheets: list[tuple[str, str | None]] = [(str(GROUP_TITLES[self.group]), self.group)] if self.group else []
        sheets.append((_t("By category"), "category"))
        rows_written = 0
        for sheet_title, group_by in sheets:
            sheet = workbook.create_sheet(title=sheet_title[:31])
            sheet.append([_t("Period"), f"{self.first:%Y-%m-%d} – {self.last:%Y-%m-%d}"])
            sheet.append(export_headers())
            for cell in sheet[2]:
                cell.font = Font(bold=True)
            assert group_by is not None
            for label, row in self.labelled(group_by, self.rows(group_by)):
                sheet.append(_export_row(label, row))
                rows_written += 1
            total = kpis.kpi_total(cases=self.cases, start=self.start, end=self.end)
            sheet.append(_export_row(_t("Total"), total))
        handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
        workbook.save(handle)
        handle.seek(0)
        audit_record(
            actor=self.request.user,
            action=AuditAction.EXPORT,
            detail=f"{title}: {rows_written}",
            changes={"rows": rows_written, "period": [str(self.first), str(self.last)], "group": self.group or ""},
            request=self.request,
            scope_region=current_region(self.request) or _single_anchor_region(self.request.user),
        )
        return FileResponse(handle, as_attachment=True, filename=export_filename(title), content_type=XLSX)


def _single_anchor_region(user: Any) -> Region | None:
    anchors = {a.pk for a in anchors_for(user, Capability.VIEW_KPIS) if a.level != "grid"}
    return Region.objects.filter(pk=anchors.pop()).first() if len(anchors) == 1 else None


def export_headers() -> list[str]:
    """The sheet's column headers, in the active language."""
    return [
        _t("Group"),
        _t("Submitted"),
        _t("Due for response"),
        _t("Responded on time"),
        _t("Response rate (%)"),
        _t("Rated"),
        _t("Resolved"),
        _t("Resolution rate (%)"),
        _t("Satisfied"),
        _t("Basically satisfied"),
        _t("Satisfaction rate (%)"),
        _t("Fulfilled"),
        _t("Fulfilled on time"),
        _t("On-time resolution rate (%)"),
        _t("Overdue now"),
        _t("Reopened"),
        _t("Practical deeds"),
        _t("Residents served"),
        _t("Average response time (hours)"),
        _t("Average resolution time (hours)"),
    ]


def _export_row(label: str, row: KpiRow) -> list[Any]:
    def hours(minutes: float | None) -> float | None:
        return None if minutes is None else round(minutes / 60, 1)

    return [
        label,
        row.submitted,
        row.response_due,
        row.responded_on_time,
        row.response_rate,
        row.rated,
        row.resolved,
        row.resolution_rate,
        row.satisfied,
        row.basic,
        row.satisfaction_rate,
        row.fulfilled,
        row.fulfilled_on_time,
        row.on_time_rate,
        row.overdue,
        row.reopened,
        row.deeds,
        row.residents_served,
        hours(row.avg_response_minutes),
        hours(row.avg_resolution_minutes),
    ]
