"""The public community board (公示栏): a community's services and figures for anyone, with no personal data.

Figures equal the cockpit's roll-ups (``compute.place_values``) for the community; the response rate equals
``cases.kpis`` over the community's cases. Only communities have boards; the page is cached for five minutes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from grassroots.cases import kpis
from grassroots.cases.models import Case
from grassroots.catalogue.models import ServiceItem
from grassroots.catalogue.services import station_create
from grassroots.cockpit.compute import place_values
from grassroots.frontline.models import MemberReport
from grassroots.people.models import Person
from tests.cases.conftest import cases_world  # noqa: F401
from tests.cockpit.conftest import _done, figures_world  # noqa: F401
from tests.conftest import SIBLING_MARK, World
from tests.frontline.conftest import reported_member  # noqa: F401

pytestmark = pytest.mark.usefixtures("midday")

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Boards are cached per community pk, and pks come round again from test to test."""
    cache.clear()
    yield
    cache.clear()


def board_url(world: World, community: str) -> str:
    return reverse("portal:board_detail", args=[world.communities[community].region.code])


def figure(html: str, name: str) -> str:
    """The text of the figure tile ``data-figure=name``."""
    found = re.search(rf'data-figure="{name}">([^<]*)<', html)
    assert found, name
    return found.group(1).strip()


def test_the_board_shows_the_communitys_rollup_figures_to_anyone(figures_world: World) -> None:  # noqa: F811
    w = figures_world
    dongyue = w.communities["dongyue"].region
    response = Client(**EN).get(board_url(w, "dongyue"))
    assert response.status_code == 200
    html = response.content.decode()
    board = response.context["board"]
    today = timezone.localdate()
    month_first, year_first = today.replace(day=1), today.replace(month=1, day=1)

    def total(key: str, first: dt.date | None = None, last: dt.date | None = None) -> Decimal:
        return place_values(key=key, place=dongyue, date_from=first, date_to=last)[0].value

    for key in ("micro_wishes_fulfilled", "deeds_done", "residents_served"):
        assert board.month[key] == total(key, month_first, today)
        assert board.year[key] == total(key, year_first, today)
        assert Decimal(figure(html, f"month-{key}")) == total(key, month_first, today)  # "5" shown, 5.00 summed
    # What a resident of 东岳 reads: two wishes came true this month, five residents served.
    assert figure(html, "month-micro_wishes_fulfilled") == "2"
    assert figure(html, "month-residents_served") == "5"
    for key in ("satisfaction_rate", "resolution_rate"):
        point = place_values(key=key, place=dongyue, date_from=year_first, date_to=today)[0]
        assert (board.rates[key].value, board.rates[key].denominator) == (point.value, point.denominator)
    assert figure(html, "satisfaction_rate") == "50%"  # one satisfied of two ratings
    assert "of 2 ratings" in html
    row = kpis.kpi_total(
        cases=Case.objects.filter(community=dongyue),
        start=timezone.make_aware(dt.datetime.combine(year_first, dt.time.min)),
        end=timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min)),
    )
    assert board.rates["response_rate"].denominator == row.response_due
    assert board.rates["response_rate"].numerator == row.responded_on_time
    for key in ("units_reported", "members_reported"):
        assert board.reported[key] == total(key)
    # The trend: six months, the last one this month, as the roll-ups count them by month.
    by_month = {
        p.key: p.value
        for p in place_values(
            key="micro_wishes_fulfilled", place=dongyue, date_from=board.trend[0].month, date_to=today, group_by="month"
        )
    }
    assert [b.month.isoformat() for b in board.trend][-1] == month_first.isoformat()
    assert len(board.trend) == 6
    assert [b.value for b in board.trend] == [by_month.get(b.month.isoformat(), Decimal(0)) for b in board.trend]
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert "<svg" in main and "<script" not in main  # a chart drawn on the server: nothing to run on the phone
    assert dongyue.name in html and w.streets["mingshan"].name in html
    assert SIBLING_MARK not in html


def test_the_board_shows_the_catalogue_and_the_communitys_own_stations(figures_world: World) -> None:  # noqa: F811
    w = figures_world
    station_create(
        actor=None,
        name="东岳为民红绳服务站",
        region=w.communities["dongyue"].region,
        location="社区党群服务中心一楼",
        opening_hours="周一至周五 8:30-17:30",
    )
    station_create(actor=None, name="北辰为民红绳服务站", region=w.communities["beichen"].region)
    html = Client(**EN).get(board_url(w, "dongyue")).content.decode()
    assert "东岳为民红绳服务站" in html and "社区党群服务中心一楼" in html and "周一至周五 8:30-17:30" in html
    assert "北辰为民红绳服务站" not in html
    items = ServiceItem.objects.filter(is_active=True, category__is_active=True)
    assert f"{items.count()} services you can ask for" in html
    assert items.first().name in html  # type: ignore[union-attr]
    other = Client(**EN).get(board_url(w, "beichen")).content.decode()
    assert "北辰为民红绳服务站" in other and "Opening hours: ask the community office" in other


