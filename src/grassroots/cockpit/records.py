"""The records behind a figure: the source rows a roll-up counts, for one place, period and dimension value.

``/cockpit/records/<key>/?region=|grid=&from=&to=&dimension=`` lists them with the roll-ups' own filters (the
metric's ``where``, the place's column, the local days of the period, the dimension) and only the rows the user may
open (the source model's ``visible_to``). A rate links to its numerator's and denominator's lists. ``&export=xlsx``
downloads the list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404, HttpRequest, HttpResponseBase
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from grassroots.accounts.enums import Capability
from grassroots.cockpit.compute import Place, dimension_labels, level_of, metric_values
from grassroots.cockpit.registry import Metric, get_metric
from grassroots.cockpit.rollups.cells import is_datetime
from grassroots.cockpit.views.periods import PeriodForm
from grassroots.cockpit.views.places import dashboard_url, place_from, trail
from grassroots.cockpit.views.sections import counted_at, is_stock, records_url
from grassroots.territory.models import Grid, Region
from grassroots.web.exports import EXPORT_LIMIT, ExportColumn, export_xlsx
from grassroots.web.views.base import PAGE_SIZE, CapabilityRequiredMixin, Crumb


def _start(day: dt.date, aware: bool) -> Any:
    return timezone.make_aware(dt.datetime.combine(day, dt.time())) if aware else day


def source_rows(
    metric: Metric, place: Place, date_from: dt.date | None, date_to: dt.date | None, dimension: str | None
) -> QuerySet[Any]:
    """Every source row counted in the figure (no user scope yet): the same filters the roll-ups apply."""
    model = metric.source_model()
    rows = model._default_manager.filter(metric.where, **{metric.column(level_of(place)): place.pk})
    if metric.date_field:
        rows = rows.filter(**{f"{metric.date_field}__isnull": False})
        aware = is_datetime(metric)  # a moment: the local (Asia/Shanghai) day's bounds
        if date_from:
            rows = rows.filter(**{f"{metric.date_field}__gte": _start(date_from, aware)})
        if date_to:
            rows = rows.filter(**{f"{metric.date_field}__lt": _start(date_to + dt.timedelta(days=1), aware)})
    if dimension is not None and metric.dimension:
        if dimension == "":
            rows = rows.filter(Q(**{f"{metric.dimension}__isnull": True}) | Q(**{metric.dimension: ""}))
        else:
            rows = rows.filter(**{metric.dimension: dimension})
    return rows


def visible_rows(user: Any, metric: Metric, rows: QuerySet[Any]) -> QuerySet[Any] | None:
    """``rows`` limited to those the user may open (None: the records have no scoped list)."""
    if hasattr(rows, "visible_to"):
        return rows.visible_to(user)  # type: ignore[no-any-return]
    if metric.scope_model and metric.scope_prefix:
        from django.apps import apps

        holder = apps.get_model(metric.scope_model)._default_manager.all()
        if hasattr(holder, "visible_to"):
            return rows.filter(**{f"{metric.scope_prefix.removesuffix('__')}__in": holder.visible_to(user)})
    return None


def _names(model: Any) -> Callable[[Any], str]:
    cache: dict[Any, str] = {}

    def name(pk: Any) -> str:
        if pk is None:
            return ""
        if pk not in cache:
            cache[pk] = model.objects.filter(pk=pk).values_list("name", flat=True).first() or ""
        return cache[pk]

    return name


class RecordsView(CapabilityRequiredMixin, TemplateView):
    capability = Capability.VIEW_KPIS
    scoped_model = Region  # the rows of a region (or grid) the user may see, each also through its own scope
    template_name = "cockpit/records.html"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.dimension: str | None = request.GET.get("dimension")

    def metric(self) -> Metric:
        try:
            return get_metric(self.kwargs["key"])
        except KeyError:
            raise Http404 from None

    def period(self) -> tuple[PeriodForm, dt.date | None, dt.date | None]:
        """The period asked for (from/to or a named period); none at all: every record."""
        form = PeriodForm(self.request.GET)
        if not any(self.request.GET.get(k) for k in ("period", "from", "to")):
            return form, None, None
        chosen = form.chosen(timezone.localdate())
        return form, chosen.first, chosen.last

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        self.place = place_from(request)
        self.metric_ = self.metric()
        self.form, self.first, self.last = self.period()
        self.all_rows: QuerySet[Any] | None = None
        self.rows: QuerySet[Any] | None = None
        if self.metric_.rule != "rate" and counted_at(self.metric_, level_of(self.place)):
            rows = source_rows(self.metric_, self.place, self.first, self.last, self.dimension)
            self.all_rows = rows
            self.rows = visible_rows(request.user, self.metric_, rows)
        if request.GET.get("export") == "xlsx" and self.rows is not None:
            return self.export()
        return super().get(request, *args, **kwargs)

    def annotated(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        metric, fields = self.metric_, {}
        fields["r_community"] = F(metric.column("community")) if "community" in metric.levels() else None
        if "grid" in metric.levels():
            fields["r_grid"] = F(metric.column("grid"))
        if metric.date_field:
            fields["r_day"] = F(metric.date_field)
        if metric.dimension:
            fields["r_dim"] = F(metric.dimension)
        rows = rows.annotate(**{k: v for k, v in fields.items() if v is not None})
        order = [f"-{metric.date_field}"] if metric.date_field else []
        return rows.order_by(*order, "-pk")

    def columns(self) -> list[ExportColumn]:
        metric = self.metric_
        community, grid = _names(Region), _names(Grid)
        labels: dict[str, str] = {}

        def dim(row: Any) -> str:
            value = "" if getattr(row, "r_dim", None) is None else str(row.r_dim)
            if value not in labels:
                labels.update(dimension_labels(metric.key, [value]) if value else {"": "—"})
            return labels.get(value, value)

        def day(row: Any) -> Any:
            value = getattr(row, "r_day", None)
            if isinstance(value, dt.datetime):
                return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
            return value

        def place(row: Any) -> str:
            names = [community(getattr(row, "r_community", None)), grid(getattr(row, "r_grid", None))]
            return " · ".join(n for n in names if n)

        columns = [ExportColumn(metric.source_model()._meta.verbose_name or _("Record"), str)]
        if metric.date_field:
            columns.append(ExportColumn(_("Date"), day))
        columns.append(ExportColumn(_("Region"), place))
        if metric.dimension:
            columns.append(ExportColumn(metric.dimension_label or _("Kind"), dim))
        return columns

    def export(self) -> HttpResponseBase:
        assert self.rows is not None
        if self.rows.count() > EXPORT_LIMIT:
            raise Http404
        title = f"{self.metric_.label}_{self.place.name}"
        region = self.place if isinstance(self.place, Region) else None
        return export_xlsx(
            request=self.request,
            queryset=self.annotated(self.rows),
            columns=self.columns(),
            title=title,
            scope_region=region,
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        metric, place, user = self.metric_, self.place, self.request.user
        counted = counted_at(metric, level_of(place))
        span: dict[str, Any] = {} if is_stock(metric) else {"date_from": self.first, "date_to": self.last}
        figure = None
        if counted:
            point = metric_values(user=user, key=metric.key, region=place, dimension=self.dimension, **span)
            figure = point[0] if point else None
        page = None
        lines: list[dict[str, Any]] = []
        hidden = 0
        check: dict[str, Any] = {}
        if self.rows is not None:
            page = Paginator(self.annotated(self.rows), PAGE_SIZE).get_page(self.request.GET.get("page"))
            columns = self.columns()
            for row in page.object_list:
                lines.append({"cells": [c.value(row) for c in columns], "url": _url_of(row)})
            context["headers"] = [c.header for c in columns]
            total = page.paginator.count
            assert self.all_rows is not None
            hidden = self.all_rows.count() - total
            if metric.rule == "distinct":
                check["distinct"] = self.rows.aggregate(n=Count(metric.value_field or "pk", distinct=True))["n"]
            if metric.rule == "sum":
                check["sum"] = self.rows.aggregate(s=Sum(metric.value_field or "pk"))["s"] or Decimal(0)
        period_query = {"from": self.first.isoformat(), "to": self.last.isoformat()} if self.first and self.last else {}
        parts = []
        if metric.rule == "rate":
            for key in (metric.numerator, metric.denominator):
                part = get_metric(key)
                parts.append((part, records_url(part, place, None) + _and(period_query)))
        crumbs: list[Crumb] = [(_("Cockpit"), dashboard_url(place)), (str(metric.label), None)]
        dimension_label = ""
        if self.dimension is not None:
            dimension_label = dimension_labels(metric.key, [self.dimension]).get(self.dimension, self.dimension) or "—"
        export_query = self.request.GET.copy()
        export_query["export"] = "xlsx"
        export_query.pop("page", None)
        context.update(
            metric=metric,
            place=place,
            is_grid=isinstance(place, Grid),
            trail=trail(user, place),
            counted=counted,
            figure=figure,
            page_obj=page,
            lines=lines,
            hidden=hidden,
            check=check,
            rate_parts=parts,
            first=self.first,
            last=self.last,
            period_form=self.form,
            date_from_value=self.first.isoformat() if self.first else "",
            date_to_value=self.last.isoformat() if self.last else "",
            dimension=self.dimension,
            dimension_label=dimension_label,
            export_url=f"?{export_query.urlencode()}",
            dashboard=dashboard_url(place, metric=metric.key, **period_query),
            breadcrumbs=crumbs,
            no_list=counted and metric.rule != "rate" and self.rows is None,
        )
        return context


def _and(query: dict[str, str]) -> str:
    from django.utils.http import urlencode

    return f"&{urlencode(query)}" if query else ""


def _url_of(row: Any) -> str:
    getter = getattr(row, "get_absolute_url", None)
    if getter is None:
        return ""
    try:
        return str(getter())
    except (NoReverseMatch, AttributeError):
        return ""


__all__ = ["RecordsView", "source_rows", "visible_rows"]
