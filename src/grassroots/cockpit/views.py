"""The cockpit dashboard: every registered figure for a region and period, with the change on the period before,
and one figure broken down over the region's parts (streets, communities or grids) to drill into."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from grassroots.accounts.enums import Capability
from grassroots.accounts.roles import anchors_for
from grassroots.cockpit.compute import CHILD_LEVEL, metric_values
from grassroots.cockpit.registry import Metric, all_metrics, get_metric
from grassroots.territory.models import Grid, Region
from grassroots.web import narrow
from grassroots.web.views.base import CapabilityRequiredMixin, Crumb

LEVEL_ORDER = {"district": 0, "street": 1, "community": 2, "compound": 3, "grid": 4}
PERIODS = (
    ("this_month", _("This month")),
    ("last_month", _("Last month")),
    ("this_quarter", _("This quarter")),
    ("this_year", _("This year")),
)


class CockpitForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=PERIODS, required=False)
    metric = forms.ChoiceField(label=_("Break down"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["metric"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(m.key, m.label) for m in all_metrics()]


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


@dataclass
class Card:
    metric: Metric
    value: Decimal
    before: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None

    @property
    def change(self) -> Decimal | None:
        return None if self.before is None else self.value - self.before


@dataclass
class Part:
    pk: int
    name: str
    value: Decimal
    drill: bool


class DashboardView(CapabilityRequiredMixin, TemplateView):
    capability = Capability.VIEW_KPIS
    scoped_model = Region  # the figures of one region the user may see (and its parts)
    template_name = "cockpit/dashboard.html"

    def region(self) -> Region:
        visible = Region.objects.visible_to(self.request.user, Capability.VIEW_KPIS)
        raw = self.request.GET.get("region", "")
        if raw:
            found = visible.filter(pk=int(raw)).first() if raw.isdigit() else None
            if found is None:
                raise Http404
            return found
        current = narrow.current_region(self.request)
        if current is not None and visible.filter(pk=current.pk).exists():
            return current
        anchors = sorted(anchors_for(self.request.user, Capability.VIEW_KPIS), key=lambda a: LEVEL_ORDER[a.level])
        top = visible.filter(pk=anchors[0].pk).first() if anchors and anchors[0].level != "grid" else None
        return top or visible.order_by("depth", "path").first() or _no_region()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        region = self.region()
        form = CockpitForm(self.request.GET or None)
        data = form.cleaned_data if form.is_valid() else {}
        period = data.get("period") or "this_month"
        first, last, before_first, before_last = period_bounds(period, timezone.localdate())
        cards = []
        for metric in all_metrics():
            stock = metric.rule != "rate" and not metric.date_field
            if stock:
                point = metric_values(user=user, key=metric.key, region=region)[0]
                cards.append(Card(metric, point.value, None))
                continue
            now = metric_values(user=user, key=metric.key, region=region, date_from=first, date_to=last)[0]
            was = metric_values(user=user, key=metric.key, region=region, date_from=before_first, date_to=before_last)
            cards.append(Card(metric, now.value, was[0].value, now.numerator, now.denominator))
        key = data.get("metric") or "deeds_done"
        breakdown = get_metric(key)
        parts: list[Part] = []
        child = CHILD_LEVEL.get(region.kind)
        if child is not None:
            stock = breakdown.rule != "rate" and not breakdown.date_field
            dates = {} if stock else {"date_from": first, "date_to": last}
            points = metric_values(user=user, key=key, region=region, group_by="region", **dates)
            ids = [int(p.key) for p in points]
            model: Any = Grid if child == "grid" else Region
            names = dict(model.objects.filter(pk__in=ids).values_list("pk", "name"))
            parts = [Part(int(p.key), names.get(int(p.key), "—"), p.value, child != "grid") for p in points]
            parts.sort(key=lambda p: (-p.value, p.name))
        visible = Region.objects.visible_to(user, Capability.VIEW_KPIS)
        above = [region.district_id, region.street_id, region.community_id]
        trail = [*visible.filter(pk__in=[pk for pk in above if pk]).exclude(pk=region.pk).order_by("depth"), region]
        crumbs: list[Crumb] = [(_("Cockpit"), None)]
        context.update(
            region=region,
            trail=trail,
            form=form,
            period=period,
            first=first,
            last=last,
            before_first=before_first,
            before_last=before_last,
            cards=cards,
            breakdown=breakdown,
            parts=parts,
            parts_total=sum((p.value for p in parts), Decimal(0)),
            child_level=child,
            breadcrumbs=crumbs,
        )
        return context


def _no_region() -> Region:
    raise Http404
