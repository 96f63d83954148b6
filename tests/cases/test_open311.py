"""Open311 GeoReport v2: every endpoint in both formats, the submission path and the spec's error cases.

Each answer is read back into one shape whatever its format (XML through ElementTree, JSON through json;
scalars as the strings XML would carry), so the same assertions hold for ``.xml`` and ``.json``.
"""

from __future__ import annotations

import json
import re
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from django.test import Client

from grassroots.cases.enums import CaseKind, CaseStatus, Channel
from grassroots.cases.models import Case
from grassroots.cases.services import open311_client_create
from grassroots.catalogue.models import ServiceItem
from tests.conftest import World

BASE = "/open311/v2"
FMTS = ["xml", "json"]
LISTS = {"services", "service_requests", "errors", "attributes", "values", "endpoints", "formats", "notes"}
W3C_WITH_ZONE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")


def _element(e: ET.Element) -> Any:
    children = list(e)
    if e.tag in LISTS:
        return [_element(c) for c in children]
    if not children:
        return e.text or ""
    return {c.tag: _element(c) for c in children}


def _normal(value: Any) -> Any:
    """JSON values as XML would carry them: None → "", True → "true", 1.5 → "1.5"."""
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normal(v) for v in value]
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def read(response: Any, fmt: str, root: str) -> Any:
    """The body as plain data; checks the content type, the encoding and the XML root."""
    if fmt == "json":
        assert response["Content-Type"] == "application/json; charset=utf-8"
        return _normal(json.loads(response.content.decode("utf-8")))
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    tree = ET.fromstring(response.content)
    assert tree.tag == root
    return _element(tree)


def call(
    client: Client, fmt: str, path: str, root: str, data: dict[str, Any] | None = None, *, post: bool = False
) -> tuple[int, Any]:
    url = f"{BASE}/{path}.{fmt}"
    response = client.post(url, data or {}) if post else client.get(url, data or {})
    expected_root = "errors" if response.status_code >= 400 else root
    return response.status_code, read(response, fmt, expected_root)


def error_codes(body: Any) -> list[str]:
    return [e["code"] for e in body]


@pytest.fixture
def api_key(cases_world: World) -> str:
    return open311_client_create(actor=None, name="城市服务App")[1]


