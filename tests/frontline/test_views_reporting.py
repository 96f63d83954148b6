"""The reporting inbox and the member report page: scoped tabs, confirm / return from the inbox (POST, CSRF),
bulk confirmation (all or nothing), refusals for other communities and for people without the capability."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils.translation import gettext

from grassroots.catalogue.models import ServiceCategory
from grassroots.frontline.enums import ReportStatus
from grassroots.frontline.models import MemberReport, UnitReport
from grassroots.frontline.services.reporting import CommitmentInput, member_report_submit, unit_report_submit
from grassroots.people.models import PartyMembership
from tests.conftest import SIBLING_MARK, World
from tests.factories import make_person
from tests.web.helpers import csrf_token, html

pytestmark = pytest.mark.django_db

INBOX = "/frontline/reports/"


def posts(*codes: str) -> list[ServiceCategory]:
    return list(ServiceCategory.objects.filter(code__in=codes))


def roster_report(w: World, person: Any) -> MemberReport:
    """A colleague of 区税务局 reported to 东岳社区 by the unit's roster (pending)."""
    return member_report_submit(
        actor=w.users["unit_admin"],
        region=w.communities["dongyue"].region,
        posts=posts("elderly"),
        person=person,
        channel="roster",
        skills="书法",
    )


def beichen_report(w: World) -> MemberReport:
    """A member of 北辰机械厂 living in 北辰社区, reported there by its staff (pending)."""
    bc = w.communities["beichen"]
    person = make_person(name="北辰党员周涛", household=bc.household)
    PartyMembership.objects.create(
        person=person,
        organization=w.duty.unit_branch,
        joined_on=dt.date(2010, 7, 1),
        category="in_service",
        home_unit=w.duty.other_unit,
    )
    return member_report_submit(
        actor=w.users["sibling_staff"], region=bc.region, posts=posts("safety"), person=person, channel="staff"
    )


def unit_report(w: World) -> UnitReport:
    return unit_report_submit(
        actor=w.users["unit_admin"],
        unit=w.duty.unit,
        community=w.communities["dongyue"].region,
        agreement_title="区税务局与东岳社区共驻共建协议",
        agreement_start=dt.date(2026, 1, 1),
        agreement_end=dt.date(2027, 12, 31),
        commitments=[CommitmentInput("每年为社区办实事3件", 3)],
        resources=[],
    )


@pytest.fixture
def pending(duty_world: World) -> dict[str, Any]:
    w = duty_world
    zhao, sun = w.duty.colleagues
    return {
        "zhao": roster_report(w, zhao),
        "sun": roster_report(w, sun),
        "beichen": beichen_report(w),
        "unit": unit_report(w),
    }


def rows(response: Any) -> list[Any]:
    return [report for report, _can in response.context["rows"]]


def test_inbox_tabs_list_the_pending_reports_of_the_scope(duty_world: World, pending: dict[str, Any]) -> None:
    client = duty_world.client("community_staff")
    response = client.get(INBOX)
    assert response.status_code == 200
    assert {r.pk for r in rows(response)} == {pending["zhao"].pk, pending["sun"].pk}
    assert [count for _key, _label, count in response.context["tabs"]] == [2, 1]
    body = html(response)
    assert "东岳党员赵敏" in body and "书法" in body
    assert SIBLING_MARK not in body
    assert f"/frontline/member-reports/{pending['zhao'].pk}/confirm/" in body
    assert 'name="ids"' in body and 'form="bulk-confirm"' in body
    units = client.get(INBOX, {"tab": "units"})
    assert rows(units) == [pending["unit"]]
    assert "区税务局与东岳社区共驻共建协议" in html(units)
    # search and post filter
    assert {r.pk for r in rows(client.get(INBOX, {"q": "赵敏"}))} == {pending["zhao"].pk}
    safety = ServiceCategory.objects.get(code="safety")
    empty = client.get(INBOX, {"post": safety.pk})
    assert rows(empty) == [] and gettext("No report awaiting confirmation matches.") in html(empty)


def test_inbox_htmx_returns_only_the_results(duty_world: World, pending: dict[str, Any]) -> None:
    response = duty_world.client("community_staff").get(INBOX, {"tab": "units"}, headers={"HX-Request": "true"})
    body = html(response)
    assert "<html" not in body and body.lstrip().startswith('<div id="inbox-results"')


def test_inbox_of_another_community_and_other_roles(duty_world: World, pending: dict[str, Any]) -> None:
    w = duty_world
    sibling = w.client("sibling_staff").get(INBOX)
    assert rows(sibling) == [pending["beichen"]]
    assert "东岳" not in html(sibling).split('id="inbox-results"')[1]
    assert rows(w.client("sibling_staff").get(INBOX, {"tab": "units"})) == []
    street = w.client("street_staff").get(INBOX)
    assert {r.pk for r in rows(street)} == {pending["zhao"].pk, pending["sun"].pk, pending["beichen"].pk}
    for persona in ("unit_admin", "party_member", "resident", "department_staff", "grid_worker"):
        assert w.client(persona).get(INBOX).status_code == 403, persona
    assert Client().get(INBOX).status_code == 302  # to the login page


def test_empty_inbox_says_so(duty_world: World) -> None:
    response = duty_world.client("community_staff").get(INBOX)
    assert response.status_code == 200
    assert gettext("No member report is awaiting confirmation.") in html(response)


