"""Claims: exactly one of many simultaneous presses wins (proved on PostgreSQL); release before, not after,
the deadline."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.utils.translation import gettext

from grassroots.accounts.enums import Role
from grassroots.accounts.models import User
from grassroots.accounts.services import role_assign, user_create
from grassroots.cases.enums import CaseStatus, ClaimOutcome, EventKind
from grassroots.cases.models import Case, CaseClaim, CaseEvent
from grassroots.cases.selectors import claimable_for, wish_wall_public
from grassroots.cases.services import case_claim, case_release
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditEvent
from grassroots.notifications.models import Notification
from tests.cases.factories import make_case
from tests.conftest import PASSWORD, World
from tests.factories import make_person

SH = ZoneInfo("Asia/Shanghai")
CLAIMERS = 20


@pytest.fixture
def postgres_only(db: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "Races only show on PostgreSQL: SQLite serialises writers (IMMEDIATE transactions). "
            "The CI runs the suite on PostgreSQL too (.ci/run)."
        )


@pytest.fixture
def reference_data(transactional_db: Any) -> None:
    """An earlier transactional test may have flushed the data migrations' rows: put the ethnic groups back."""
    from grassroots.people.data.ethnicities import ETHNICITIES
    from grassroots.people.models import Ethnicity

    Ethnicity.objects.bulk_create(
        [Ethnicity(code=code, name=name) for code, name in ETHNICITIES], ignore_conflicts=True
    )


def _members_of_dongyue(world: World, n: int) -> list[User]:
    dy = world.communities["dongyue"]
    users = []
    for i in range(n):
        person = make_person(name=f"东岳党员{i:02d}", household=dy.household)
        user = user_create(actor=None, username=f"member{i:02d}", password=PASSWORD, person=person)
        role_assign(actor=None, user=user, role=Role.PARTY_MEMBER, region=dy.region)
        users.append(user)
    return users


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_members_press_claim_at_once_and_exactly_one_wins(
    postgres_only: None, reference_data: None, cases_world: World
) -> None:
    w = cases_world
    case = make_case(w, accept=True)
    assert case.status == CaseStatus.OPEN
    members = _members_of_dongyue(w, CLAIMERS)
    barrier = threading.Barrier(CLAIMERS)
    results: list[tuple[str, str, str]] = []
    lock = threading.Lock()

    def press(user_pk: int) -> None:
        try:
            user = User.objects.select_related("person").get(pk=user_pk)
            target = Case.objects.get(pk=case.pk)
            barrier.wait(timeout=30)
            try:
                claimed = case_claim(case=target, actor=user)
                outcome = ("won", str(claimed.claimer_user_id), "")
            except ApplicationError as exc:
                outcome = ("lost", exc.code, exc.message)
            except Exception as exc:  # an unexpected error is a failure, reported below
                outcome = ("error", type(exc).__name__, str(exc))
            with lock:
                results.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(m.pk,)) for m in members]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(results) == CLAIMERS, results
    winners = [r for r in results if r[0] == "won"]
    losers = [r for r in results if r[0] == "lost"]
    assert len(winners) == 1, results
    assert len(losers) == CLAIMERS - 1, results
    assert {code for _, code, _ in losers} <= {"already_claimed", "invalid_state"}, results
    assert all(message for _, _, message in losers)
    clear = gettext("Someone has just claimed this; thank you all the same.")
    assert {message for _, code, message in losers if code == "already_claimed"} <= {clear}

    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    assert str(case.claimer_user_id) == winners[0][1]
    assert case.claimer_user is not None and case.claimer_person_id == case.claimer_user.person_id
    assert CaseClaim.objects.filter(case=case).count() == 1
    assert CaseClaim.objects.get(case=case).claimed_by_id == case.claimer_user_id
    assert CaseEvent.objects.filter(case=case, kind=EventKind.CLAIMED).count() == 1


