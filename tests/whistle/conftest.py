"""Fixtures and helpers for the whistle tests (services, sweep, scorecards, rules, scope, API and pages).

``whistle_world`` is ``duty_world`` (区城市管理局 for ``department_staff``, 区住房和城乡建设局 for
``other_department_staff``) with the resident linked to a person of 东岳社区, so ``make_case`` works too.

``make_whistle(world, ...)`` blows a whistle through the real service (by default: 东岳社区's staff call
区城市管理局, normal urgency, to handle within three days); ``answer(world, call, ...)`` walks a call through
report on site and feedback. The fixtures ``blow_whistle`` and ``answer_call`` bind them to the world.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from grassroots.cases.models import Case
from grassroots.whistle.models import Whistle, WhistleCall
from grassroots.whistle.services import CallInput, call_feedback, call_report, whistle_blow
from tests.conftest import World


@pytest.fixture(autouse=True)
def _at_midday(midday: None) -> None:
    """Every whistle test runs from noon of today (see ``midday`` in tests/conftest.py)."""


SH = ZoneInfo("Asia/Shanghai")

# Which persona answers for which department (``world.duty`` attribute name → persona).
DEPARTMENT_PERSONAS = {"department": "department_staff", "other_department": "other_department_staff"}


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=SH)


def png(name: str = "site.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (6, 6), "green").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def make_whistle(
    world: World,
    *,
    actor: str = "community_staff",
    region: Any = None,
    departments: Sequence[str] = ("department",),
    title: str = "东岳花园污水外溢",
    description: str = "东岳花园1栋下水道堵塞，污水外溢到路面，需要城管和住建部门到场处理。",
    urgency: str = "normal",
    handle_hours: int = 72,
    origin_case: Case | None = None,
    now: dt.datetime | None = None,
) -> Whistle:
    """Blow a whistle through ``whistle_blow``. ``departments`` names ``world.duty`` attributes; ``region``
    defaults to 东岳社区 (a ``world.communities`` key or a Region may be given)."""
    now = now or timezone.now()
    if region is None:
        region = world.communities["dongyue"].region
    elif isinstance(region, str):
        region = world.communities[region].region
    calls = [CallInput(department=getattr(world.duty, name), task=f"{title}：请派人到场") for name in departments]
    return whistle_blow(
        actor=world.users[actor],
        region=region,
        title=title,
        description=description,
        urgency=urgency,
        handle_due=now + dt.timedelta(hours=handle_hours),
        calls=calls,
        origin_case=origin_case,
        now=now,
    )


def call_of(whistle: Whistle, department: str = "department") -> WhistleCall:
    """The whistle's call to a ``world.duty`` department, by attribute name."""
    name = {"department": "区城市管理局", "other_department": "区住房和城乡建设局"}.get(department, department)
    return WhistleCall.objects.select_related("whistle", "department").get(whistle=whistle, department__name=name)


def answer(
    world: World,
    call: WhistleCall,
    *,
    persona: str | None = None,
    reported_at: dt.datetime | None = None,
    fed_back_at: dt.datetime | None = None,
    feedback: bool = True,
) -> WhistleCall:
    """Report on site (at ``reported_at``) and, unless ``feedback=False``, feed back (at ``fed_back_at``)."""
    if persona is None:
        persona = next(
            p for attr, p in DEPARTMENT_PERSONAS.items() if getattr(world.duty, attr).pk == call.department_id
        )
    user = world.users[persona]
    call = call_report(call=call, actor=user, on_site_people="张队长等3人", note="已到场", now=reported_at)
    if feedback:
        call = call_feedback(call=call, actor=user, note="已疏通管道并清理路面", now=fed_back_at)
    return call


@pytest.fixture
def whistle_world(duty_world: World) -> World:
    """``duty_world`` with the resident linked to a person of 东岳社区 (so ``make_case`` can submit as them)."""
    resident = duty_world.users["resident"]
    resident.person = duty_world.communities["dongyue"].persons[0]
    resident.save()
    return duty_world


@pytest.fixture
def blow_whistle(whistle_world: World) -> Callable[..., Whistle]:
    """``make_whistle`` bound to the world: ``blow_whistle(departments=("department", "other_department"))``."""

    def blow(**kwargs: Any) -> Whistle:
        return make_whistle(whistle_world, **kwargs)

    return blow


@pytest.fixture
def answer_call(whistle_world: World) -> Callable[..., WhistleCall]:
    """``answer`` bound to the world: ``answer_call(call, feedback=False)``."""

    def run(call: WhistleCall, **kwargs: Any) -> WhistleCall:
        return answer(whistle_world, call, **kwargs)

    return run


@pytest.fixture
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
