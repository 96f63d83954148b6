"""The public community board (公示栏): a community's services and its figures, for anyone, without a login.

Only public information is shown: names of streets and communities, the service catalogue, the community's Red
Rope stations and service brands, and aggregate figures. The figures come from the cockpit's roll-ups
(``compute.place_values``), except the 12345 response rate, which has no roll-up and is counted by
``cases.kpis`` over the community's cases. No names, addresses or numbers of people appear anywhere.

A board is keyed by the community's ``Region.code`` (public, stable across rebuilds: what a poster's QR code
carries). Its data is cached for five minutes per community and day (``CACHE_SECONDS``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.views.generic import TemplateView

from grassroots.cases import kpis
from grassroots.cases.models import Case
from grassroots.catalogue.models import RedRopeStation, ServiceBrand, ServiceCategory, ServiceItem
from grassroots.cockpit import compute
from grassroots.portal import selectors
from grassroots.portal.views import CommunityChoiceMixin
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Region

CACHE_SECONDS = 5 * 60
MONTHS_SHOWN = 6
SEARCH_MAX = 40
SEARCH_RESULTS = 50
ACTIVITY = ("micro_wishes_fulfilled", "deeds_done", "residents_served")
ROLLUP_RATES = ("satisfaction_rate", "resolution_rate")
REPORTED = ("units_reported", "members_reported")
# The trend chart, in SVG user units (scaled to the page's width).
CHART_WIDTH, CHART_BASE, CHART_HEIGHT, BAR_WIDTH = 300, 118, 90, 30


@dataclass(frozen=True)
class Rate:
    """A rate over the year: ``value`` is None when nothing was counted (no denominator)."""

    value: Decimal | None
    numerator: int
    denominator: int


@dataclass(frozen=True)
class Bar:
    """One month of the trend chart, with its geometry."""

    month: dt.date
    value: Decimal
    x: float
    y: float
    height: float

    @property
    def centre(self) -> float:
        return self.x + BAR_WIDTH / 2

    @property
    def label_y(self) -> float:
        return round(self.y - 5, 1)


@dataclass(frozen=True)
class Station:
    name: str
    location: str
    opening_hours: str


@dataclass(frozen=True)
class Brand:
    name: str
    description: str


@dataclass(frozen=True)
class Category:
    name: str
    description: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Board:
    """Everything a board shows, language-neutral (labels live in the template), so it can be cached."""

    today: dt.date
    month: dict[str, Decimal]
    year: dict[str, Decimal]
    rates: dict[str, Rate]
    reported: dict[str, Decimal]
    trend: tuple[Bar, ...]
    stations: tuple[Station, ...]
    brands: tuple[Brand, ...]
    categories: tuple[Category, ...]

    @property
    def has_activity(self) -> bool:
        """Whether anything at all was counted this year (else the page shows a friendly empty state)."""
        return any(self.year.values()) or any(r.denominator for r in self.rates.values()) or self.trend_shown

    @property
    def trend_shown(self) -> bool:
        """Whether any month of the trend has a wish come true (else the chart is an empty-state line)."""
        return any(bar.value for bar in self.trend)

    @property
    def item_count(self) -> int:
        return sum(len(c.items) for c in self.categories)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


# Reads -------------------------------------------------------------------------------------------------------------


def board_community_get(*, code: str) -> Region:
    """The community whose code this is, or 404 (a street, a compound or an unknown code has no board)."""
    community = (
        Region.objects.filter(kind=RegionKind.COMMUNITY, code=code)
        .select_related("street")
        .only("pk", "name", "code", "kind", "path", "street__name")
    ).first()
    if community is None:
        raise Http404
    return community


def board_community_search(*, q: str = "", street_id: int | None = None) -> QuerySet[Region]:
    """Communities by name (or their street's name), or those of one street; in tree order."""
    qs = Region.objects.filter(kind=RegionKind.COMMUNITY).select_related("street")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(street__name__icontains=q))
    if street_id is not None:
        qs = qs.filter(street_id=street_id)
    return qs.only("pk", "name", "code", "path", "street__name", "street__path").order_by("path")


def _total(key: str, community: Region, first: dt.date | None = None, last: dt.date | None = None) -> Decimal:
    return compute.place_values(key=key, place=community, date_from=first, date_to=last)[0].value


def _rollup_rate(key: str, community: Region, first: dt.date, last: dt.date) -> Rate:
    point = compute.place_values(key=key, place=community, date_from=first, date_to=last)[0]
    numerator, denominator = int(point.numerator or 0), int(point.denominator or 0)
    return Rate(point.value if denominator else None, numerator, denominator)


def _response_rate(community: Region, first: dt.date, today: dt.date) -> Rate:
    """The 12345 response rate of the community's cases this year, as ``cases.kpis`` counts it (no roll-up)."""

    def aware(day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))

    row = kpis.kpi_total(
        cases=Case.objects.filter(community_id=community.pk),
        start=aware(first),
        end=aware(today + dt.timedelta(days=1)),
    )
    value = row.response_rate
    return Rate(Decimal(str(value)) if value is not None else None, row.responded_on_time, row.response_due)


