"""Sign-ups under pressure (PostgreSQL only; SQLite serialises writers): the cap holds when 30 members press
at once, and one person pressing for two overlapping shifts at once gets exactly one."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.utils.translation import gettext

from grassroots.accounts.models import User
from grassroots.core.errors import ApplicationError
from grassroots.frontline.enums import HOLDING_STATUSES
from grassroots.frontline.models import Shift, ShiftBooking
from grassroots.frontline.services.campaigns import shift_signup
from tests.conftest import World
from tests.frontline.test_campaigns import NOW, at, make_campaign, make_place, make_shift, members_of_dongyue

MEMBERS = 30
PLACES = 10


@pytest.fixture
def postgres_only(db: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "Races only show on PostgreSQL: SQLite serialises writers (IMMEDIATE transactions). "
            "The CI runs the suite on PostgreSQL too (.ci/run)."
        )


@pytest.fixture
def reference_data(transactional_db: Any) -> None:
    """An earlier transactional test may have flushed the data migrations' rows: put the reference rows back."""
    from grassroots.people.data.ethnicities import ETHNICITIES
    from grassroots.people.models import Ethnicity

    Ethnicity.objects.bulk_create(
        [Ethnicity(code=code, name=name) for code, name in ETHNICITIES], ignore_conflicts=True
    )


def _press_together(jobs: list[Callable[[], Any]]) -> list[tuple[str, str, str]]:
    """Run each job in its own thread (its own connection), released together by a barrier."""
    barrier = threading.Barrier(len(jobs))
    results: list[tuple[str, str, str]] = []
    lock = threading.Lock()

    def run(job: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            try:
                booking = job()
                outcome = ("won", str(booking.shift_id), "")
            except ApplicationError as exc:
                outcome = ("lost", exc.code, exc.message)
            except Exception as exc:  # an unexpected error is a failure, reported below
                outcome = ("error", type(exc).__name__, str(exc))
            with lock:
                results.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=90)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_thirty_members_press_sign_up_for_ten_places(
    postgres_only: None, reference_data: None, duty_world: World
) -> None:
    w = duty_world
    campaign = make_campaign(w)
    shift = make_shift(w, campaign, start=at(2, 8), needed=PLACES)
    members = members_of_dongyue(w, MEMBERS)

    def press(user_pk: int) -> Callable[[], Any]:
        user = User.objects.select_related("person").get(pk=user_pk)
        target = Shift.objects.get(pk=shift.pk)
        return lambda: shift_signup(shift=target, actor=user, now=NOW)

    results = _press_together([press(m.pk) for m in members])
    assert len(results) == MEMBERS, results
    winners = [r for r in results if r[0] == "won"]
    losers = [r for r in results if r[0] == "lost"]
    assert len(winners) == PLACES, results
    assert len(losers) == MEMBERS - PLACES, results
    assert {(code, message) for _, code, message in losers} == {("shift_full", gettext("This shift is full."))}
    shift.refresh_from_db()
    assert shift.booked == PLACES
    assert ShiftBooking.objects.filter(shift=shift, status__in=HOLDING_STATUSES).count() == PLACES
    assert ShiftBooking.objects.filter(shift=shift).values("person").distinct().count() == PLACES


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_person_pressing_for_overlapping_shifts_gets_exactly_one(
    postgres_only: None, reference_data: None, duty_world: World
) -> None:
    w = duty_world
    campaign = make_campaign(w)
    street = make_campaign(w, region=w.streets["mingshan"], actor="street_staff", title="名山街道大排查")
    place = make_place(w, campaign)
    shifts = [
        make_shift(w, campaign, start=at(3, 8), hours=4, place=place),
        make_shift(w, campaign, start=at(3, 9), hours=4, place=place),
        make_shift(w, street, start=at(3, 10), hours=4, actor="street_staff"),
        make_shift(w, street, start=at(3, 11), hours=2, actor="street_staff"),
    ]
    member_pk = w.users["party_member"].pk

    def press(shift_pk: int) -> Callable[[], Any]:
        user = User.objects.select_related("person").get(pk=member_pk)
        target = Shift.objects.get(pk=shift_pk)
        return lambda: shift_signup(shift=target, actor=user, now=NOW)

    results = _press_together([press(s.pk) for s in shifts])
    assert len(results) == len(shifts), results
    winners = [r for r in results if r[0] == "won"]
    assert len(winners) == 1, results
    assert {r[1] for r in results if r[0] == "lost"} == {"already_booked"}, results
    person = w.users["party_member"].person
    held = ShiftBooking.objects.filter(person=person, status__in=HOLDING_STATUSES)
    assert held.count() == 1 and str(held.get().shift_id) == winners[0][1]
    assert sum(Shift.objects.filter(pk__in=[s.pk for s in shifts]).values_list("booked", flat=True)) == 1
