"""The big screen: a 1920×1080 dark "数据驾驶舱" for a command-centre display, and the JSON it refreshes from.

One payload (``screen_payload``) feeds both: the page embeds it for the first paint, and ``screen.js`` fetches it
again every minute to update numbers and charts in place. Every figure comes from the roll-ups
(``metric_totals_periods`` / ``metric_series`` / ``place_values``) for one region the user may see with VIEW_KPIS,
checked once; each section is one or two queries whatever the number of records.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from typing import Any

from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.generic import TemplateView, View

from grassroots.accounts.enums import Capability
from grassroots.accounts.roles import anchors_for
from grassroots.cockpit.compute import (
    CHILD_LEVEL,
    Point,
    dimension_labels,
    may_see,
    metric_series,
    metric_totals_periods,
    place_values,
)
from grassroots.cockpit.registry import Metric, get_metric
from grassroots.cockpit.views import period_bounds
from grassroots.territory.models import Grid, Region
from grassroots.web.views.base import CapabilityRequiredMixin
from grassroots.whistle.scorecards import COUNTS, ranked, score_row, visible_calls

# The source's headline figures, in the order they are read out.
HEADLINES = (
    "units_reported",
    "members_reported",
    "micro_wishes_fulfilled",
    "deeds_done",
    "residents_served",
    "grids",
    "grid_workers",
    "compound_branches",
    "whistles_blown",
    "satisfaction_rate",
)
TREND = ("deeds_done", "micro_wishes_fulfilled", "cases_submitted")
DISTRIBUTION = "cases_submitted"  # by its dimension (the case category)
RANK_BY = ("deeds_done", "satisfaction_rate")
MAP_METRIC = "deeds_done"
RANK_LIMIT = 5
SLICES = 7  # categories shown in the pie; the rest are "Other"
DEPARTMENTS = 5
KINDS = ("district", "street", "community", "compound")  # regions with figures (not buildings)
LEVEL_ORDER = {"district": 0, "street": 1, "community": 2, "compound": 3, "grid": 4}


def screen_region(request: HttpRequest) -> Region:
    """``?region=<id>`` if the user may see its figures (else 404); by default the widest region of their roles."""
    visible = Region.objects.visible_to(request.user, Capability.VIEW_KPIS).filter(kind__in=KINDS)
    raw = request.GET.get("region", "")
    if raw:
        found = visible.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 19 else None
        if found is None:
            raise Http404
        return found
    anchors = [a for a in anchors_for(request.user, Capability.VIEW_KPIS) if a.level != "grid"]
    anchors.sort(key=lambda a: LEVEL_ORDER.get(a.level, 9))
    top = visible.filter(pk=anchors[0].pk).first() if anchors else None
    found = top or visible.order_by("depth", "path").first()
    if found is None:
        raise Http404
    return found


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _counted(metric: Metric, level: str) -> bool:
    """Whether the figure is counted for a region of ``level`` (a rate: both of its parts)."""
    if metric.rule == "rate":
        return all(_counted(get_metric(k), level) for k in (metric.numerator, metric.denominator))
    return level in metric.levels()


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _cards(region: Region, first: dt.date, today: dt.date) -> list[dict[str, Any]]:
    """The headline figures: this year's value and the all-time one (a stock: as of now only), in one query."""
    keys = [k for k in HEADLINES if _counted(get_metric(k), region.kind)]
    year, ever = metric_totals_periods(keys=keys, place=region, periods=[(first, today), (None, None)])
    cards = []
    for key in HEADLINES:
        metric = get_metric(key)
        stock = metric.rule != "rate" and not metric.date_field
        now, total = year.get(key), ever.get(key)
        cards.append(
            {
                "key": key,
                "label": str(metric.label),
                "definition": str(metric.definition),
                "rate": metric.rule == "rate",
                "stock": stock,
                "year": None if now is None or stock else _number(now.value),
                "total": None if total is None else _number(total.value),
                "numerator": None if now is None else _number(now.numerator),
                "denominator": None if now is None else _number(now.denominator),
            }
        )
    return cards


