"""Whistle services: blowing (numbers, deadlines, refusals that write nothing), the departments' answers,
rating, closing (with the case it was blown for) and cancelling."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from grassroots.accounts.enums import Role
from grassroots.accounts.models import User
from grassroots.accounts.services import role_assign, user_create
from grassroots.cases.enums import CaseStatus, EventKind
from grassroots.cases.models import CaseEvent
from grassroots.cases.services import case_cancel
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditEvent
from grassroots.notifications.models import Notification
from grassroots.organizations.models import Organization
from grassroots.territory.services import region_create
from grassroots.whistle.enums import CallStatus, EscalationLevel, WhistleEventKind, WhistleStatus
from grassroots.whistle.models import Whistle, WhistleCall, WhistleEvent
from grassroots.whistle.services import (
    CallInput,
    call_acknowledge,
    call_feedback,
    call_rate,
    call_report,
    whistle_blow,
    whistle_cancel,
    whistle_close,
)
from tests.cases.factories import make_case
from tests.conftest import PASSWORD, World
from tests.whistle.conftest import answer, at, call_of, make_whistle, png

pytestmark = pytest.mark.usefixtures("_media")

NOW = at(2026, 3, 10, 9)


def counts() -> tuple[int, ...]:
    return (
        Whistle.objects.count(),
        WhistleCall.objects.count(),
        WhistleEvent.objects.count(),
        AuditEvent.objects.count(),
        Notification.objects.count(),
        CaseEvent.objects.count(),
    )


def recipients(verb: str) -> set[str]:
    return set(Notification.objects.filter(verb=verb).values_list("recipient__username", flat=True))


def refused(fn: Callable[[], Any], *, code: str, status: int = 400) -> ApplicationError:
    """Run ``fn``, expect an ``ApplicationError`` and that nothing at all was written."""
    before = counts()
    with pytest.raises(ApplicationError) as exc:
        fn()
    assert (exc.value.code, exc.value.status) == (code, status), exc.value.fields
    assert counts() == before
    return exc.value


# Blowing


def test_blow_numbers_by_month_sets_deadlines_and_tells_the_departments(whistle_world: World) -> None:
    w = whistle_world
    first = make_whistle(w, departments=("department", "other_department"), now=NOW)
    second = make_whistle(w, urgency="urgent", now=NOW + dt.timedelta(hours=1))
    april = make_whistle(w, now=at(2026, 4, 1, 0, 5))
    assert (first.number, second.number, april.number) == ("CS2026030001", "CS2026030002", "CS2026040001")

    assert (first.status, first.region, first.raised_by, first.community_id) == (
        WhistleStatus.OPEN,
        w.communities["dongyue"].region,
        w.users["community_staff"],
        w.communities["dongyue"].region.pk,
    )
    calls = list(first.calls.order_by("id"))
    assert [c.department for c in calls] == [w.duty.department, w.duty.other_department]
    for c in calls:
        assert c.status == CallStatus.CALLED
        assert c.called_at == NOW
        assert c.report_due == NOW + dt.timedelta(minutes=1440) == c.next_escalation_at
        assert c.handle_due == first.handle_due == NOW + dt.timedelta(hours=72)
        assert c.escalation_level == EscalationLevel.NONE
        assert c.community_id == first.community_id
    urgent = second.calls.get()
    assert urgent.report_due == NOW + dt.timedelta(hours=1, minutes=30)

    event = WhistleEvent.objects.get(whistle=first)
    assert event.kind == WhistleEventKind.BLOWN and event.actor == w.users["community_staff"]
    assert event.data["departments"] == [w.duty.department.pk, w.duty.other_department.pk]
    assert (
        AuditEvent.objects.filter(action="create", target_id=str(first.pk), target_repr__startswith="CS").count() == 1
    )
    # each department's own staff, by SMS too; nobody else
    assert recipients("whistle_called") == {"department_staff", "other_department_staff"}
    told = Notification.objects.filter(verb="whistle_called", recipient=w.users["other_department_staff"])
    assert told.count() == 1 and first.number in told.get().title
    assert told.get().deliveries.filter(channel="sms").exists()


def test_street_staff_and_district_admin_may_blow_where_their_anchor_reaches(whistle_world: World) -> None:
    w = whistle_world
    street = make_whistle(w, actor="street_staff", region=w.streets["mingshan"], now=NOW)
    assert (street.street_id, street.community_id) == (w.streets["mingshan"].pk, None)
    in_community = make_whistle(w, actor="street_staff", region="beichen", now=NOW)
    assert in_community.community_id == w.communities["beichen"].region.pk
    anywhere = make_whistle(w, actor="district_admin", region="nanguan", now=NOW)
    assert anywhere.street_id == w.streets["nanjiang"].pk


@pytest.mark.parametrize(
    ("actor", "region"),
    [
        ("sibling_staff", "dongyue"),  # another community
        ("community_staff", "street"),  # a community worker for the whole street
        ("street_staff", "nanguan"),  # a community of another street
        ("department_staff", "dongyue"),  # departments answer whistles, they do not blow them
        ("grid_worker", "dongyue"),
        ("party_member", "dongyue"),
    ],
)
def test_blowing_outside_the_actors_scope_is_refused(whistle_world: World, actor: str, region: str) -> None:
    w = whistle_world
    place = w.streets["mingshan"] if region == "street" else w.communities[region].region
    refused(lambda: make_whistle(w, actor=actor, region=place, now=NOW), code="not_allowed", status=403)


def _other_district_department(w: World) -> Organization:
    other = region_create(actor=None, kind="district", name="福绵区", code="450903")
    return Organization.objects.create(kind="department", name="福绵区城市管理局", code="D-FM", region=other)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"calls": []}, "calls"),
        ({"calls": "duplicate"}, "calls"),
        ({"calls": "branch"}, "calls"),
        ({"calls": "squad"}, "calls"),
        ({"calls": "other_district"}, "calls"),
        ({"calls": "no_task"}, "calls"),
        ({"handle_due": NOW - dt.timedelta(minutes=1)}, "handle_due"),
        ({"handle_due": NOW}, "handle_due"),
        ({"handle_due": NOW + dt.timedelta(hours=23)}, "handle_due"),  # before the normal 24 h report deadline
        ({"urgency": "urgent", "handle_due": NOW + dt.timedelta(minutes=20)}, "handle_due"),
        ({"title": "  "}, "title"),
        ({"title": "长" * 101}, "title"),
        ({"description": ""}, "description"),
        ({"urgency": "whenever"}, "urgency"),
        ({"region": "compound"}, "region"),
    ],
)
def test_bad_input_is_refused_with_a_field_error_and_writes_nothing(
    whistle_world: World, change: dict[str, Any], field: str
) -> None:
    w = whistle_world
    d = w.duty
    args: dict[str, Any] = {
        "actor": w.users["community_staff"],
        "region": w.communities["dongyue"].region,
        "title": "东岳花园污水外溢",
        "description": "污水外溢",
        "urgency": "normal",
        "handle_due": NOW + dt.timedelta(days=3),
        "calls": [CallInput(department=d.department, task="到场疏通")],
        "now": NOW,
    }
    calls = change.pop("calls", None)
    if calls == "duplicate":
        change["calls"] = [CallInput(d.department, "到场"), CallInput(d.department, "再到场")]
    elif calls == "branch":
        change["calls"] = [CallInput(d.department, "到场"), CallInput(d.unit_branch, "到场")]
    elif calls == "squad":
        change["calls"] = [CallInput(d.squad, "到场")]
    elif calls == "other_district":
        change["calls"] = [CallInput(_other_district_department(w), "到场")]
    elif calls == "no_task":
        change["calls"] = [CallInput(d.department, "  ")]
    elif calls is not None:
        change["calls"] = calls
    if change.get("region") == "compound":
        change["region"] = w.communities["dongyue"].compound
    args.update(change)
    error = refused(lambda: whistle_blow(**args), code="whistle_invalid")
    assert list(error.fields) == [field]
    assert all(error.fields[field])


def test_units_enterprises_and_property_companies_may_be_called(whistle_world: World) -> None:
    w = whistle_world
    d = w.duty
    company = Organization.objects.create(
        kind="property_company", name="东岳物业", code="P-DY", region=w.communities["dongyue"].region
    )
    whistle = whistle_blow(
        actor=w.users["community_staff"],
        region=w.communities["dongyue"].region,
        title="停车难",
        description="小区停车难",
        urgency="normal",
        handle_due=NOW + dt.timedelta(days=5),
        calls=[CallInput(d.unit, "协调车位"), CallInput(d.other_unit, "开放车位"), CallInput(company, "划线")],
        now=NOW,
    )
    assert whistle.calls.count() == 3


# From a case


def test_a_whistle_for_a_case_marks_its_timeline_and_closes_it_with_the_whistle(whistle_world: World) -> None:
    w = whistle_world
    case = make_case(w, accept=True, kind="difficulty", category="environment", description="楼道污水外溢，多次反映")
    assert case.status in (CaseStatus.OPEN, CaseStatus.IN_PROGRESS)
    whistle = make_whistle(w, departments=("department", "other_department"), origin_case=case)
    assert whistle.origin_case == case
    marked = CaseEvent.objects.get(case=case, kind=EventKind.WHISTLED)
    assert marked.data == {"whistle": whistle.number}
    assert "区城市管理局" in marked.note and "区住房和城乡建设局" in marked.note
    case.refresh_from_db()
    assert case.next_escalation_at is None

    for name in ("department", "other_department"):
        answer(w, call_of(whistle, name))
    whistle_close(whistle=whistle, actor=w.users["community_staff"], note="管道已疏通")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    closed = CaseEvent.objects.get(case=case, kind=EventKind.CLOSED)
    assert closed.data == {"whistle": whistle.number} and "管道已疏通" in closed.note


def test_a_whistle_for_an_ended_case_or_a_case_out_of_reach_is_refused(whistle_world: World) -> None:
    w = whistle_world
    ended = make_case(w, accept=True, kind="difficulty", category="environment")
    case_cancel(case=ended, actor=w.users["community_staff"], reason="重复")
    error = refused(lambda: make_whistle(w, origin_case=ended), code="whistle_invalid")
    assert list(error.fields) == ["origin_case"]

    sibling_case = make_case(w, community="beichen", accept=True, kind="difficulty", category="environment")
    refused(lambda: make_whistle(w, origin_case=sibling_case), code="not_allowed", status=403)
    # street staff reach the 北辰 case, but not through a whistle of 东岳社区
    refused(lambda: make_whistle(w, actor="street_staff", origin_case=sibling_case), code="not_allowed", status=403)
    ok = make_whistle(w, actor="street_staff", region="beichen", origin_case=sibling_case)
    assert ok.origin_case == sibling_case


# Answering


def test_full_lifecycle_with_on_time_flags_notifications_events_and_audit(whistle_world: World) -> None:
    w = whistle_world
    staff, dept, other = w.users["community_staff"], w.users["department_staff"], w.users["other_department_staff"]
    whistle = make_whistle(w, departments=("department", "other_department"), handle_hours=48, now=NOW)
    mine, theirs = call_of(whistle, "department"), call_of(whistle, "other_department")

    mine = call_acknowledge(call=mine, actor=dept, now=NOW + dt.timedelta(minutes=5))
    assert (mine.status, mine.acknowledged_at) == (CallStatus.ACKNOWLEDGED, NOW + dt.timedelta(minutes=5))
    photo = png()
    mine = call_report(
        call=mine, actor=dept, on_site_people="张队长等3人", note="已到场", photo=photo, now=NOW + dt.timedelta(hours=2)
    )
    assert (mine.status, mine.reported_on_time, mine.reported_by, mine.next_escalation_at) == (
        CallStatus.REPORTED,
        True,
        dept,
        None,
    )
    assert mine.report_photo.name.endswith(".png")
    assert mine.report_photo.storage.exists(mine.report_photo.name)
    assert recipients("whistle_reported") == {"community_staff"}

    with pytest.raises(ApplicationError) as exc:
        whistle_close(whistle=whistle, actor=staff, note="完成")
    assert (exc.value.code, exc.value.status) == ("calls_pending", 409)
    assert "区住房和城乡建设局" in exc.value.message and "区城市管理局" in exc.value.message

    mine = call_feedback(call=mine, actor=dept, note="已疏通", now=NOW + dt.timedelta(hours=30))
    assert (mine.status, mine.handled_on_time) == (CallStatus.FED_BACK, True)
    assert recipients("whistle_fed_back") == {"community_staff"}

    # the other department comes late (after 24 h) and feeds back after the 48 h deadline, without acknowledging
    theirs = call_report(call=theirs, actor=other, on_site_people="李工", now=NOW + dt.timedelta(hours=25))
    assert theirs.reported_on_time is False and theirs.report_photo.name in ("", None)
    theirs = call_feedback(call=theirs, actor=other, note="已加固", now=NOW + dt.timedelta(hours=49))
    assert theirs.handled_on_time is False

    mine = call_rate(call=mine, actor=staff, rating="satisfied", now=NOW + dt.timedelta(hours=50))
    assert (mine.status, mine.rating, mine.rating_reason) == (CallStatus.RATED, "satisfied", "")
    assert recipients("whistle_rated") == {"department_staff"}

    whistle = whistle_close(whistle=whistle, actor=staff, note="问题已解决", now=NOW + dt.timedelta(hours=51))
    assert (whistle.status, whistle.closed_by, whistle.close_note) == (WhistleStatus.CLOSED, staff, "问题已解决")
    # rating after close is allowed, once
    theirs = call_rate(call=theirs, actor=staff, rating="basic", reason="来得晚", now=NOW + dt.timedelta(hours=52))
    assert theirs.status == CallStatus.RATED
    with pytest.raises(ApplicationError) as exc:
        call_rate(call=theirs, actor=staff, rating="satisfied")
    assert (exc.value.code, exc.value.status) == ("already_rated", 409)

    kinds = list(WhistleEvent.objects.filter(whistle=whistle).values_list("kind", flat=True))
    assert kinds == [
        WhistleEventKind.BLOWN,
        WhistleEventKind.ACKNOWLEDGED,
        WhistleEventKind.REPORTED,
        WhistleEventKind.REPORTED,
        WhistleEventKind.FED_BACK,
        WhistleEventKind.FED_BACK,
        WhistleEventKind.RATED,
        WhistleEventKind.CLOSED,
        WhistleEventKind.RATED,
    ]
    # one audit row per transition: 1 blow + 8 afterwards
    ids = [str(whistle.pk)]
    call_ids = [str(mine.pk), str(theirs.pk)]
    assert AuditEvent.objects.filter(target_id__in=ids, target_type__model="whistle").count() == 2
    assert AuditEvent.objects.filter(target_id__in=call_ids, target_type__model="whistlecall").count() == 7


def test_only_the_called_departments_staff_or_a_district_admin_answer(whistle_world: World) -> None:
    w = whistle_world
    whistle = make_whistle(w, now=NOW)
    call = call_of(whistle)
    for persona in ("other_department_staff", "community_staff", "street_staff", "sibling_staff", "unit_admin"):
        refused(
            lambda p=persona: call_report(call=call, actor=w.users[p], on_site_people="某人", now=NOW),  # type: ignore[misc]
            code="not_allowed",
            status=403,
        )
        refused(
            lambda p=persona: call_acknowledge(call=call, actor=w.users[p], now=NOW), code="not_allowed", status=403
        )  # type: ignore[misc]
    call = call_report(call=call, actor=w.users["district_admin"], on_site_people="区值班", now=NOW)
    assert call.status == CallStatus.REPORTED


def test_answer_refusals_write_nothing(whistle_world: World, settings: Any) -> None:
    w = whistle_world
    dept = w.users["department_staff"]
    call = call_of(make_whistle(w, now=NOW))

    error = refused(lambda: call_report(call=call, actor=dept, on_site_people="  ", now=NOW), code="whistle_invalid")
    assert list(error.fields) == ["on_site_people"]
    fake = SimpleUploadedFile("site.png", b"not an image at all", content_type="image/png")
    error = refused(
        lambda: call_report(call=call, actor=dept, on_site_people="张", photo=fake, now=NOW), code="whistle_invalid"
    )
    assert list(error.fields) == ["photo"]
    settings.CASES_PHOTO_MAX_BYTES = 10
    error = refused(
        lambda: call_report(call=call, actor=dept, on_site_people="张", photo=png(), now=NOW), code="whistle_invalid"
    )
    assert list(error.fields) == ["photo"]

    # feedback only after reporting on site
    error = refused(
        lambda: call_feedback(call=call, actor=dept, note="已处理", now=NOW), code="report_first", status=409
    )
    call = call_report(call=call, actor=dept, on_site_people="张", now=NOW)
    error = refused(lambda: call_feedback(call=call, actor=dept, note=" ", now=NOW), code="whistle_invalid")
    assert list(error.fields) == ["note"]
    refused(lambda: call_acknowledge(call=call, actor=dept, now=NOW), code="invalid_state", status=409)
    refused(lambda: call_report(call=call, actor=dept, on_site_people="张", now=NOW), code="invalid_state", status=409)


def test_rating_rules(whistle_world: World) -> None:
    w = whistle_world
    staff = w.users["community_staff"]
    call = call_of(make_whistle(w, now=NOW))
    refused(lambda: call_rate(call=call, actor=staff, rating="satisfied"), code="invalid_state", status=409)
    call = answer(w, call, feedback=False)
    refused(lambda: call_rate(call=call, actor=staff, rating="satisfied"), code="invalid_state", status=409)
    call = call_feedback(call=call, actor=w.users["department_staff"], note="好了")

    for rating in ("basic", "dissatisfied"):
        error = refused(lambda r=rating: call_rate(call=call, actor=staff, rating=r), code="whistle_invalid")  # type: ignore[misc]
        assert list(error.fields) == ["reason"]
    error = refused(lambda: call_rate(call=call, actor=staff, rating="great"), code="whistle_invalid")
    assert list(error.fields) == ["rating"]
    for persona in ("department_staff", "sibling_staff", "grid_worker"):
        refused(
            lambda p=persona: call_rate(call=call, actor=w.users[p], rating="satisfied"), code="not_allowed", status=403
        )  # type: ignore[misc]
    call = call_rate(call=call, actor=w.users["street_staff"], rating="dissatisfied", reason="处理不彻底")
    assert (call.status, call.rating, call.rating_reason) == (CallStatus.RATED, "dissatisfied", "处理不彻底")


def test_close_rules(whistle_world: World) -> None:
    w = whistle_world
    whistle = make_whistle(w, now=NOW)
    answer(w, call_of(whistle))
    refused(lambda: whistle_close(whistle=whistle, actor=w.users["community_staff"], note=""), code="whistle_invalid")
    for persona in ("sibling_staff", "department_staff", "grid_worker"):
        refused(
            lambda p=persona: whistle_close(whistle=whistle, actor=w.users[p], note="好"),  # type: ignore[misc]
            code="not_allowed",
            status=403,
        )
    whistle_close(whistle=whistle, actor=w.users["street_staff"], note="好")
    refused(
        lambda: whistle_close(whistle=whistle, actor=w.users["community_staff"], note="再关"),
        code="invalid_state",
        status=409,
    )


def test_cancel_calls_the_departments_off(whistle_world: World) -> None:
    w = whistle_world
    staff = w.users["community_staff"]
    whistle = make_whistle(w, departments=("department", "other_department"), now=NOW)
    answer(w, call_of(whistle, "other_department"))
    refused(lambda: whistle_cancel(whistle=whistle, actor=staff, reason=" "), code="whistle_invalid")
    refused(
        lambda: whistle_cancel(whistle=whistle, actor=w.users["sibling_staff"], reason="误报"),
        code="not_allowed",
        status=403,
    )
    whistle = whistle_cancel(whistle=whistle, actor=staff, reason="误报", now=NOW + dt.timedelta(hours=1))
    assert whistle.status == WhistleStatus.CANCELLED
    mine, theirs = call_of(whistle, "department"), call_of(whistle, "other_department")
    assert (mine.status, mine.next_escalation_at) == (CallStatus.CANCELLED, None)
    assert theirs.status == CallStatus.FED_BACK  # what was done stays on record
    assert recipients("whistle_cancelled") == {"department_staff"}
    refused(lambda: whistle_close(whistle=whistle, actor=staff, note="好"), code="invalid_state", status=409)
    refused(lambda: call_rate(call=theirs, actor=staff, rating="satisfied"), code="invalid_state", status=409)
    refused(
        lambda: call_report(call=mine, actor=w.users["department_staff"], on_site_people="张"),
        code="invalid_state",
        status=409,
    )


def test_a_whistle_blown_now_uses_the_clock_and_settings(whistle_world: World, settings: Any) -> None:
    settings.WHISTLE_REPORT_MINUTES = {"urgent": 15, "normal": 600}
    before = timezone.now()
    whistle = make_whistle(whistle_world, urgency="urgent")
    call = whistle.calls.get()
    assert before <= call.called_at <= timezone.now()
    assert call.report_due == call.called_at + dt.timedelta(minutes=15)


# Concurrency (PostgreSQL)


@pytest.fixture
def postgres_only(db: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("Races only show on PostgreSQL: SQLite serialises writers (IMMEDIATE transactions).")


@pytest.fixture
def reference_data(transactional_db: Any) -> None:
    from grassroots.people.data.ethnicities import ETHNICITIES
    from grassroots.people.models import Ethnicity

    Ethnicity.objects.bulk_create(
        [Ethnicity(code=code, name=name) for code, name in ETHNICITIES], ignore_conflicts=True
    )


BLOWERS = 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_blowers_get_consecutive_numbers(
    postgres_only: None, reference_data: None, duty_world: World
) -> None:
    w = duty_world
    users = []
    for i in range(BLOWERS):
        user = user_create(actor=None, username=f"staff{i:02d}", password=PASSWORD)
        role_assign(actor=None, user=user, role=Role.COMMUNITY_STAFF, region=w.communities["dongyue"].region)
        users.append(user.pk)
    barrier = threading.Barrier(BLOWERS)
    numbers: list[str] = []
    errors: list[str] = []
    lock = threading.Lock()
    department_pk = w.duty.department.pk
    region_pk = w.communities["dongyue"].region.pk

    def blow(user_pk: int) -> None:
        from grassroots.territory.models import Region

        try:
            actor = User.objects.get(pk=user_pk)
            region = Region.objects.get(pk=region_pk)
            department = Organization.objects.get(pk=department_pk)
            barrier.wait(timeout=10)
            whistle = whistle_blow(
                actor=actor,
                region=region,
                title="同时吹哨",
                description="同时吹哨",
                urgency="normal",
                handle_due=NOW + dt.timedelta(days=3),
                calls=[CallInput(department, "到场")],
                now=NOW,
            )
            with lock:
                numbers.append(whistle.number)
        except Exception as exc:  # pragma: no cover - reported below
            with lock:
                errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=blow, args=(pk,)) for pk in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(numbers) == [f"CS202603{i:04d}" for i in range(1, BLOWERS + 1)]