def submission(world: World, key: str, **extra: Any) -> dict[str, Any]:
    data = {
        "api_key": key,
        "service_code": "hornet-nest",
        "address_id": world.communities["dongyue"].entrance.code,
        "attribute[nest_spot]": "3楼阳台外侧",
        "description": "阳台外侧有一个很大的马蜂窝\n孩子经常在附近玩",
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


# Discovery, services, service definitions


@pytest.mark.parametrize("fmt", FMTS)
def test_discovery_names_the_endpoint_and_its_formats(cases_world: World, fmt: str) -> None:
    status, body = call(Client(), fmt, "discovery", "discovery")
    assert status == 200
    assert W3C_WITH_ZONE.match(body["changeset"])
    assert body["contact"] and body["key_service"]
    (endpoint,) = body["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["type"] in ("production", "test")
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert W3C_WITH_ZONE.match(endpoint["changeset"])


@pytest.mark.parametrize("fmt", FMTS)
def test_services_list_the_active_catalogue_items(cases_world: World, fmt: str) -> None:
    ServiceItem.objects.filter(code="patrol").update(is_active=False)
    status, body = call(Client(), fmt, "services", "services")
    assert status == 200
    by_code = {s["service_code"]: s for s in body}
    assert len(by_code) == ServiceItem.objects.filter(is_active=True).count() == 51
    assert "patrol" not in by_code
    assert by_code["hornet-nest"] == {
        "service_code": "hornet-nest",
        "service_name": "摘除马蜂窝",
        "description": "",
        "metadata": "true",
        "type": "realtime",
        "keywords": "马蜂窝,蜂窝,马蜂",
        "group": "环境卫生",
    }
    assert by_code["stairwell-clean"]["metadata"] == "false"


def test_the_service_list_is_one_query(cases_world: World, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        assert Client().get(f"{BASE}/services.json").status_code == 200


@pytest.mark.parametrize("fmt", FMTS)
def test_service_definition_lists_the_questions_and_their_values(cases_world: World, fmt: str) -> None:
    status, body = call(Client(), fmt, "services/appliance-repair", "service_definition")
    assert status == 200
    assert body["service_code"] == "appliance-repair"
    first, second = body["attributes"]
    assert first == {
        "variable": "true",
        "code": "appliance",
        "datatype": "singlevaluelist",
        "required": "true",
        "datatype_description": first["datatype_description"],
        "order": "1",
        "description": "需要维修的家电",
        "values": [
            {"key": "tv", "name": "电视"},
            {"key": "fridge", "name": "冰箱"},
            {"key": "washer", "name": "洗衣机"},
            {"key": "aircon", "name": "空调"},
            {"key": "other", "name": "其他"},
        ],
    }
    assert (second["code"], second["datatype"], second["required"], second["order"]) == (
        "brand",
        "string",
        "false",
        "2",
    )
    assert second["values"] == []
    _status, plain = call(Client(), fmt, "services/stairwell-clean", "service_definition")
    assert plain["attributes"] == []


@pytest.mark.parametrize("fmt", FMTS)
@pytest.mark.parametrize("path", ["services/no-such-service", "requests/D20260101999999", "tokens/deadbeef"])
def test_unknown_service_request_and_token_are_404(cases_world: World, fmt: str, path: str) -> None:
    status, body = call(Client(), fmt, path, "")
    assert status == 404
    assert error_codes(body) == [
        {"services": "service_code", "requests": "service_request_id", "tokens": "token"}[path.split("/")[0]]
    ]
    assert body[0]["description"]


@pytest.mark.parametrize("fmt", FMTS)
@pytest.mark.parametrize("path", ["discovery", "services", "services/hornet-nest", "requests"])
def test_jurisdiction_id_ours_or_absent_is_served_another_is_404(cases_world: World, fmt: str, path: str) -> None:
    root = {"discovery": "discovery", "services": "services", "requests": "service_requests"}.get(
        path, "service_definition"
    )
    assert call(Client(), fmt, path, root, {"jurisdiction_id": "yuzhou.example.gov.cn"})[0] == 200
    assert call(Client(), fmt, path, root, {"jurisdiction_id": ""})[0] == 200
    status, body = call(Client(), fmt, path, root, {"jurisdiction_id": "sf.example.gov"})
    assert status == 404 and error_codes(body) == ["jurisdiction_id"]


# POST Service Request


@pytest.mark.parametrize("fmt", FMTS)
def test_post_then_get_round_trip(cases_world: World, api_key: str, fmt: str) -> None:
    w = cases_world
    dy = w.communities["dongyue"]
    status, body = call(
        Client(),
        fmt,
        "requests",
        "service_requests",
        submission(w, api_key, first_name="伟", last_name="赵", phone="13812345678", email="zhaowei@example.com"),
        post=True,
    )
    assert status == 200
    (answer,) = body
    case = Case.objects.get()
    assert answer["service_request_id"] == case.number
    assert "working hours" in answer["service_notice"] or "小时" in answer["service_notice"]
    assert "token" not in answer  # realtime: the id, never both
    assert (case.kind, case.channel, case.status) == (CaseKind.DIFFICULTY, Channel.OPEN311, CaseStatus.PENDING)
    assert case.item is not None and case.item.code == "hornet-nest"
    assert case.place == dy.entrance and case.community == dy.region and case.grid == dy.grid
    assert case.attributes == {"nest_spot": "3楼阳台外侧"}
    assert case.description == "阳台外侧有一个很大的马蜂窝\n孩子经常在附近玩"
    assert case.requester_name == "赵伟" and case.contact_mobile == "13812345678"
    assert case.contact_email == "zhaowei@example.com"
    assert case.open311_client is not None and case.open311_token
    assert case.events.count() == 2  # submitted, routed

    status, body = call(Client(), fmt, f"requests/{case.number}", "service_requests")
    assert status == 200
    (got,) = body
    assert got["service_request_id"] == case.number
    assert got["status"] == "open"
    assert got["status_notes"] == str(CaseStatus.PENDING.label)
    assert (got["service_code"], got["service_name"]) == ("hornet-nest", "摘除马蜂窝")
    assert got["description"] == case.description
    assert got["agency_responsible"] == "东岳第一网格"
    assert got["address"] == "名山街道东岳社区东岳花园1栋1单元"
    assert got["address_id"] == dy.entrance.code
    assert got["zipcode"] == "" and got["lat"] == "" and got["media_url"] == ""
    for field in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert W3C_WITH_ZONE.match(got[field]), got[field]
    assert got["requested_datetime"].endswith("+08:00")

    status, body = call(Client(), fmt, f"tokens/{case.open311_token}", "service_requests")
    assert status == 200 and body == [{"service_request_id": case.number, "token": case.open311_token}]


@pytest.mark.parametrize("fmt", FMTS)
def test_post_multivaluelist_and_media_url(cases_world: World, api_key: str, fmt: str) -> None:
    client = Client()
    data = submission(cases_world, api_key, service_code="noise", media_url="https://img.example.com/1.jpg")
    del data["attribute[nest_spot]"]
    url = f"{BASE}/requests.{fmt}"
    response = client.post(url, {**data, "attribute[noise_period][]": ["evening", "night"]})
    assert response.status_code == 200, response.content
    case = Case.objects.get()
    assert case.attributes == {"noise_period": ["evening", "night"]}
    assert case.media_url == "https://img.example.com/1.jpg"
    _status, body = call(client, fmt, f"requests/{case.number}", "service_requests")
    assert body[0]["media_url"] == "https://img.example.com/1.jpg"


def test_post_without_description_uses_the_service_name(cases_world: World, api_key: str) -> None:
    status, _body = call(
        Client(), "json", "requests", "service_requests", submission(cases_world, api_key, description=""), post=True
    )
    assert status == 200
    assert Case.objects.get().description == "摘除马蜂窝"


def test_post_is_csrf_exempt(cases_world: World, api_key: str) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post(f"{BASE}/requests.json", submission(cases_world, api_key)).status_code == 200


BAD_POSTS: list[tuple[str, dict[str, Any], int, list[str]]] = [
    ("missing api_key", {"api_key": None}, 403, ["api_key"]),
    ("wrong api_key", {"api_key": "not-a-key"}, 403, ["api_key"]),
    ("missing service_code", {"service_code": ""}, 400, ["service_code"]),
    ("unknown service_code", {"service_code": "no-such-service"}, 404, ["service_code"]),
    ("other jurisdiction", {"jurisdiction_id": "sf.example.gov"}, 404, ["jurisdiction_id"]),
    ("missing location", {"address_id": None}, 400, ["location"]),
    ("unknown address_id", {"address_id": "999"}, 400, ["address_id"]),
    ("a district is no address", {"address_id": "450902"}, 400, ["address_id"]),
    ("lat without long", {"address_id": None, "lat": "22.6"}, 400, ["long"]),
    ("lat not a number", {"lat": "north", "long": "110.1"}, 400, ["lat"]),
    ("4001 characters", {"description": "坏" * 4001}, 400, ["description"]),
    ("HTML", {"description": "马蜂窝 <script>alert(1)</script>"}, 400, ["description"]),
    ("required attribute missing", {"attribute[nest_spot]": None}, 400, ["attribute[nest_spot]"]),
    ("bad phone", {"phone": "12345"}, 400, ["phone"]),
    ("bad email", {"email": "not-an-email"}, 400, ["email"]),
    ("bad media_url", {"media_url": "javascript:alert(1)"}, 400, ["media_url"]),
    ("two problems at once", {"address_id": None, "description": "<b>x</b>"}, 400, ["location", "description"]),
]


@pytest.mark.parametrize("fmt", FMTS)
@pytest.mark.parametrize(("why", "change", "status", "codes"), BAD_POSTS, ids=[b[0] for b in BAD_POSTS])
def test_bad_posts_are_refused_and_write_nothing(
    cases_world: World, api_key: str, fmt: str, why: str, change: dict[str, Any], status: int, codes: list[str]
) -> None:
    got, body = call(
        Client(), fmt, "requests", "service_requests", submission(cases_world, api_key, **change), post=True
    )
    assert got == status, body
    assert error_codes(body) == codes
    assert all(e["description"] for e in body)
    assert not Case.objects.exists()


def test_a_4000_character_description_is_accepted(cases_world: World, api_key: str) -> None:
    status, _body = call(
        Client(),
        "json",
        "requests",
        "service_requests",
        submission(cases_world, api_key, description="坏" * 4000),
        post=True,
    )
    assert status == 200
    assert len(Case.objects.get().description) == 4000


def test_a_deactivated_client_is_refused(cases_world: World) -> None:
    client, key = open311_client_create(actor=None, name="旧App")
    client.is_active = False
    client.save()
    status, body = call(Client(), "xml", "requests", "service_requests", submission(cases_world, key), post=True)
    assert status == 403 and error_codes(body) == ["api_key"]
    assert not Case.objects.exists()


def test_other_methods_are_not_allowed(cases_world: World) -> None:
    assert Client().post(f"{BASE}/services.json").status_code == 405
    assert Client().delete(f"{BASE}/requests.json").status_code == 405
