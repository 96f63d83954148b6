"""The portal's shell: language switch, tab bar, pluggable code sender, bounded queries."""

from __future__ import annotations

from typing import Any, ClassVar

from django.test import Client

from grassroots.portal.services import notice_publish
from tests.conftest import World


class RecordingSender:
    sent: ClassVar[list[tuple[str, str]]] = []

    def send(self, mobile: str, code: str) -> None:
        self.sent.append((mobile, code))


def test_language_switch_without_javascript(world: World) -> None:
    client = Client()
    html = client.get("/portal/").content.decode()
    assert "我的诉求" in html or "My requests" in html
    assert 'name="language" value="en"' in html and 'name="language" value="zh-hans"' in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/portal/"})
    assert response.status_code == 302 and response["Location"] == "/portal/"
    html = client.get("/portal/").content.decode()
    assert '<html lang="en">' in html
    assert "My requests" in html and "I need help" in html


def test_tab_bar_marks_the_current_page(world: World) -> None:
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get("/portal/notices/").content.decode()
    assert 'href="/portal/notices/" aria-current="page"' in html
    for url in ("/portal/", "/portal/requests/", "/portal/me/"):
        assert f'href="{url}"' in html


def test_help_is_a_polite_placeholder(world: World) -> None:
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get("/portal/help/").content.decode()
    assert "coming soon" in html


def test_the_code_sender_is_pluggable(world: World, settings: Any) -> None:
    settings.PORTAL_OTP_SENDER = "tests.portal.test_shell.RecordingSender"
    settings.PORTAL_DEMO_SHOW_CODE = False
    RecordingSender.sent.clear()
    person = world.communities["dongyue"].persons[0]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.post("/portal/login/", {"mobile": person.mobile})
    assert [m for m, _ in RecordingSender.sent] == [person.mobile]
    code = RecordingSender.sent[0][1]
    assert code not in client.get("/portal/verify/").content.decode()
    assert client.post("/portal/verify/", {"code": code}).status_code == 302


def test_notice_list_queries_do_not_grow_with_the_page(world: World, django_assert_max_num_queries: Any) -> None:
    community = world.communities["dongyue"].region
    for i in range(25):
        notice_publish(actor=None, community=community, title=f"通知{i}", body="内容")
    client = Client()
    client.get(f"/portal/notices/?community={community.pk}")
    with django_assert_max_num_queries(8):
        html = client.get(f"/portal/notices/?community={community.pk}&page=2").content.decode()
    assert "通知0" in html
