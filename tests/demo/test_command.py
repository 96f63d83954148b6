"""``grassroots demo`` on an empty database: builds, prints JSON only on stdout, rebuilds on request."""

from __future__ import annotations

import json
import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from grassroots.cases.models import Open311Client
from grassroots.cases.services import open311_client_authenticate
from grassroots.demo.builder import demo_build
from grassroots.people.models import Person
from grassroots.territory.models import Region


def _run(*args: str) -> tuple[Any, str]:
    out, err = StringIO(), StringIO()
    call_command("demo", "--no-serve", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_builds_prints_json_and_rebuilds_on_request(db: Any) -> None:
    out, err = _run("--json", "--scale", "0.02")
    shown = json.loads(out)  # stdout is the JSON and nothing else
    logins = shown["logins"]
    assert shown["open311"] == "http://127.0.0.1:8000/open311/v2/"
    client = open311_client_authenticate(key=shown["open311_api_key"])
    assert client is not None and client.name == "演示客户端"
    assert "deeds: 181" in err and "catalogue.stations: 35" in err
    assert len(logins) == 10 and len({x["role"] for x in logins}) == 9
    assert {
        "username": "community_dongyue",
        "password": "Demo-Only-2026!",
        "role": "community_staff",
        "scope": "东岳社区",
    } in logins
    assert "persons: 1000" in err
    names = list(Person.objects.order_by("pk").values_list("name", flat=True))

    out, err = _run("--scale", "0.04")  # already built: not built again
    assert Person.objects.count() == 1000
    assert "community_dongyue" in out and "东岳社区" in out
    keys = re.findall(r"[A-Za-z0-9_-]{32}", out.split("Open311", 1)[1])  # the banner shows the demo client's key
    assert len(keys) == 1 and open311_client_authenticate(key=keys[0]) is not None
    assert Open311Client.objects.count() == 2  # a new key each start: only hashes are kept

    _run("--rebuild", "--scale", "0.02", "--seed", "7")
    assert Region.objects.filter(kind="district").count() == 1
    assert Person.objects.count() == 1000
    assert list(Person.objects.order_by("pk").values_list("name", flat=True)) != names


def test_a_bad_scale_is_refused(db: Any) -> None:
    with pytest.raises(CommandError):
        _run("--scale", "0")
    assert not Region.objects.exists()


def test_a_failed_build_leaves_nothing(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from grassroots.demo import builder

    def fail(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(builder, "user_create", fail)
    with pytest.raises(RuntimeError):
        demo_build(scale=0.02)
    assert not Region.objects.exists() and not Person.objects.exists()
