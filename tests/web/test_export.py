"""Excel export: exactly the filtered, scoped rows in the list's order, numbers masked, audited, capped."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import unquote

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from grassroots.core.models import AuditEvent
from grassroots.people.models import Person
from grassroots.web import exports
from tests.conftest import SIBLING_MARK, World
from tests.factories import make_person


def sheet_rows(response: Any) -> list[tuple[Any, ...]]:
    content = b"".join(response.streaming_content)
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return [tuple(row) for row in workbook.active.iter_rows(values_only=True)]


def test_person_export_has_the_filtered_rows_masked(world: World) -> None:
    client = world.client("street_staff")
    before = AuditEvent.objects.filter(action="export").count()
    response = client.get("/persons/", {"export": "xlsx", "gender": "female"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = response["Content-Disposition"]
    assert "attachment" in disposition
    assert f"人员_{timezone.localdate():%Y%m%d}.xlsx" in unquote(disposition)
    assert "filename*=utf-8''" in disposition
    rows = sheet_rows(response)
    header, body = rows[0], rows[1:]
    assert header[0] == "姓名"
    assert "手机号码" in header or "手机号" in header or any("手机" in str(h) for h in header)
    assert [row[0] for row in body] == ["北辰李娜", "东岳李娜"]  # the list's order (pinyin)
    persons = {p.name: p for p in Person.objects.filter(name__in=["北辰李娜", "东岳李娜"])}
    text = repr(rows)
    for person in persons.values():
        assert person.mobile not in text
        assert person.id_number not in text
        assert person.address not in text
        assert person.mobile_masked in text
        assert person.id_number_masked in text
    events = AuditEvent.objects.filter(action="export")
    assert events.count() == before + 1
    event = events.latest("pk")
    assert event.actor == world.users["street_staff"]
    assert event.changes["rows"] == 2
    assert event.street_id == world.streets["mingshan"].pk


def test_export_of_a_community_worker_has_no_sibling_row(world: World) -> None:
    client = world.client("community_staff")
    for url in ("/persons/", "/regions/?kind=compound", "/grids/", "/organizations/"):
        sep = "&" if "?" in url else "?"
        response = client.get(f"{url}{sep}export=xlsx")
        assert response.status_code == 200, url
        rows = sheet_rows(response)
        assert len(rows) >= 2, url
        assert SIBLING_MARK not in repr(rows), url


def test_export_follows_the_sort_and_all_pages(world: World) -> None:
    household = world.communities["dongyue"].household
    for n in range(55):
        make_person(name=f"东岳导出{n:02d}", household=household)
    client = world.client("community_staff")
    listed = [p.name for p in client.get("/persons/", {"sort": "-name", "per_page": 200}).context["object_list"]]
    rows = sheet_rows(client.get("/persons/", {"sort": "-name", "export": "xlsx", "page": 2}))
    assert [row[0] for row in rows[1:]] == listed
    assert len(listed) == 57


def test_export_with_invalid_filters_writes_nothing(world: World) -> None:
    client = world.client("street_staff")
    jiangbin = world.communities["jiangbin"].region
    before = AuditEvent.objects.filter(action="export").count()
    response = client.get("/persons/", {"export": "xlsx", "region": jiangbin.pk})
    assert response.status_code == 302
    assert "export" not in response["Location"]
    assert AuditEvent.objects.filter(action="export").count() == before


def test_export_is_capped(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exports, "EXPORT_LIMIT", 3)
    client = world.client("street_staff")
    before = AuditEvent.objects.filter(action="export").count()
    response = client.get("/persons/", {"export": "xlsx"}, follow=True)
    assert response.redirect_chain and response.redirect_chain[0][1] == 302
    messages = [str(m) for m in response.context["messages"]]
    assert any("4" in m and "3" in m for m in messages), messages
    assert AuditEvent.objects.filter(action="export").count() == before
    # Under the cap it works.
    assert client.get("/persons/", {"export": "xlsx", "gender": "male"}).status_code == 200


def test_export_needs_the_list_capability(world: World) -> None:
    assert world.client("party_member").get("/persons/", {"export": "xlsx"}).status_code == 403
