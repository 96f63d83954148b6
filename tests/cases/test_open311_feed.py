"""Open311 GET Service Requests: who is in the public feed, the filters and their errors, the extensions,
and that no personal data ever leaves through it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext

from grassroots.cases.enums import CaseKind, CaseStatus, Channel
from grassroots.cases.models import Case, Open311Client
from grassroots.cases.services import (
    CaseInput,
    case_accept,
    case_claim,
    case_fulfil,
    case_reject,
    case_submit,
    open311_client_create,
)
from grassroots.catalogue.models import ServiceItem
from tests.cases.factories import make_case
from tests.cases.test_open311 import BASE, FMTS, W3C_WITH_ZONE, call, error_codes, submission
from tests.conftest import World


@pytest.fixture
def o311(cases_world: World) -> tuple[Open311Client, str]:
    return open311_client_create(actor=None, name="城市服务App")


def open311_case(world: World, client: Open311Client, *, community: str = "dongyue", **extra: Any) -> Case:
    """An Open311 submission through the service, so that a test can set the submission time."""
    now = extra.pop("now", None)
    data = CaseInput(
        kind=CaseKind.DIFFICULTY,
        place=world.communities[community].entrance,
        description=extra.pop("description", "楼道的灯坏了"),
        channel=Channel.OPEN311,
        item=ServiceItem.objects.get(code=extra.pop("item", "stairwell-clean")),
        **extra,
    )
    return case_submit(actor=None, data=data, open311_client=client, now=now)


def ids(fmt: str, params: dict[str, Any] | None = None, client: Client | None = None) -> list[str]:
    status, body = call(client or Client(), fmt, "requests", "service_requests", params)
    assert status == 200, body
    return [r["service_request_id"] for r in body]


@pytest.mark.parametrize("fmt", FMTS)
def test_the_public_feed_holds_open311_requests_and_accepted_portal_reports_only(
    cases_world: World, o311: tuple[Open311Client, str], fmt: str
) -> None:
    w = cases_world
    client = o311[0]
    via_open311 = open311_case(w, client)  # pending, yet its client published it
    portal_pending = make_case(w, kind=CaseKind.DIFFICULTY)
    portal_accepted = make_case(w, kind=CaseKind.DIFFICULTY, accept=True)
    portal_rejected = case_reject(
        case=make_case(w, kind=CaseKind.DIFFICULTY), actor=w.users["community_staff"], reason="不属实"
    )
    wish = make_case(w, kind=CaseKind.MICRO_WISH, accept=True)
    walk_in = make_case(
        w, kind=CaseKind.DIFFICULTY, channel=Channel.WALK_IN, actor=w.users["community_staff"], accept=True
    )
    sibling_walk_in = make_case(
        w,
        community="beichen",
        kind=CaseKind.DIFFICULTY,
        channel=Channel.WALK_IN,
        actor=w.users["sibling_staff"],
        accept=True,
        description="北辰楼道堆物",
    )
    shown = ids(fmt)
    assert sorted(shown) == sorted([via_open311.number, portal_accepted.number])
    for hidden in (portal_pending, portal_rejected, wish, walk_in, sibling_walk_in):
        status, body = call(Client(), fmt, f"requests/{hidden.number}", "service_requests")
        assert status == 404 and error_codes(body) == ["service_request_id"]
    # Public means the same for everyone: a 东岳 worker sees what anyone sees, and nothing staff took in for 北辰.
    outsider = w.client("community_staff")
    assert ids(fmt, client=outsider) == shown
    assert "北辰" not in outsider.get(f"{BASE}/requests.{fmt}").content.decode()
    # An explicit id does not open the door either.
    assert ids(fmt, {"service_request_id": f"{wish.number},{walk_in.number}"}) == []


@pytest.mark.parametrize("fmt", FMTS)
def test_statuses_map_to_open_and_closed_with_notes(
    cases_world: World, o311: tuple[Open311Client, str], fmt: str
) -> None:
    w = cases_world
    staff, member = w.users["community_staff"], w.users["party_member"]
    pending = open311_case(w, o311[0])
    rejected = case_reject(case=open311_case(w, o311[0]), actor=staff, reason="重复提交")
    done = case_accept(case=open311_case(w, o311[0]), actor=staff)
    done = case_claim(case=done, actor=member)
    done = case_fulfil(case=done, actor=member, note="东岳党员王强清理了楼道", residents_served=3)
    _status, body = call(Client(), fmt, "requests", "service_requests")
    by_id = {r["service_request_id"]: r for r in body}
    assert by_id[pending.number]["status"] == "open"
    assert by_id[rejected.number]["status"] == "closed"
    assert by_id[rejected.number]["status_notes"] == gettext("%(status)s: %(reason)s") % {
        "status": CaseStatus.REJECTED.label,
        "reason": "重复提交",
    }
    assert by_id[done.number]["status"] == "closed"
    assert by_id[done.number]["status_notes"] == str(CaseStatus.FULFILLED.label)
    # Claimed by a party member: the agency is the grid, never the person.
    assert by_id[done.number]["agency_responsible"] == "东岳第一网格"
    assert done.fulfilled_at is not None
    assert by_id[done.number]["updated_datetime"] == timezone.localtime(done.fulfilled_at).isoformat(timespec="seconds")
    assert ids(fmt, {"status": "open"}) == [pending.number]
    assert sorted(ids(fmt, {"status": "closed"})) == sorted([rejected.number, done.number])
    assert len(ids(fmt, {"status": "open,closed"})) == 3
    status, errors = call(Client(), fmt, "requests", "service_requests", {"status": "pending"})
    assert status == 400 and error_codes(errors) == ["status"]


@pytest.mark.parametrize("fmt", FMTS)
def test_dates_default_to_the_last_90_days_and_spans_are_checked(
    cases_world: World, o311: tuple[Open311Client, str], fmt: str
) -> None:
    w = cases_world
    now = timezone.now()
    old = open311_case(w, o311[0], now=now - dt.timedelta(days=120))
    recent = open311_case(w, o311[0], now=now - dt.timedelta(days=3))
    assert ids(fmt) == [recent.number]
    window = {
        "start_date": (now - dt.timedelta(days=130)).isoformat(),
        "end_date": (now - dt.timedelta(days=100)).isoformat(),
    }
    assert ids(fmt, window) == [old.number]
    assert ids(fmt, {"start_date": (now - dt.timedelta(days=121)).date().isoformat()}) == [old.number]
    day = timezone.localtime(recent.submitted_at).date().isoformat()
    assert ids(fmt, {"start_date": day, "end_date": day}) == [recent.number]  # a date as the end covers its day
    assert ids(fmt, {"end_date": "2000-01-01T00:00:00Z"}) == []
    bad = [
        ({"start_date": "yesterday"}, ["start_date"]),
        ({"end_date": "2026-13-45"}, ["end_date"]),
        ({"start_date": "2026-01-01T00:00:00+08:00", "end_date": "2026-04-02T00:00:00+08:00"}, ["end_date"]),
        ({"start_date": "2026-03-01", "end_date": "2026-02-01"}, ["end_date"]),
        ({"start_date": "x", "status": "shut", "page_size": "0"}, ["start_date", "status", "page_size"]),
        ({"page": "-1"}, ["page"]),
        ({"page_size": "1001"}, ["page_size"]),
    ]
    for params, codes in bad:
        status, body = call(Client(), fmt, "requests", "service_requests", params)
        assert status == 400, params
        assert error_codes(body) == codes, params
    # exactly 90 days is allowed
    ninety = {"start_date": "2026-01-01T00:00:00+08:00", "end_date": "2026-04-01T00:00:00+08:00"}
    assert call(Client(), fmt, "requests", "service_requests", ninety)[0] == 200


@pytest.mark.parametrize("fmt", FMTS)
def test_service_request_id_overrides_and_service_code_filters(
    cases_world: World, o311: tuple[Open311Client, str], fmt: str
) -> None:
    w = cases_world
    stairs = open311_case(w, o311[0])
    nest = open311_case(w, o311[0], item="hornet-nest", attributes={"nest_spot": "屋檐"})
    old = open311_case(w, o311[0], now=timezone.now() - dt.timedelta(days=200))
    assert ids(fmt, {"service_code": "hornet-nest"}) == [nest.number]
    assert sorted(ids(fmt, {"service_code": "hornet-nest,stairwell-clean"})) == sorted([nest.number, stairs.number])
    got = ids(fmt, {"service_request_id": f"{old.number}, {stairs.number}", "status": "closed", "service_code": "x"})
    assert sorted(got) == sorted([old.number, stairs.number])


@pytest.mark.parametrize("fmt", FMTS)
def test_pages(cases_world: World, o311: tuple[Open311Client, str], fmt: str) -> None:
    made = [open311_case(cases_world, o311[0]).number for _ in range(3)]
    newest_first = made[::-1]
    assert ids(fmt, {"page_size": "2"}) == newest_first[:2]
    assert ids(fmt, {"page_size": "2", "page": "2"}) == newest_first[2:]
    assert ids(fmt, {"page_size": "2", "page": "3"}) == []


@pytest.mark.parametrize("fmt", FMTS)
def test_extensions_add_our_status_and_the_public_timeline(
    cases_world: World, o311: tuple[Open311Client, str], fmt: str
) -> None:
    w = cases_world
    case = case_accept(case=open311_case(w, o311[0]), actor=w.users["community_staff"])
    _status, plain = call(Client(), fmt, "requests", "service_requests")
    assert "extended_attributes" not in plain[0] and "notes" not in plain[0]
    for path in ("requests", f"requests/{case.number}"):
        _status, body = call(Client(), fmt, path, "service_requests", {"extensions": "true"})
        (got,) = body
        assert got["extended_attributes"] == {
            "status": "open",
            "status_label": str(CaseStatus.OPEN.label),
            "kind": "difficulty",
            "level": "grid",
            "overdue": "false",
        }
        assert [n["type"] for n in got["notes"]] == ["submitted", "routed", "accepted"]
        for note in got["notes"]:
            assert W3C_WITH_ZONE.match(note["datetime"]) and note["description"]


def test_the_feed_costs_the_same_queries_for_more_cases(cases_world: World, o311: tuple[Open311Client, str]) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert Client().get(f"{BASE}/requests.json", {"extensions": "true"}).status_code == 200
        return len(ctx.captured_queries)

    open311_case(cases_world, o311[0])
    few = queries()
    for community in ("dongyue", "jiangbin", "nanguan"):
        open311_case(cases_world, o311[0], community=community)
    assert queries() == few <= 6


@pytest.mark.parametrize("fmt", FMTS)
def test_no_personal_data_in_any_answer(cases_world: World, o311: tuple[Open311Client, str], fmt: str) -> None:
    w = cases_world
    key = o311[1]
    secret = {
        "first_name": "伟",
        "last_name": "赵",
        "phone": "13812345678",
        "email": "zhaowei@example.com",
        "address_string": "东岳花园1栋1单元302室赵家",
        "description": "我是赵伟，电话13812345678，邮箱zhaowei@example.com，楼道的灯坏了",
        "device_id": "device-4711",
        "account_id": "account-0815",
    }
    status, _body = call(Client(), fmt, "requests", "service_requests", submission(w, key, **secret), post=True)
    assert status == 200
    case = Case.objects.get()
    assert (case.requester_name, case.contact_mobile, case.address_text) == (
        "赵伟",
        "13812345678",
        secret["address_string"],
    )
    member = w.users["party_member"]
    case = case_claim(case=case_accept(case=case, actor=w.users["community_staff"]), actor=member)
    bodies = [
        Client().get(f"{BASE}/requests.{fmt}", {"extensions": "true"}).content.decode(),
        Client().get(f"{BASE}/requests/{case.number}.{fmt}", {"extensions": "true"}).content.decode(),
        Client().get(f"{BASE}/tokens/{case.open311_token}.{fmt}").content.decode(),
    ]
    for text in bodies:
        for value in (
            "赵伟",
            "13812345678",
            "zhaowei@example.com",
            "302室",
            "device-4711",
            "account-0815",
            "东岳党员王强",
        ):
            assert value not in text
    listed = call(Client(), fmt, "requests", "service_requests")[1][0]
    assert listed["description"] == "我是赵*，电话138****5678，邮箱***@example.com，楼道的灯坏了"
    assert listed["address"] == "名山街道东岳社区东岳花园1栋1单元"
    assert listed["agency_responsible"] == "东岳第一网格"


@pytest.mark.parametrize("fmt", FMTS)
def test_every_datetime_carries_its_zone(cases_world: World, o311: tuple[Open311Client, str], fmt: str) -> None:
    case_accept(case=open311_case(cases_world, o311[0]), actor=cases_world.users["community_staff"])
    (got,) = call(Client(), fmt, "requests", "service_requests", {"extensions": "true"})[1]
    stamps = [got[k] for k in ("requested_datetime", "updated_datetime", "expected_datetime")]
    stamps += [n["datetime"] for n in got["notes"]]
    assert all(W3C_WITH_ZONE.match(s) for s in stamps), stamps