def test_no_personal_data_on_any_board(figures_world: World) -> None:  # noqa: F811
    w = figures_world
    persons = list(Person.objects.all())
    secrets = {p.name for p in persons} | {p.mobile for p in persons if p.mobile}
    secrets |= {p.id_number for p in persons if p.id_number} | {p.address for p in persons if p.address}
    for case in Case.objects.all():
        secrets |= {s for s in (case.requester_name, case.contact_mobile) if s}
    assert {"东岳张伟", "东岳党员王强"} <= secrets
    client = Client(**EN)
    pages = [board_url(w, name) for name in w.communities]
    pages += [reverse("portal:board"), reverse("portal:board") + "?q=社区"]
    pages += [f"{reverse('portal:board')}?street={s.pk}" for s in w.streets.values()]
    for url in pages:
        html = client.get(url).content.decode()
        leaked = [s for s in secrets if s in html]
        assert not leaked, (url, leaked)


def test_reported_members_are_counted_never_named(duty_world: World, reported_member: MemberReport) -> None:  # noqa: F811
    w = duty_world
    html = Client(**EN).get(board_url(w, "dongyue")).content.decode()
    assert figure(html, "members_reported") == "1"
    assert figure(html, "members_reported") == str(
        place_values(key="members_reported", place=w.communities["dongyue"].region)[0].value
    )
    assert w.duty.member.name not in html
    assert all(colleague.name not in html for colleague in w.duty.colleagues)


@pytest.mark.parametrize("place", ["district", "street", "compound", "building", "unknown", "grid"])
def test_only_communities_have_boards(world: World, place: str) -> None:
    dy = world.communities["dongyue"]
    code = {
        "district": world.district.code,
        "street": world.streets["mingshan"].code,
        "compound": dy.compound.code,
        "building": dy.building.code,
        "grid": dy.grid.code,  # a grid's code is not a region's
        "unknown": "4509029999",
    }[place]
    assert Client(**EN).get(reverse("portal:board_detail", args=[code])).status_code == 404


def test_a_community_with_no_activity_gets_a_friendly_empty_state(figures_world: World) -> None:  # noqa: F811
    w = figures_world
    response = Client(**EN).get(board_url(w, "nanguan"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing to report yet this year." in html
    assert "No wishes have come true in the last six months yet." in html and "<svg" not in html
    assert figure(html, "satisfaction_rate") == "—" and "no ratings yet" in html
    assert figure(html, "month-micro_wishes_fulfilled") == "0"
    assert "services you can ask for" in html  # the services are there all the same
    busy = Client(**EN).get(board_url(w, "dongyue")).content.decode()
    assert "Nothing to report yet this year." not in busy


def test_staff_of_another_community_read_the_same_public_board(figures_world: World) -> None:  # noqa: F811
    """The board is public by design: a 北辰 worker sees 东岳's public totals, exactly as anyone does."""
    w = figures_world
    anonymous = Client(**EN).get(board_url(w, "dongyue")).context["board"]
    cache.clear()
    sibling = w.client("sibling_staff").get(board_url(w, "dongyue"), **EN)
    assert sibling.status_code == 200
    assert sibling.context["board"] == anonymous


def test_the_board_is_cached_for_five_minutes(
    figures_world: World,  # noqa: F811
    django_assert_max_num_queries: Any,
) -> None:
    w = figures_world
    client = Client(**EN)
    assert figure(client.get(board_url(w, "dongyue")).content.decode(), "month-micro_wishes_fulfilled") == "2"
    _done(w, "dongyue", served=1, rating=None)
    with django_assert_max_num_queries(2):  # the community only: the figures come from the cache
        html = client.get(board_url(w, "dongyue")).content.decode()
    assert figure(html, "month-micro_wishes_fulfilled") == "2"
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5, seconds=5), tick=False):
        html = client.get(board_url(w, "dongyue")).content.decode()
    assert figure(html, "month-micro_wishes_fulfilled") == "3"


def test_the_list_finds_communities_street_by_street_or_by_name(world: World) -> None:
    client = Client(**EN)
    html = client.get(reverse("portal:board")).content.decode()
    assert "名山街道" in html and "南江街道" in html and "东岳社区" not in html
    html = client.get(reverse("portal:board"), {"street": world.streets["mingshan"].pk}).content.decode()
    assert board_url(world, "dongyue") in html and board_url(world, "beichen") in html
    assert "江滨社区" not in html
    html = client.get(reverse("portal:board"), {"q": "江滨"}).content.decode()
    assert board_url(world, "jiangbin") in html and "南江街道" in html and "东岳社区" not in html
    html = client.get(reverse("portal:board"), {"q": "南江"}).content.decode()  # a street's name finds its communities
    assert board_url(world, "jiangbin") in html and board_url(world, "nanguan") in html
    html = client.get(reverse("portal:board"), {"q": "没有这个社区"}).content.decode()
    assert "No community matches your search." in html


def test_the_portal_home_links_to_the_board(world: World) -> None:
    client = Client(**EN)
    html = client.get(reverse("portal:home"), {"community": world.communities["dongyue"].region.pk}).content.decode()
    assert f'href="{board_url(world, "dongyue")}"' in html
    html = Client(**EN).get(reverse("portal:home")).content.decode()
    assert f'href="{reverse("portal:board")}"' in html
