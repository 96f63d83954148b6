"""``grassroots demo`` on an empty database: builds, prints JSON only on stdout, rebuilds on request."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from grassroots.demo.builder import demo_build
from grassroots.people.models import Person
from grassroots.territory.models import Region


def _run(*args: str) -> tuple[Any, str]:
    out, err = StringIO(), StringIO()
    call_command("demo", "--no-serve", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_builds_prints_json_and_rebuilds_on_request(db: Any) -> None:
    out, err = _run("--json", "--scale", "0.02")
    logins = json.loads(out)  # stdout is the JSON and nothing else
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
