"""The in-app inbox: only the user's own messages, unread first, mark read, the header bell."""

from __future__ import annotations

import re

from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils.translation import gettext

from grassroots.notifications.models import Notification
from grassroots.notifications.services import notify
from grassroots.notifications.views import PAGE_SIZE
from tests.conftest import SIBLING_MARK, World
from tests.web.helpers import html


def test_inbox_shows_only_own_notifications_unread_first(world: World) -> None:
    me, other = world.users["community_staff"], world.users["sibling_staff"]
    old = notify(recipients=[me], verb="case_new", title="东岳：旧消息")[0]
    notify(recipients=[me], verb="case_new", title="东岳：新消息", url="/cases/1/")
    notify(recipients=[other], verb="case_new", title="北辰：别人的消息")
    Notification.objects.filter(pk=old.pk).update(read_at=old.created_at)
    response = world.client("community_staff").get(reverse("notifications:inbox"))
    assert response.status_code == 200
    titles = [n.title for n in response.context["notifications"]]
    assert titles == ["东岳：新消息", "东岳：旧消息"]
    assert SIBLING_MARK not in html(response)
    assert response.context["unread"] == 1


def test_mark_one_and_all_read(world: World) -> None:
    me = world.users["community_staff"]
    first, second = (notify(recipients=[me], verb="v", title=t)[0] for t in ("一", "二"))
    client = world.client("community_staff")
    response = client.post(reverse("notifications:read", args=[first.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("notifications:inbox")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    assert client.post(reverse("notifications:read_all")).status_code == 302
    assert not Notification.objects.filter(recipient=me, read_at__isnull=True).exists()
    assert "No messages" not in html(client.get(reverse("notifications:inbox")))


def test_open_goes_to_the_link_and_refuses_outside_links(world: World) -> None:
    me = world.users["community_staff"]
    inside = notify(recipients=[me], verb="v", title="内部", url="/cases/7/")[0]
    outside = notify(recipients=[me], verb="v", title="外部", url="https://evil.example/")[0]
    client = world.client("community_staff")
    assert client.post(reverse("notifications:read", args=[inside.pk]), {"open": "1"})["Location"] == "/cases/7/"
    response = client.post(
        reverse("notifications:read", args=[outside.pk]), {"open": "1", "next": "https://x.example/"}
    )
    assert response["Location"] == reverse("notifications:inbox")


def test_another_users_notification_is_not_found_and_unchanged(world: World) -> None:
    theirs = notify(recipients=[world.users["sibling_staff"]], verb="v", title="北辰的")[0]
    client = world.client("community_staff")
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    client.post(reverse("notifications:read_all"))
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_get_does_not_mark_read_and_login_is_required(world: World) -> None:
    mine = notify(recipients=[world.users["community_staff"]], verb="v", title="x")[0]
    client = world.client("community_staff")
    assert client.get(reverse("notifications:read", args=[mine.pk])).status_code == 405
    mine.refresh_from_db()
    assert mine.read_at is None
    from django.test import Client

    response = Client().get(reverse("notifications:inbox"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_empty_state_and_pagination(world: World) -> None:
    client = world.client("grid_worker")
    response = client.get(reverse("notifications:inbox"))
    assert gettext("No messages. Updates on your cases and tasks will appear here.") in html(response)
    notify(recipients=[world.users["grid_worker"]], verb="v", title="消息")
    for _ in range(PAGE_SIZE):
        notify(recipients=[world.users["grid_worker"]], verb="v", title="消息")
    page2 = client.get(reverse("notifications:inbox"), {"page": 2})
    assert len(page2.context["notifications"]) == 1
    assert page2.context["page_obj"].paginator.num_pages == 2


def test_header_bell_shows_the_unread_count(world: World) -> None:
    me = world.users["community_staff"]
    for title in ("a", "b", "c"):
        notify(recipients=[me], verb="v", title=title)
    notify(recipients=[world.users["sibling_staff"]], verb="v", title="d")
    page = html(world.client("community_staff").get(reverse("web:home")))
    assert reverse("notifications:inbox") in page
    bell = page[page.index("inbox-bell") :]
    assert re.match(
        r'[^<]*"[^>]*>\s*<svg.*?</svg>\s*<span[^>]*>[^<]*</span><span class="badge badge-red"[^>]*>3</span>', bell, re.S
    )


def test_resident_reads_the_inbox_in_the_portal_frame(world: World) -> None:
    notify(recipients=[world.users["resident"]], verb="case_fulfilled", title="您的微心愿已兑现")
    response = world.client("resident").get(reverse("notifications:inbox"))
    assert response.status_code == 200
    assert "portal/base.html" in [t.name for t in response.templates]
    assert "您的微心愿已兑现" in html(response)


def test_portal_partial_lists_recent_messages(world: World) -> None:
    resident = world.users["resident"]
    notify(recipients=[resident], verb="v", title="居民消息")
    notify(recipients=[world.users["community_staff"]], verb="v", title="工作人员消息")
    request = RequestFactory().get("/portal/")
    request.user = resident
    from grassroots.notifications.context_processors import unread_notifications

    text = render_to_string(
        "notifications/partials/_portal_inbox.html", {"request": request, **unread_notifications(request)}
    )
    assert "居民消息" in text and "工作人员消息" not in text