def _trend(region: Region, today: dt.date) -> dict[str, Any]:
    """Twelve months to this one, for each figure of ``TREND`` (months without any: 0), in one query."""
    start = _add_months(today.replace(day=1), -11)
    months = [_add_months(start, i) for i in range(12)]
    keys = [k for k in TREND if _counted(get_metric(k), region.kind)]
    by_month = metric_series(keys=keys, place=region, date_from=start, date_to=today, group_by="month")
    series = []
    for key in keys:
        metric = get_metric(key)
        found = {p.key: p.value for p in by_month.get(key, [])}
        values = [_number(found.get(m.isoformat(), Decimal(0))) for m in months]
        series.append({"key": key, "label": str(metric.label), "values": values})
    return {
        "months": [m.strftime("%Y-%m") for m in months],
        "labels": [pgettext("a month on a chart axis", "%(month)s") % {"month": m.month} for m in months],
        "titles": [date_format(m, "YEAR_MONTH_FORMAT") for m in months],
        "series": series,
    }


def _distribution(region: Region, first: dt.date, today: dt.date) -> dict[str, Any]:
    """This year's cases by category: the largest ``SLICES``, the rest as "Other"."""
    metric = get_metric(DISTRIBUTION)
    if not _counted(metric, region.kind):
        return {"label": str(metric.label), "slices": []}
    points = place_values(key=DISTRIBUTION, place=region, date_from=first, date_to=today, group_by="dimension")
    points = sorted((p for p in points if p.value), key=lambda p: (-p.value, p.key))
    names = dimension_labels(DISTRIBUTION, [p.key for p in points[:SLICES]])
    slices = [{"name": names.get(p.key, p.key or "—"), "value": _number(p.value)} for p in points[:SLICES]]
    rest = sum((p.value for p in points[SLICES:]), Decimal(0))
    if rest:
        slices.append({"name": _("Other"), "value": _number(rest)})
    return {"label": str(metric.label), "slices": slices}


def _rankings(region: Region, first: dt.date, today: dt.date) -> dict[str, Any]:
    """The region's parts (streets, communities, compounds or grids) ranked by each figure of ``RANK_BY`` (one
    query, and one for the parts' names)."""
    child = CHILD_LEVEL.get(region.kind)
    if child is None:
        return {"level": None, "lists": []}
    keys = [k for k in RANK_BY if _counted(get_metric(k), child)]
    by_part = metric_series(keys=keys, place=region, date_from=first, date_to=today, group_by="region")
    found: dict[str, list[Point]] = {}
    for key in keys:
        metric = get_metric(key)
        if key in by_part:
            points = by_part[key]
            if metric.rule == "rate":
                points = [p for p in points if p.denominator]
            found[key] = sorted(points, key=lambda p: (-p.value, -(p.denominator or 0), p.key))[:RANK_LIMIT]
    ids = {int(p.key) for points in found.values() for p in points}
    model: Any = Grid if child == "grid" else Region
    names = dict(model.objects.filter(pk__in=ids).values_list("pk", "name"))
    drill = child in ("street", "community", "compound")
    screen = reverse("cockpit:screen")
    lists = []
    for key, points in found.items():
        metric = get_metric(key)
        rows = [
            {
                "id": int(p.key),
                "name": names.get(int(p.key), "—"),
                "value": _number(p.value),
                "numerator": _number(p.numerator),
                "denominator": _number(p.denominator),
                "url": f"{screen}?region={p.key}" if drill else None,
            }
            for p in points
        ]
        lists.append({"key": key, "label": str(metric.label), "rate": metric.rule == "rate", "rows": rows})
    return {"level": child, "lists": lists}