def _months_back(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - n
    return dt.date(index // 12, index % 12 + 1, 1)


def _trend(community: Region, today: dt.date) -> tuple[Bar, ...]:
    """Micro-wishes fulfilled in each of the last ``MONTHS_SHOWN`` months (this one included), as bars."""
    this_month = today.replace(day=1)
    first = _months_back(this_month, MONTHS_SHOWN - 1)
    points = compute.place_values(
        key="micro_wishes_fulfilled", place=community, date_from=first, date_to=today, group_by="month"
    )
    found = {p.key: p.value for p in points}
    months = [_months_back(this_month, n) for n in range(MONTHS_SHOWN - 1, -1, -1)]
    values = [found.get(m.isoformat(), Decimal(0)) for m in months]
    top = max([*values, Decimal(1)])
    slot = CHART_WIDTH / MONTHS_SHOWN
    bars = []
    for i, (month, value) in enumerate(zip(months, values, strict=True)):
        height = float(value / top) * CHART_HEIGHT
        if value and height < 2:
            height = 2.0  # a month with any wish is never invisible
        bars.append(
            Bar(
                month,
                value,
                round(i * slot + (slot - BAR_WIDTH) / 2, 1),
                round(CHART_BASE - height, 1),
                round(height, 1),
            )
        )
    return tuple(bars)


def _services(community: Region) -> tuple[tuple[Station, ...], tuple[Brand, ...], tuple[Category, ...]]:
    """The community's active Red Rope stations and brands, and the district's active service catalogue."""
    stations = tuple(
        Station(s.name, s.location, s.opening_hours)
        for s in RedRopeStation.objects.filter(community_id=community.pk, is_active=True).order_by("name")
    )
    brands = tuple(
        Brand(b.name, b.description)
        for b in ServiceBrand.objects.filter(community_id=community.pk, is_active=True).order_by("name")
    )
    active_items = ServiceItem.objects.filter(is_active=True).only("name", "category_id").order_by("order", "code")
    categories = tuple(
        Category(c.name, c.description, tuple(item.name for item in c.items.all()))
        for c in ServiceCategory.objects.filter(is_active=True)
        .only("name", "description")
        .prefetch_related(Prefetch("items", queryset=active_items))
        .order_by("order", "code")
    )
    return stations, brands, categories


def board_build(*, community: Region, today: dt.date) -> Board:
    """The board's figures and services for ``community`` as of ``today`` (this month and this year so far)."""
    month_first, year_first = today.replace(day=1), today.replace(month=1, day=1)
    rates = {key: _rollup_rate(key, community, year_first, today) for key in ROLLUP_RATES}
    rates["response_rate"] = _response_rate(community, year_first, today)
    stations, brands, categories = _services(community)
    return Board(
        today=today,
        month={key: _total(key, community, month_first, today) for key in ACTIVITY},
        year={key: _total(key, community, year_first, today) for key in ACTIVITY},
        rates=rates,
        reported={key: _total(key, community) for key in REPORTED},
        trend=_trend(community, today),
        stations=stations,
        brands=brands,
        categories=categories,
    )


def board_get(*, community: Region) -> Board:
    """The board of ``community``, from the cache when it was built in the last five minutes (same day)."""
    today = timezone.localdate()
    key = f"portal:board:{community.pk}:{today.isoformat()}"
    board: Board | None = cache.get(key)
    if board is None:
        board = board_build(community=community, today=today)
        cache.set(key, board, CACHE_SECONDS)
    return board


# Views -------------------------------------------------------------------------------------------------------------


class BoardListView(CommunityChoiceMixin, TemplateView):
    """``/portal/board/``: find a community's board by name, or street by street (short lists on a phone)."""

    template_name = "portal/board.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        q = self.request.GET.get("q", "").strip()[:SEARCH_MAX]
        street_id = _int(self.request.GET.get("street"))
        street = selectors.street_list_public().filter(pk=street_id).first() if street_id else None
        communities: list[Region] | None = None
        if q or street is not None:
            qs = board_community_search(q=q, street_id=street.pk if street else None)
            communities = list(qs[:SEARCH_RESULTS])
        context.update(
            q=q,
            street=street,
            communities=communities,
            streets=selectors.street_list_public() if communities is None else [],
            community=self.chosen_community() if communities is None else None,
            tab="home",
        )
        return context


class BoardDetailView(TemplateView):
    """``/portal/board/<code>/``: one community's board."""

    template_name = "portal/board_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        community = board_community_get(code=self.kwargs["code"])
        board = board_get(community=community)
        context.update(
            community=community,
            board=board,
            chart={"width": CHART_WIDTH, "base": CHART_BASE, "bar_width": BAR_WIDTH},
            tab="home",
        )
        return context