def test_confirm_and_return_from_the_inbox(duty_world: World, pending: dict[str, Any]) -> None:
    w = duty_world
    client = Client(enforce_csrf_checks=True)
    client.force_login(w.users["community_staff"])
    token = csrf_token(client.get(INBOX))
    zhao, sun = pending["zhao"], pending["sun"]
    # without the token: refused, nothing written
    assert client.post(f"/frontline/member-reports/{zhao.pk}/confirm/").status_code == 403
    zhao.refresh_from_db()
    assert zhao.status == ReportStatus.PENDING
    response = client.post(
        f"/frontline/member-reports/{zhao.pk}/confirm/",
        {"csrfmiddlewaretoken": token, "next": f"{INBOX}?tab=members"},
    )
    assert response.status_code == 302 and response["Location"] == f"{INBOX}?tab=members"
    zhao.refresh_from_db()
    assert zhao.status == ReportStatus.CONFIRMED and zhao.decided_by == w.users["community_staff"]
    # returning needs a note
    response = client.post(f"/frontline/member-reports/{sun.pk}/return/", {"csrfmiddlewaretoken": token, "note": ""})
    assert response.status_code == 302
    sun.refresh_from_db()
    assert sun.status == ReportStatus.PENDING
    client.post(f"/frontline/member-reports/{sun.pk}/return/", {"csrfmiddlewaretoken": token, "note": "请补充特长"})
    sun.refresh_from_db()
    assert (sun.status, sun.decision_note) == (ReportStatus.REJECTED, "请补充特长")
    # deciding again is refused with a message, nothing changes
    response = client.post(
        f"/frontline/member-reports/{zhao.pk}/return/", {"csrfmiddlewaretoken": token, "note": "再退回"}, follow=True
    )
    zhao.refresh_from_db()
    assert zhao.status == ReportStatus.CONFIRMED
    assert [m.level_tag for m in response.context["messages"]][-1] == "error"
    # an outside ``next`` is ignored
    unit = pending["unit"]
    response = client.post(
        f"/frontline/unit-reports/{unit.pk}/confirm/", {"csrfmiddlewaretoken": token, "next": "https://example.com/"}
    )
    assert response["Location"] == f"/frontline/unit-reports/{unit.pk}/"
    unit.refresh_from_db()
    assert unit.status == ReportStatus.CONFIRMED


def test_another_community_cannot_decide(duty_world: World, pending: dict[str, Any]) -> None:
    w = duty_world
    sibling = w.client("sibling_staff")
    zhao, unit = pending["zhao"], pending["unit"]
    for url in (
        f"/frontline/member-reports/{zhao.pk}/confirm/",
        f"/frontline/member-reports/{zhao.pk}/return/",
        f"/frontline/member-reports/{zhao.pk}/withdraw/",
        f"/frontline/unit-reports/{unit.pk}/confirm/",
        f"/frontline/unit-reports/{unit.pk}/return/",
    ):
        assert sibling.post(url, {"note": "x"}).status_code == 404, url
    assert sibling.get(f"/frontline/member-reports/{zhao.pk}/").status_code == 404
    zhao.refresh_from_db()
    unit.refresh_from_db()
    assert zhao.status == unit.status == ReportStatus.PENDING
    # a unit admin may not decide its own report
    assert w.client("unit_admin").post(f"/frontline/unit-reports/{unit.pk}/confirm/").status_code in (302, 403)
    unit.refresh_from_db()
    assert unit.status == ReportStatus.PENDING


def test_bulk_confirm_confirms_all_ticked_reports(duty_world: World, pending: dict[str, Any]) -> None:
    client = duty_world.client("community_staff")
    ids = [pending["zhao"].pk, pending["sun"].pk]
    response = client.post("/frontline/member-reports/confirm/", {"ids": ids, "note": "欢迎"}, follow=True)
    assert response.status_code == 200
    statuses = set(MemberReport.objects.filter(pk__in=ids).values_list("status", "decision_note"))
    assert statuses == {(ReportStatus.CONFIRMED, "欢迎")}
    assert [m.level_tag for m in response.context["messages"]] == ["success"]


def test_bulk_confirm_is_all_or_nothing(duty_world: World, pending: dict[str, Any]) -> None:
    w = duty_world
    client = w.client("community_staff")
    zhao, sun = pending["zhao"], pending["sun"]
    client.post(f"/frontline/member-reports/{sun.pk}/return/", {"note": "资料不全"})
    response = client.post("/frontline/member-reports/confirm/", {"ids": [zhao.pk, sun.pk]}, follow=True)
    zhao.refresh_from_db()
    assert zhao.status == ReportStatus.PENDING  # rolled back with the refused one
    message = str(next(iter(response.context["messages"])))
    assert "东岳党员孙磊" in message
    # a report of another community is never confirmed, nor are the others ticked with it
    response = client.post("/frontline/member-reports/confirm/", {"ids": [zhao.pk, pending["beichen"].pk]})
    zhao.refresh_from_db()
    beichen = MemberReport.objects.get(pk=pending["beichen"].pk)
    assert zhao.status == beichen.status == ReportStatus.PENDING
    # nothing ticked, or garbage
    for data in ({}, {"ids": ["abc"]}):
        assert client.post("/frontline/member-reports/confirm/", data).status_code == 302
    assert MemberReport.objects.filter(status=ReportStatus.CONFIRMED).count() == 0


def test_member_report_page(duty_world: World, pending: dict[str, Any]) -> None:
    w = duty_world
    zhao = pending["zhao"]
    response = w.client("community_staff").get(f"/frontline/member-reports/{zhao.pk}/")
    assert response.status_code == 200
    body = html(response)
    assert "东岳党员赵敏" in body and "区税务局" in body
    assert f"/frontline/member-reports/{zhao.pk}/confirm/" in body
    # the unit's admin reads its member's report but cannot decide it
    response = w.client("unit_admin").get(f"/frontline/member-reports/{zhao.pk}/")
    assert response.status_code == 200
    assert f"/frontline/member-reports/{zhao.pk}/confirm/" not in html(response)
    assert w.client("resident").get(f"/frontline/member-reports/{zhao.pk}/").status_code == 403