def _departments(user: Any, region: Region, first: dt.date, today: dt.date) -> list[dict[str, Any]]:
    """Departments called from the region this year, by on-time report rate (the whistle scorecards' figures)."""
    calls = get_metric("whistle_calls")
    if region.kind not in calls.levels():
        return []
    column = calls.column(region.kind)
    start = timezone.make_aware(dt.datetime.combine(first, dt.time()))
    end = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time()))
    rows = (
        visible_calls(user)
        .filter(called_at__gte=start, called_at__lt=end, **{column: region.pk})
        .values("department_id", "department__name")
        .annotate(**COUNTS)
        .order_by()
    )
    cards = ranked(
        [score_row(department_id=r["department_id"], department_name=r["department__name"], counts=r) for r in rows]
    )
    cards.sort(key=lambda r: (-r.on_time_rate, -r.received, r.rank))
    return [
        {
            "id": r.department_id,
            "name": r.department_name,
            "on_time_rate": round(100 * r.on_time_rate, 1),
            "received": r.received,
            "on_time": r.reported_on_time,
            "score": r.score,
        }
        for r in cards[:DEPARTMENTS]
    ]


@cache
def _map_script() -> bool:
    return finders.find("cockpit/gridmap.js") is not None


def map_url(region: Region) -> str | None:
    """The grid map's GeoJSON for the region, once the grid-map endpoint exists."""
    try:
        base = reverse("cockpit:grid_geojson")
    except NoReverseMatch:
        return None
    return f"{base}?region={region.pk}&metric={MAP_METRIC}&period=this_year"


def screen_payload(*, user: Any, region: Region, today: dt.date | None = None) -> dict[str, Any]:
    """Everything the screen shows for ``region`` (which the user must be allowed to see)."""
    if not may_see(user, region):
        raise Http404
    return _payload(user=user, region=region, today=today)


def _payload(*, user: Any, region: Region, today: dt.date | None = None) -> dict[str, Any]:
    """``screen_payload`` for a region already read from the user's scope (``screen_region``)."""
    today = today or timezone.localdate()
    first = period_bounds("this_year", today)[0]
    now = timezone.localtime()
    return {
        "region": {"id": region.pk, "name": region.name, "kind": region.kind},
        "year": first.year,
        "from": first.isoformat(),
        "to": today.isoformat(),
        "generated": now.isoformat(timespec="seconds"),
        "generated_time": now.strftime("%H:%M:%S"),
        "cards": _cards(region, first, today),
        "trend": _trend(region, today),
        "distribution": _distribution(region, first, today),
        "rankings": _rankings(region, first, today),
        "departments": _departments(user, region, first, today),
        "map": {"metric": MAP_METRIC, "label": str(get_metric(MAP_METRIC).label)},
    }


class ScreenView(CapabilityRequiredMixin, TemplateView):
    """The big screen page (standalone: no sidebar, only the project's static files)."""

    capability = Capability.VIEW_KPIS
    scoped_model = Region  # the figures of one region the user may see
    template_name = "cockpit/screen.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        region = screen_region(self.request)
        payload = _payload(user=self.request.user, region=region)
        refresh = self.request.GET.get("refresh", "")
        above = [pk for pk in (region.district_id, region.street_id, region.community_id) if pk]
        visible = Region.objects.visible_to(self.request.user, Capability.VIEW_KPIS)
        up = visible.filter(pk__in=above).exclude(pk=region.pk).order_by("-depth").first()
        context.update(
            region=region,
            up=up,
            payload=payload,
            data_url=f"{reverse('cockpit:screen_data')}?region={region.pk}",
            refresh=min(max(10, int(refresh[:5])), 3600) if refresh.isdigit() else 60,
            time_zone=timezone.get_current_timezone_name(),
            map_url=map_url(region) if _map_script() else None,
            map_script=_map_script(),
            strings={
                "updated": _("Updated %(time)s"),
                "failed": _("Could not update: showing the figures of %(time)s"),
                "this_year": _("This year"),
                "nothing": _("Nothing counted yet."),
                "received": _("calls"),
                "map_empty": _("No grid has a boundary here."),
                "map_failed": _("The map could not be loaded."),
            },
        )
        return context


class ScreenDataView(CapabilityRequiredMixin, View):
    """The screen's figures as JSON, fetched again every minute by ``screen.js``."""

    capability = Capability.VIEW_KPIS
    scoped_model = Region

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        region = screen_region(request)
        response = JsonResponse(_payload(user=request.user, region=region))  # region: from the user's scope
        response["Cache-Control"] = "no-store"
        return response
