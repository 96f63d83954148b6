"""The member roster (confirmed members, filters, Excel without personal numbers) and the vanguard squads."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import unquote

import pytest
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import load_workbook

from grassroots.catalogue.models import ServiceCategory
from grassroots.core.models import AuditEvent
from grassroots.frontline.models import MemberReport
from tests.conftest import SIBLING_MARK, World
from tests.web.helpers import html

pytestmark = pytest.mark.django_db

ROSTER = "/frontline/members/"
SQUADS = "/frontline/squads/"


def sheet_rows(response: Any) -> list[tuple[Any, ...]]:
    content = b"".join(response.streaming_content)
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return [tuple(row) for row in workbook.active.iter_rows(values_only=True)]


def test_roster_lists_confirmed_members_without_personal_numbers(
    duty_world: World, reported_member: MemberReport
) -> None:
    w = duty_world
    person = reported_member.person
    response = w.client("community_staff").get(ROSTER)
    assert response.status_code == 200
    assert [r.pk for r in response.context["object_list"]] == [reported_member.pk]
    body = html(response)
    assert "东岳党员王强" in body and "区税务局" in body and "税务咨询" in body
    assert ServiceCategory.objects.get(code="policy").name in body
    assert f"/frontline/points/person/{person.pk}/" in body
    assert person.mobile not in body and person.id_number not in body
    assert person.mobile_masked not in body and person.id_number_masked not in body
    # filters
    policy = ServiceCategory.objects.get(code="policy")
    elderly = ServiceCategory.objects.get(code="elderly")
    assert len(w.client("community_staff").get(ROSTER, {"post": policy.pk}).context["object_list"]) == 1
    empty = w.client("community_staff").get(ROSTER, {"post": elderly.pk})
    assert empty.context["object_list"] == [] and gettext("No confirmed member matches these filters.") in html(empty)
    assert len(w.client("community_staff").get(ROSTER, {"q": "王强"}).context["object_list"]) == 1
    assert w.client("community_staff").get(ROSTER, {"q": "李"}).context["object_list"] == []
    # searching by a personal number finds nothing
    assert w.client("community_staff").get(ROSTER, {"q": person.mobile}).context["object_list"] == []


def test_roster_export(duty_world: World, reported_member: MemberReport) -> None:
    w = duty_world
    person = reported_member.person
    before = AuditEvent.objects.filter(action="export").count()
    response = w.client("community_staff").get(ROSTER, {"export": "xlsx"})
    assert response.status_code == 200
    assert f"_{timezone.localdate():%Y%m%d}.xlsx" in unquote(response["Content-Disposition"])
    rows = sheet_rows(response)
    assert len(rows) == 2 and rows[1][0] == "东岳党员王强"
    text = repr(rows)
    assert "区税务局" in text and "东岳社区" in text
    for secret in (person.mobile, person.id_number, person.mobile_masked, person.id_number_masked):
        assert secret not in text
    assert AuditEvent.objects.filter(action="export").count() == before + 1
    # another community's export is empty
    rows = sheet_rows(w.client("sibling_staff").get(ROSTER, {"export": "xlsx"}))
    assert len(rows) == 1


def test_roster_of_another_community_and_other_roles(duty_world: World, reported_member: MemberReport) -> None:
    w = duty_world
    response = w.client("sibling_staff").get(ROSTER)
    assert response.status_code == 200 and response.context["object_list"] == []
    assert "东岳党员王强" not in html(response)
    for persona in ("unit_admin", "party_member", "resident", "department_staff"):
        assert w.client(persona).get(ROSTER).status_code == 403, persona


def test_squads(duty_world: World) -> None:
    w = duty_world
    response = w.client("community_staff").get(SQUADS)
    assert response.status_code == 200
    squads = response.context["object_list"]
    assert [(s.name, s.member_count) for s in squads] == [("东岳党员先锋一分队", 3)]
    body = html(response)
    assert "东岳党员先锋总队" in body and "东岳党员王强" in body
    sibling = w.client("sibling_staff").get(SQUADS)
    assert sibling.context["object_list"] == [] and "东岳党员先锋" not in html(sibling)
    assert SIBLING_MARK not in body
    assert w.client("community_staff").get(SQUADS, {"q": "二分队"}).context["object_list"] == []
    assert w.client("resident").get(SQUADS).status_code == 403
