"""The metrics registry and its values from source rows: definitions, scope, rates from sums, parts add up."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from grassroots.cockpit.compute import metric_values
from grassroots.cockpit.registry import all_metrics, get_metric
from grassroots.core.errors import ApplicationError
from tests.conftest import World

pytestmark = pytest.mark.usefixtures("midday")

SOURCE_FIGURES = {
    "grids",
    "grid_workers",
    "compound_branches",
    "vanguard_corps",
    "vanguard_squads",
    "units_reported",
    "members_reported",
    "micro_wishes_fulfilled",
    "deeds_done",
    "residents_served",
    "red_rope_difficulties_solved",
    "whistles_blown",
    "satisfaction_rate",
}


def _total(user: Any, key: str, region: Any, **kwargs: Any) -> Decimal:
    return metric_values(user=user, key=key, region=region, **kwargs)[0].value


def test_every_source_figure_is_a_registered_metric_with_both_labels() -> None:
    keys = {m.key for m in all_metrics()}
    assert keys >= SOURCE_FIGURES
    for metric in all_metrics():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", metric.key), metric.key
        with translation.override("en"):
            english = str(metric.label)
        with translation.override("zh-hans"):
            chinese = str(metric.label)
        assert english != chinese, metric.key  # the catalogue has it
        assert str(metric.definition)
        if metric.rule == "rate":
            assert get_metric(metric.numerator).rule != "rate" and get_metric(metric.denominator).rule != "rate"


def test_a_street_is_the_sum_of_its_communities(figures_world: World) -> None:
    w = figures_world
    staff = w.users["street_staff"]
    street = w.streets["mingshan"]
    parts = metric_values(user=staff, key="residents_served", region=street, group_by="region")
    by_community = {int(p.key): p.value for p in parts}
    assert by_community == {
        w.communities["dongyue"].region.pk: Decimal(5),
        w.communities["beichen"].region.pk: Decimal(7),
    }
    assert _total(staff, "residents_served", street) == sum(by_community.values()) == Decimal(12)
    assert _total(w.users["district_admin"], "residents_served", w.district) == Decimal(16)


def test_a_rate_is_the_ratio_of_the_sums_not_the_mean_of_the_rates(figures_world: World) -> None:
    w = figures_world
    admin = w.users["district_admin"]
    assert _total(admin, "satisfaction_rate", w.communities["dongyue"].region) == Decimal("50.00")
    assert _total(admin, "satisfaction_rate", w.communities["beichen"].region) == Decimal("100.00")
    # 名山街道: 2 satisfied of 3 rated = 66.67 %, not (50 + 100) / 2 = 75 %.
    point = metric_values(user=admin, key="satisfaction_rate", region=w.streets["mingshan"])[0]
    assert (point.value, point.numerator, point.denominator) == (Decimal("66.67"), 2, 3)


def test_a_period_counts_only_its_days_and_months_group_them(figures_world: World) -> None:
    w = figures_world
    admin = w.users["district_admin"]
    today = timezone.localdate()
    last_week = today - dt.timedelta(days=7)
    assert _total(admin, "deeds_done", w.district, date_from=last_week, date_to=today) == 3
    assert _total(admin, "deeds_done", w.district) == 4
    months = metric_values(user=admin, key="deeds_done", region=w.district, group_by="month")
    assert sum(p.value for p in months) == 4
    assert all(dt.date.fromisoformat(p.key).day == 1 for p in months)
    days = metric_values(user=admin, key="deeds_done", region=w.district, group_by="day", date_from=today)
    assert [(p.key, p.value) for p in days] == [(today.isoformat(), Decimal(3))]


def test_another_communitys_figures_are_refused(figures_world: World) -> None:
    w = figures_world
    with pytest.raises(ApplicationError) as refused:
        metric_values(user=w.users["community_staff"], key="deeds_done", region=w.communities["beichen"].region)
    assert refused.value.status == 403
    client = w.client("community_staff")
    url = reverse("metric-values")
    beichen = client.get(url, {"metric": "deeds_done", "region": w.communities["beichen"].region.pk})
    assert beichen.status_code == 404
    own = client.get(url, {"metric": "deeds_done", "region": w.communities["dongyue"].region.pk})
    assert own.status_code == 200
    assert own.json()["values"] == [{"key": "", "value": "2.00", "numerator": None, "denominator": None}]


def test_the_api_lists_definitions_and_refuses_bad_queries(figures_world: World) -> None:
    w = figures_world
    client = w.client("street_staff")
    listed = client.get(reverse("metric-list"))
    assert listed.status_code == 200
    by_key = {m["key"]: m for m in listed.json()}
    assert by_key["satisfaction_rate"]["rule"] == "rate"
    assert by_key["satisfaction_rate"]["numerator"] == "cases_satisfied"
    assert by_key["grids"]["stock"] is True
    url = reverse("metric-values")
    street = w.streets["mingshan"].pk
    unknown = client.get(url, {"metric": "nothing_at_all", "region": street})
    assert unknown.status_code == 400 and "metric" in unknown.json()["fields"]
    backwards = client.get(url, {"metric": "deeds_done", "region": street, "from": "2026-05-02", "to": "2026-05-01"})
    assert backwards.status_code == 400 and "to" in backwards.json()["fields"]
    stock_by_day = client.get(url, {"metric": "grids", "region": street, "group_by": "day"})
    assert stock_by_day.status_code == 400
    by_region = client.get(url, {"metric": "residents_served", "region": street, "group_by": "region"})
    assert {v["key"]: v["value"] for v in by_region.json()["values"]} == {
        str(w.communities["dongyue"].region.pk): "5.00",
        str(w.communities["beichen"].region.pk): "7.00",
    }


@pytest.mark.parametrize("persona", ["resident", "party_member", "department_staff", "grid_worker"])
def test_people_without_figures_get_403(figures_world: World, persona: str) -> None:
    assert figures_world.client(persona).get(reverse("metric-list")).status_code == 403