def test_a_second_claim_gets_a_clear_refusal_and_changes_nothing(cases_world: World) -> None:
    """The same rule in sequence, on any database: the later press is told someone was first."""
    w = cases_world
    case = make_case(w, accept=True)
    member = w.users["party_member"]
    case_claim(case=case, actor=member)
    other = _members_of_dongyue(w, 1)[0]
    audit_before = AuditEvent.objects.count()
    with pytest.raises(ApplicationError) as err:
        case_claim(case=case, actor=other)  # ``case`` is the stale object that still says OPEN
    assert err.value.code == "already_claimed" and err.value.status == 409
    assert err.value.message
    case.refresh_from_db()
    assert case.claimer_user == member
    assert CaseClaim.objects.filter(case=case).count() == 1
    assert CaseEvent.objects.filter(case=case, kind=EventKind.CLAIMED).count() == 1
    assert AuditEvent.objects.count() == audit_before


# Release


def _claimed_wish(world: World, when: dt.datetime) -> Case:
    with time_machine.travel(when, tick=False):
        case = make_case(world, accept=True)  # wish policy: resolve within 120 working hours
        return case_claim(case=case, actor=world.users["party_member"])


def test_release_before_the_deadline_puts_the_wish_back_on_the_wall(cases_world: World) -> None:
    w = cases_world
    member = w.users["party_member"]
    case = _claimed_wish(w, dt.datetime(2026, 6, 1, 10, tzinfo=SH))
    claim = CaseClaim.objects.get(case=case)
    assert claim.release_by == case.resolution_due
    community_id = w.communities["dongyue"].region.pk
    assert case not in wish_wall_public(community_id=community_id)
    assert case.resolution_due is not None
    with time_machine.travel(case.resolution_due - dt.timedelta(minutes=1), tick=False):
        released = case_release(case=case, actor=member, reason="临时出差，无法完成")
    assert released.status == CaseStatus.OPEN
    assert released.claimer_user is None and released.claimer_person is None and released.claimed_at is None
    claim.refresh_from_db()
    assert claim.outcome == ClaimOutcome.RELEASED and claim.release_reason == "临时出差，无法完成"
    assert CaseEvent.objects.filter(case=case, kind=EventKind.RELEASED).count() == 1
    assert list(wish_wall_public(community_id=community_id)) == [released]
    assert released in claimable_for(user=w.users["party_member"])
    # Someone else can claim it now.
    other = _members_of_dongyue(w, 1)[0]
    again = case_claim(case=released, actor=other)
    assert again.claimer_user == other
    assert CaseClaim.objects.filter(case=case).count() == 2
    assert CaseClaim.objects.filter(case=case, outcome=ClaimOutcome.ACTIVE).count() == 1


def test_release_after_the_deadline_is_refused_and_changes_nothing(cases_world: World) -> None:
    w = cases_world
    member = w.users["party_member"]
    case = _claimed_wish(w, dt.datetime(2026, 6, 1, 10, tzinfo=SH))
    counts = (AuditEvent.objects.count(), Notification.objects.count(), CaseEvent.objects.count())
    assert case.resolution_due is not None
    with time_machine.travel(case.resolution_due, tick=False), pytest.raises(ApplicationError) as err:
        case_release(case=case, actor=member, reason="来不及了")
    assert err.value.code == "release_too_late" and err.value.status == 409
    assert "时限" in err.value.message  # "the deadline has passed", in the default language
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS and case.claimer_user == member
    assert CaseClaim.objects.get(case=case).outcome == ClaimOutcome.ACTIVE
    assert (AuditEvent.objects.count(), Notification.objects.count(), CaseEvent.objects.count()) == counts
    assert not wish_wall_public(community_id=w.communities["dongyue"].region.pk).exists()


def test_release_needs_a_reason_and_the_claimer(cases_world: World) -> None:
    w = cases_world
    case = _claimed_wish(w, dt.datetime(2026, 6, 1, 10, tzinfo=SH))
    with pytest.raises(ApplicationError) as err:
        case_release(case=case, actor=w.users["party_member"], reason="  ")
    assert err.value.code == "reason_required" and "reason" in err.value.fields
    with pytest.raises(ApplicationError) as err:
        case_release(case=case, actor=_members_of_dongyue(w, 1)[0], reason="不是我的")
    assert err.value.code == "not_allowed"
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
