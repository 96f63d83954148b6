"""Resident sign-in by mobile number and a one-time code."""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from grassroots.accounts.enums import Role
from grassroots.accounts.models import RoleAssignment, User
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditEvent
from grassroots.people.models import Person
from grassroots.portal.models import OtpChallenge, OtpRequest
from grassroots.portal.services import otp_verify
from tests.conftest import World
from tests.factories import make_person

UNKNOWN = "13800138000"
# Messages are asserted in English (the message ids), so the tests do not depend on the catalogue's wording.
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
CODE_RE = re.compile(r"(?:验证码为|code is)\s*(\d{6})")


@pytest.fixture
def resident(world: World) -> Person:
    return world.communities["dongyue"].persons[0]


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    return caplog


def _client() -> Client:
    return Client(**EN)


def _ask(client: Client, mobile: str) -> str:
    response = client.post("/portal/login/", {"mobile": mobile})
    assert response.status_code == 302, response.content.decode()[:1500]
    assert response["Location"] == "/portal/verify/"
    return client.get("/portal/verify/").content.decode()


def _code(html: str) -> str:
    match = CODE_RE.search(html)
    assert match, html
    return match.group(1)


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def _page_text(html: str) -> str:
    """The visible words of a page, without the per-request CSRF token."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_code_is_shown_in_demo_mode_and_logged_masked(world: World, resident: Person, logs: Any) -> None:
    client = _client()
    html = _ask(client, resident.mobile)
    code = _code(html)
    assert "Demo mode" in html
    assert resident.mobile_masked in html
    assert any(code in r.getMessage() and resident.mobile_masked in r.getMessage() for r in logs.records)
    challenge = OtpChallenge.objects.get()
    assert challenge.person == resident
    assert code not in (challenge.code_hash, challenge.salt)
    assert challenge.expires_at - challenge.created_at == dt.timedelta(minutes=5)


def test_correct_code_signs_in_and_creates_the_resident_user_once(world: World, resident: Person) -> None:
    client = _client()
    response = client.post("/portal/verify/", {"code": _code(_ask(client, resident.mobile))})
    assert response.status_code == 302 and response["Location"] == "/portal/me/"
    user = User.objects.get(person=resident)
    assert not user.has_usable_password()
    assert not user.is_staff
    assert list(RoleAssignment.objects.filter(user=user).values_list("role", "region")) == [
        (Role.RESIDENT, resident.compound_id)
    ]
    assert AuditEvent.objects.filter(action="login", actor=user).count() == 1
    me = client.get("/portal/me/")
    assert me.status_code == 200
    html = me.content.decode()
    assert resident.mobile_masked in html and "东岳花园" in html and "东岳社区" in html
    assert client.get("/portal/requests/").status_code == 200
    assert OtpChallenge.objects.get().used_at is not None

    # a second sign-in reuses the user
    client.post("/portal/logout/")
    assert client.get("/portal/me/").status_code == 302
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=2)):
        other = _client()
        response = other.post("/portal/verify/", {"code": _code(_ask(other, resident.mobile))})
        assert response.status_code == 302
    assert User.objects.filter(person=resident).count() == 1
    assert RoleAssignment.objects.filter(user=user).count() == 1
    assert AuditEvent.objects.filter(action="login", actor=user).count() == 2


def test_a_used_code_does_not_work_twice(world: World, resident: Person) -> None:
    client = _client()
    code = _code(_ask(client, resident.mobile))
    pending = dict(client.session["portal_otp"])
    client.post("/portal/verify/", {"code": code})
    assert client.session.get("portal_otp") is None  # cleared on sign-in
    with pytest.raises(ApplicationError) as exc:
        otp_verify(mobile_hash=pending["h"], code=code)
    assert exc.value.code == "otp_wrong"
    assert AuditEvent.objects.filter(action="login").count() == 1


def test_wrong_code_is_refused_and_counted(world: World, resident: Person) -> None:
    client = _client()
    code = _code(_ask(client, resident.mobile))
    response = client.post("/portal/verify/", {"code": _wrong(code)})
    assert response.status_code == 200
    assert "The code is not correct" in response.content.decode()
    assert "4 more tries" in response.content.decode()
    assert OtpChallenge.objects.get().attempts == 1
    for _ in range(4):
        response = client.post("/portal/verify/", {"code": _wrong(code)})
    assert OtpChallenge.objects.get().attempts == 5
    assert "Too many wrong codes" in response.content.decode()
    # even the right code no longer works
    response = client.post("/portal/verify/", {"code": code})
    assert response.status_code == 200 and "Too many wrong codes" in response.content.decode()
    assert not User.objects.filter(person=resident).exists()
    assert "_auth_user_id" not in client.session


def test_expired_code_is_refused(world: World, resident: Person) -> None:
    client = _client()
    code = _code(_ask(client, resident.mobile))
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5, seconds=1)):
        response = client.post("/portal/verify/", {"code": code})
    assert response.status_code == 200
    assert "The code has expired" in response.content.decode()
    assert not User.objects.filter(person=resident).exists()


def test_sending_is_rate_limited(world: World, resident: Person) -> None:
    client = _client()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        _ask(client, resident.mobile)
        response = client.post("/portal/login/", {"mobile": resident.mobile})
        assert response.status_code == 200
        assert "seconds before asking again" in response.content.decode()
        for _ in range(4):
            traveller.shift(dt.timedelta(seconds=61))
            _ask(client, resident.mobile)
        traveller.shift(dt.timedelta(seconds=61))
        response = client.post("/portal/login/", {"mobile": resident.mobile})
        assert response.status_code == 200
        assert "in the last hour" in response.content.decode()
        assert OtpChallenge.objects.count() == 5
        traveller.shift(dt.timedelta(hours=1))
        _ask(client, resident.mobile)
    assert OtpChallenge.objects.count() == 6


def test_unknown_mobile_gets_the_same_answer_and_no_challenge(
    world: World, resident: Person, settings: Any, logs: Any
) -> None:
    settings.PORTAL_DEMO_SHOW_CODE = False
    known, unknown = _client(), _client()
    known_html = _ask(known, resident.mobile).replace(resident.mobile_masked, "MASKED")
    unknown_html = _ask(unknown, UNKNOWN).replace("138****8000", "MASKED")
    assert _page_text(known_html) == _page_text(unknown_html)
    assert OtpChallenge.objects.count() == 1  # the known number's only
    assert OtpRequest.objects.count() == 2
    known_wrong = known.post("/portal/verify/", {"code": "000000"}).content.decode()
    unknown_wrong = unknown.post("/portal/verify/", {"code": "000000"}).content.decode()
    if OtpChallenge.objects.get().attempts:  # (the real code may be 000000 once in a million runs)
        assert _page_text(known_wrong.replace(resident.mobile_masked, "MASKED")) == _page_text(
            unknown_wrong.replace("138****8000", "MASKED")
        )
    # the rate limit applies alike
    assert "seconds before asking again" in unknown.post("/portal/login/", {"mobile": UNKNOWN}).content.decode()
    assert not any(UNKNOWN in r.getMessage() for r in logs.records)


def test_invalid_mobile_is_refused(world: World) -> None:
    response = _client().post("/portal/login/", {"mobile": "12345"})
    assert response.status_code == 200
    assert OtpRequest.objects.count() == 0
    assert "valid mainland China mobile number" in response.content.decode()


def test_a_person_without_compound_is_refused(world: World) -> None:
    person = make_person(name="无房张三", household=None)
    client = _client()
    response = client.post("/portal/verify/", {"code": _code(_ask(client, person.mobile))})
    assert response.status_code == 200
    assert "no residential compound" in response.content.decode()
    assert not User.objects.filter(person=person).exists()
    assert "_auth_user_id" not in client.session


def test_a_staff_account_does_not_open_with_a_code(world: World, resident: Person) -> None:
    staff = world.users["community_staff"]
    staff.person = resident
    staff.save(update_fields=["person"])
    client = _client()
    response = client.post("/portal/verify/", {"code": _code(_ask(client, resident.mobile))})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_mobile_never_appears_unmasked(world: World, resident: Person, logs: Any) -> None:
    client = _client()
    pages = [_ask(client, resident.mobile)]
    code = _code(pages[0])
    pages.append(client.post("/portal/verify/", {"code": _wrong(code)}).content.decode())
    client.post("/portal/verify/", {"code": code})
    for url in ("/portal/", "/portal/me/", "/portal/requests/", "/portal/notices/", "/portal/help/"):
        pages.append(client.get(url).content.decode())
    for html in pages:
        assert resident.mobile not in html
    for record in logs.records:
        assert resident.mobile not in record.getMessage()
    assert resident.mobile not in str([e.changes for e in AuditEvent.objects.all()])


def test_me_and_requests_need_a_sign_in(world: World) -> None:
    client = _client()
    for url in ("/portal/me/", "/portal/requests/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/portal/login/?next=")


def test_verify_without_a_pending_code_goes_back_to_login(world: World) -> None:
    response = _client().get("/portal/verify/")
    assert response.status_code == 302 and response["Location"] == "/portal/login/"


def test_staff_pages_refuse_a_resident(world: World, resident: Person) -> None:
    client = _client()
    client.post("/portal/verify/", {"code": _code(_ask(client, resident.mobile))})
    assert "_auth_user_id" in client.session
    assert client.get("/persons/").status_code == 403
    assert client.get("/portal/me/").status_code == 200


def test_empty_requests_page_explains(world: World) -> None:
    html = world.client("resident").get("/portal/requests/", **EN).content.decode()
    assert "You have not submitted any requests yet." in html


def test_old_codes_are_purged(world: World, resident: Person) -> None:
    from grassroots.portal.services import otp_purge

    _ask(_client(), resident.mobile)
    _ask(_client(), UNKNOWN)
    assert otp_purge() == 0
    with time_machine.travel(timezone.now() + dt.timedelta(days=1, minutes=1)):
        assert otp_purge() == 3
        assert otp_purge() == 0
    assert not OtpChallenge.objects.exists() and not OtpRequest.objects.exists()


def test_code_housekeeping_runs_every_hour() -> None:
    import datetime as _dt

    from huey.contrib.djhuey import HUEY

    from grassroots.portal.tasks import otp_purge_task

    due = {t.name for t in HUEY.read_periodic(_dt.datetime(2026, 11, 27, 10, 17))}
    not_due = {t.name for t in HUEY.read_periodic(_dt.datetime(2026, 11, 27, 10, 18))}
    assert otp_purge_task.task_class.__name__ in due
    assert otp_purge_task.task_class.__name__ not in not_due


def test_favicon_is_served_by_the_project(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/favicon.svg"
    assert client.get("/static/favicon.svg").status_code == 200
