"""The main path of a micro-wish through the services: submit, accept, claim, fulfil, rate."""

from __future__ import annotations

from typing import Any

import pytest

from grassroots.cases.enums import CaseStatus, EventKind, Satisfaction
from grassroots.cases.models import Case
from grassroots.cases.services import case_claim, case_fulfil, case_rate
from grassroots.core.errors import ApplicationError
from grassroots.notifications.models import Delivery, Notification
from tests.cases.factories import make_case
from tests.conftest import World


def test_wish_lifecycle_counts_a_deed_and_residents_served(
    cases_world: World, django_capture_on_commit_callbacks: Any
) -> None:
    w = cases_world
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(w, accept=True)
    assert case.status == CaseStatus.OPEN
    assert case.number and case.number.startswith("W")
    member = w.users["party_member"]
    case = case_claim(case=case, actor=member)
    assert case.status == CaseStatus.IN_PROGRESS
    assert case.claimer_person == member.person
    with django_capture_on_commit_callbacks(execute=True):
        case = case_fulfil(case=case, actor=member, note="换好了灯泡", residents_served=2)
    assert case.deed_at is not None and case.residents_served == 2
    case = case_rate(case=case, actor=w.users["resident"], stars=5, satisfaction=Satisfaction.SATISFIED)
    assert case.status == CaseStatus.CLOSED
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == [
        EventKind.SUBMITTED,
        EventKind.ROUTED,
        EventKind.ACCEPTED,
        EventKind.CLAIMED,
        EventKind.FULFILLED,
        EventKind.RATED,
    ]
    resident_inbox = Notification.objects.filter(recipient=w.users["resident"])
    assert resident_inbox.filter(verb="case_fulfilled").count() == 1
    assert Delivery.objects.filter(notification__recipient=w.users["resident"], status="recorded").exists()


def test_dissatisfied_rating_reopens_for_the_claimer(cases_world: World) -> None:
    w = cases_world
    member = w.users["party_member"]
    case = case_claim(case=make_case(w, accept=True), actor=member)
    case = case_fulfil(case=case, actor=member, note="做了", residents_served=1)
    case = case_rate(case=case, actor=w.users["resident"], stars=1, satisfaction=Satisfaction.DISSATISFIED)
    assert case.status == CaseStatus.IN_PROGRESS
    assert case.reopen_count == 1 and case.claimer_user == member
    # Re-fulfilling does not count a second deed.
    first_deed = case.deed_at
    case = case_fulfil(case=case, actor=member, note="重新做好了", residents_served=5)
    assert case.deed_at == first_deed and case.residents_served == 1


def test_member_of_another_community_cannot_claim(cases_world: World) -> None:
    w = cases_world
    case = make_case(w, community="beichen", accept=True)
    with pytest.raises(ApplicationError) as err:
        case_claim(case=case, actor=w.users["party_member"])
    assert err.value.code == "not_allowed"
    assert Case.objects.get(pk=case.pk).status == CaseStatus.OPEN


def test_actions_offered_follow_role_and_state(cases_world: World) -> None:
    from grassroots.cases.rules import actions_for

    w = cases_world
    resident, member, staff = w.users["resident"], w.users["party_member"], w.users["community_staff"]
    case = make_case(w)
    assert actions_for(resident, case) == {"cancel"}
    assert {"accept", "reject", "cancel", "escalate"} <= actions_for(staff, case)
    assert actions_for(w.users["sibling_staff"], case) == set()
    case = case_claim(case=make_case(w, accept=True), actor=member)
    assert actions_for(member, case) == {"fulfil", "release", "note"}
    assert actions_for(resident, case) == set()
    case = case_fulfil(case=case, actor=member, note="做好了", residents_served=1)
    assert actions_for(resident, case) == {"rate"}
    assert "rate" not in actions_for(member, case)
