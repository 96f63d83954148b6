"""Roll-ups equal a recomputation from the records after any sequence of writes (property-based, hypothesis).

Each example runs a random sequence of creates, updates, deletes, moves between regions and status changes on
cases, on the persons behind them (the ethnic-group dimension) and on grid-worker roles (a distinct count),
through the services and through plain model saves and tracked ``update()``s, then checks every cell of every
figure against a GROUP BY over the source rows, and the figures a user reads against the raw computation.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grassroots.cases.enums import CaseKind
from grassroots.cases.models import Case
from grassroots.cockpit.compute import metric_values
from grassroots.cockpit.raw import raw_values
from grassroots.cockpit.rollups.engine import tracking
from grassroots.cockpit.rollups.rebuild import verify
from grassroots.people.models import Ethnicity, PersonRole
from tests.cases.factories import make_case
from tests.conftest import World

pytestmark = pytest.mark.usefixtures("midday")

COMMUNITIES = ("dongyue", "beichen", "jiangbin", "nanguan")
CATEGORIES = ("elderly", "youth", "health")
KINDS = (CaseKind.MICRO_WISH, CaseKind.DIFFICULTY)
RATINGS = ("satisfied", "basic", "dissatisfied")
CHECKED = ("cases_submitted", "deeds_done", "residents_served", "satisfaction_rate", "grid_workers")


class Rollback(Exception):
    """Ends an example: everything it wrote is rolled back."""


community = st.sampled_from(COMMUNITIES)
pick = st.integers(min_value=0, max_value=50)  # which existing case (modulo how many there are)
operation = st.one_of(
    st.tuples(st.just("create"), community, st.sampled_from(KINDS), st.sampled_from(CATEGORIES)),
    st.tuples(st.just("deed"), pick, st.integers(0, 40), st.integers(1, 9)),
    st.tuples(st.just("rate"), pick, st.sampled_from(RATINGS), st.booleans(), st.integers(0, 40)),
    st.tuples(st.just("unrate"), pick),
    st.tuples(st.just("move"), pick, community),
    st.tuples(st.just("recategorise"), pick, st.sampled_from(CATEGORIES)),
    st.tuples(st.just("claim_update"), pick, st.integers(0, 40)),
    st.tuples(st.just("delete"), pick),
    st.tuples(st.just("ethnicity"), pick, st.sampled_from(("01", "02", "03"))),
    st.tuples(st.just("grid_worker"), community, st.integers(0, 2)),
    st.tuples(st.just("drop_role"), pick),
)


def _ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def _nth(model: Any, n: int) -> Any:
    rows = list(model.objects.order_by("pk")[:60])
    return rows[n % len(rows)] if rows else None


def _run(w: World, op: tuple[Any, ...]) -> None:
    name = op[0]
    if name == "create":
        make_case(w, community=op[1], kind=op[2], category=op[3], actor=w.users["district_admin"], channel="walk_in")
        return
    if name == "grid_worker":
        c = w.communities[op[1]]
        PersonRole.objects.create(person=c.persons[op[2] % len(c.persons)], kind="grid_worker", grid=c.grid)
        return
    if name == "drop_role":
        role = _nth(PersonRole, op[1])
        if role is not None:
            role.delete()
        return
    case = _nth(Case, op[1])
    if case is None:
        return
    if name == "deed":
        case.deed_at, case.residents_served = _ago(op[2]), op[3]
    elif name == "rate":
        case.satisfaction, case.rating_resolved, case.rated_at = op[2], op[3], _ago(op[4])
    elif name == "unrate":
        case.satisfaction, case.rating_resolved, case.rated_at = "", None, None
    elif name == "move":
        target = w.communities[op[2]]
        case.copy_scope_from(target.compound)
        case.grid = target.grid
    elif name == "recategorise":
        from grassroots.catalogue.models import ServiceCategory

        case.category = ServiceCategory.objects.get(code=op[2])
    elif name == "claim_update":
        with tracking(Case, Q(pk=case.pk)):
            Case.objects.filter(pk=case.pk).update(claimed_at=_ago(op[2]), status="in_progress")
        return
    elif name == "delete":
        case.delete()
        return
    elif name == "ethnicity":
        person = case.requester
        if person is None:
            return
        person.ethnicity = Ethnicity.objects.get(code=op[2])
        person.save()
        return
    case.save()


def _same_as_raw(w: World) -> None:
    admin = w.users["district_admin"]
    places = [w.district, *w.streets.values(), *(c.region for c in w.communities.values())]
    for key in CHECKED:
        for place in places:
            shapes = ("total", "region") if key == "grid_workers" else ("total", "month", "region")
            for group_by in shapes if place.kind != "community" else ("total",):
                kept = metric_values(user=admin, key=key, region=place, group_by=group_by)  # type: ignore[arg-type]
                raw = raw_values(user=admin, key=key, region=place, group_by=group_by)  # type: ignore[arg-type]
                assert [(p.key, p.value, p.numerator) for p in kept] == [(p.key, p.value, p.numerator) for p in raw], (
                    key,
                    place.name,
                    group_by,
                )


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(operation, min_size=1, max_size=14))
def test_rollups_equal_a_recomputation_after_any_sequence_of_writes(
    cases_world: World, ops: list[tuple[Any, ...]]
) -> None:
    w = cases_world
    Ethnicity.objects.get_or_create(code="02", defaults={"name": "蒙古族"})
    Ethnicity.objects.get_or_create(code="03", defaults={"name": "回族"})
    try:
        with transaction.atomic():
            for op in ops:
                with transaction.atomic():
                    _run(w, op)
            assert verify() == []
            _same_as_raw(w)
            raise Rollback
    except Rollback:
        pass


def test_rates_come_from_summed_parts_in_the_rollups(cases_world: World) -> None:
    w = cases_world
    for community, rating in (("dongyue", "satisfied"), ("dongyue", "dissatisfied"), ("beichen", "satisfied")):
        case = make_case(w, community=community, actor=w.users["district_admin"], channel="walk_in")
        case.rated_at, case.satisfaction = timezone.now(), rating
        case.save()
    point = metric_values(user=w.users["street_staff"], key="satisfaction_rate", region=w.streets["mingshan"])[0]
    assert (point.numerator, point.denominator, point.value) == (2, 3, Decimal("66.67"))
