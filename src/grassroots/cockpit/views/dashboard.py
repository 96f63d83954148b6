"""The cockpit dashboard: every figure for a place and period with the change on the period before, trends,
distributions, the breakdown over the place's parts and the grid map, all from the roll-ups; the rankings load
afterwards (htmx) from their own scoped endpoint. Every number links to its records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from grassroots.accounts.enums import Capability
from grassroots.cockpit.compute import Place, level_of
from grassroots.cockpit.registry import Metric, get_metric
from grassroots.cockpit.views import rankings, sections
from grassroots.cockpit.views.periods import Period, PeriodForm
from grassroots.cockpit.views.places import children_of, parts_of, place_from, place_query, trail
from grassroots.territory.models import Grid, Region
from grassroots.web.views.base import CapabilityRequiredMixin, Crumb

DEFAULT_METRIC = "deeds_done"
LEVEL_LABELS = {
    "district": _("District"),
    "street": _("Street"),
    "community": _("Community"),
    "compound": _("Compound"),
    "grid": _("Grid"),
}
RANK_LABELS = {
    "satisfaction_rate": _("Satisfaction rate"),
    "resolution_rate": _("Resolution rate"),
    "response_rate": _("Response rate"),
}


class FigureForm(forms.Form):
    """Which figure the trend, the breakdown and the map show; which rate the ranking sorts by."""

    metric = forms.ChoiceField(label=_("Figure"), required=False)
    rank = forms.ChoiceField(label=_("Rank by"), required=False, choices=list(RANK_LABELS.items()))

    def __init__(self, *args: Any, metrics: list[Metric], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["metric"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(m.key, m.label) for m in metrics]


@dataclass(frozen=True)
class Choices:
    """What a cockpit page shows: the place (checked against the user's scope), period, figure and ranking."""

    place: Place
    period_form: PeriodForm
    period: Period
    figure_form: FigureForm
    metric: Metric
    rank_by: str

    @property
    def keep(self) -> dict[str, Any]:
        """The query that keeps the figure and the period when moving to another place."""
        return {"metric": self.metric.key, **self.period.query()}

    def query(self) -> dict[str, Any]:
        """The whole query of the page (place, period, figure, ranking)."""
        return {**place_query(self.place), **self.keep, "rank": self.rank_by}


def choices_from(request: HttpRequest) -> Choices:
    """The place asked for (``?grid=``/``?region=`` in the user's scope, else 404, or the user's own) and the rest
    of the query, checked once: the sections below read the place's figures without checking again."""
    place = place_from(request)
    level = level_of(place)
    period_form = PeriodForm(request.GET or None)
    period = period_form.chosen(timezone.localdate())
    choosable = sections.chart_metrics(level) or []
    figure_form = FigureForm(request.GET or None, metrics=sections.chart_metrics("district"))
    figures = figure_form.cleaned_data if figure_form.is_valid() else {}
    metric = get_metric(figures.get("metric") or DEFAULT_METRIC)
    if choosable and metric not in choosable:
        metric = get_metric(DEFAULT_METRIC) if get_metric(DEFAULT_METRIC) in choosable else choosable[0]
    rank_by = figures.get("rank") or "satisfaction_rate"
    return Choices(place, period_form, period, figure_form, metric, rank_by)


class DashboardView(CapabilityRequiredMixin, TemplateView):
    """The dashboard: cards, trends, map, breakdown and distributions from the roll-ups; the rankings (partly
    counted from the records) load afterwards from ``RankingsView``."""

    capability = Capability.VIEW_KPIS
    scoped_model = Region  # the figures of one region (or grid) the user may see, and of its parts
    template_name = "cockpit/dashboard.html"

    def region(self) -> Place:
        """The place shown: ``?grid=``/``?region=`` within the user's scope (else 404), or the user's own."""
        return place_from(self.request)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        chosen = choices_from(self.request)
        place, period, metric, keep = chosen.place, chosen.period, chosen.metric, chosen.keep
        level = level_of(place)
        period_form = chosen.period_form

        cards = sections.cards_for(place, period)
        by_key = {c.metric.key: c for c in cards}
        children = children_of(user, place)
        breakdown = sections.breakdown_for(user, place, period, metric, by_key[metric.key].value, keep, children)
        distributions = sections.distributions_for(user, place, period)
        trends = sections.trends_for(user, place, period, metric)
        map_query: dict[str, Any] = {**place_query(place), "metric": metric.key, **period.query()}
        crumbs: list[Crumb] = [(_("Cockpit"), None)]
        context.update(
            region=place,
            place=place,
            is_grid=isinstance(place, Grid),
            level=level,
            level_label=LEVEL_LABELS[level],
            trail=trail(user, place),
            switcher=parts_of(user, place, keep, children),
            period_form=period_form,
            figure_form=chosen.figure_form,
            form=period_form,
            period=period,
            period_query=urlencode(period.query()),
            place_query=urlencode(place_query(place)),
            first=period.first,
            last=period.last,
            before_first=period.before_first,
            before_last=period.before_last,
            cards=cards,
            metric=metric,
            breakdown=breakdown,
            parts=breakdown.parts if breakdown else [],
            child_level=breakdown.level if breakdown else None,
            child_level_label=LEVEL_LABELS[breakdown.level] if breakdown else "",
            distributions=distributions,
            distributions_chart=[d.chart() for d in distributions],
            trends_chart=trends,
            trend_table=_trend_table(trends),
            date_from_value=_raw(period_form, "date_from", period.first if period.code == "custom" else None),
            date_to_value=_raw(period_form, "date_to", period.last if period.code == "custom" else None),
            rank_by=chosen.rank_by,
            rankings_url=f"{reverse('cockpit:rankings')}?{urlencode(chosen.query())}",
            map_url=f"{reverse('cockpit:grid_geojson')}?{urlencode(map_query)}",
            breadcrumbs=crumbs,
        )
        return context


class RankingsView(CapabilityRequiredMixin, TemplateView):
    """The dashboard's rankings for the same query: the place's parts by the three rates (the response rate counted
    from the cases), departments by whistle performance, party members by points. htmx loads the section into the
    dashboard; without JavaScript it is a page of its own."""

    capability = Capability.VIEW_KPIS
    scoped_model = Region  # the same place check as the dashboard (``place_from``)
    template_name = "cockpit/rankings.html"
    partial_template_name = "cockpit/_rankings.html"

    def get_template_names(self) -> list[str]:
        htmx = getattr(self.request, "htmx", None)
        return [self.partial_template_name] if htmx and not htmx.boosted else [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        chosen = choices_from(self.request)
        place, period = chosen.place, chosen.period
        rank_level, rows = rankings.rate_rows(user, place, period, chosen.keep)
        htmx = getattr(self.request, "htmx", None)
        page = "cockpit:dashboard" if htmx and not htmx.boosted else "cockpit:rankings"
        query = {k: v for k, v in chosen.query().items() if k != "rank"}
        dashboard = f"{reverse('cockpit:dashboard')}?{urlencode(chosen.query())}"
        context.update(
            place=place,
            is_grid=isinstance(place, Grid),
            metric=chosen.metric,
            period=period,
            last=period.last,
            dashboard_url=dashboard,
            rank_by=chosen.rank_by,
            rank_choices=[
                (key, label, f"{reverse(page)}?{urlencode({**query, 'rank': key})}")
                for key, label in RANK_LABELS.items()
            ],
            rank_level_label=LEVEL_LABELS[rank_level],
            rate_rows=rankings.ranked(rows, chosen.rank_by),
            departments=rankings.department_rows(user, period),
            members=rankings.member_rows(user, place, period),
            breadcrumbs=[(_("Cockpit"), dashboard), (_("Rankings"), None)],
        )
        return context


def _raw(form: PeriodForm, name: str, default: dt.date | None) -> str:
    """What the date box shows: the date typed (even when invalid, to correct it), else the period's."""
    if form.is_bound and form.errors:
        return str(form[name].value() or "")
    return default.isoformat() if default else ""


def _trend_table(trends: dict[str, Any]) -> dict[str, Any]:
    """The trend charts' figures as a table (for screen readers and without JavaScript)."""
    series = trends["series"]

    def cell(value: float | None, rule: str) -> str:
        if value is None:
            return "—"
        text = f"{value:.1f}" if rule == "rate" or value != int(value) else str(int(value))
        return text + ("%" if rule == "rate" else "")

    rows = [(month, [cell(s["values"][i], s["rule"]) for s in series]) for i, month in enumerate(trends["months"])]
    return {"labels": [s["label"] for s in series], "rows": rows}
