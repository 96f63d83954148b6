"""Public notices: published ones of the chosen community only, no login, no personal data."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditEvent
from grassroots.portal.models import Notice
from grassroots.portal.services import notice_publish
from tests.conftest import World

PHONE = {"HTTP_USER_AGENT": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148"}


def test_home_renders_without_login_for_a_phone(world: World) -> None:
    response = Client().get("/portal/", **PHONE)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1' in html
    assert not re.search(r"(src|href|action)=\"(https?:)?//", html), "no external resources"
    assert "http://" not in html and "https://" not in html
    assert "名山街道" in html  # the street step of the community picker
    assert 'action="/i18n/setlang/"' in html


def test_home_picker_goes_street_then_community(world: World) -> None:
    client = Client()
    street = world.streets["mingshan"]
    html = client.get(f"/portal/?street={street.pk}").content.decode()
    assert "东岳社区" in html and "北辰社区" in html
    assert "江滨社区" not in html


def test_notices_show_only_published_ones_of_the_chosen_community(world: World) -> None:
    dongyue, beichen = world.communities["dongyue"].region, world.communities["beichen"].region
    shown = notice_publish(actor=None, community=dongyue, title="停水通知", body="明天9点停水。")
    hidden = notice_publish(actor=None, community=dongyue, title="草稿通知", body="未发布")
    Notice.objects.filter(pk=hidden.pk).update(is_published=False)
    notice_publish(actor=None, community=beichen, title="北辰义诊", body="周六义诊")
    client = Client()
    for url in (f"/portal/?community={dongyue.pk}", f"/portal/notices/?community={dongyue.pk}"):
        html = client.get(url).content.decode()
        assert "停水通知" in html
        assert "草稿通知" not in html
        assert "北辰义诊" not in html
    # the choice is remembered in the session
    assert "停水通知" in client.get("/portal/notices/").content.decode()
    detail = client.get(f"/portal/notices/{shown.pk}/")
    assert detail.status_code == 200 and "明天9点停水。" in detail.content.decode()
    assert client.get(f"/portal/notices/{hidden.pk}/").status_code == 404
    assert client.get("/portal/notices/999999/").status_code == 404


def test_notices_list_without_a_community_asks_for_one(world: World) -> None:
    html = Client().get("/portal/notices/").content.decode()
    assert "名山街道" in html and "北辰" not in html


def test_public_pages_show_no_personal_data(world: World) -> None:
    dongyue = world.communities["dongyue"]
    notice_publish(actor=None, community=dongyue.region, title="通知", body="内容")
    html = Client().get(f"/portal/?community={dongyue.region.pk}").content.decode()
    for person in dongyue.persons:
        assert person.name not in html
        assert person.mobile not in html


def test_notice_publish_is_validated_scoped_and_audited(world: World) -> None:
    dongyue, beichen = world.communities["dongyue"], world.communities["beichen"]
    staff = world.users["community_staff"]
    before = AuditEvent.objects.count()
    notice = notice_publish(actor=staff, community=dongyue.region, title=" 通知 ", body="内容")
    assert notice.title == "通知"
    assert (notice.district_id, notice.street_id, notice.community_id, notice.compound_id) == (
        world.district.pk,
        world.streets["mingshan"].pk,
        dongyue.region.pk,
        None,
    )
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.actor, event.community_id) == ("create", staff, dongyue.region.pk)
    assert Notice.objects.visible_to(staff).filter(pk=notice.pk).exists()
    assert not Notice.objects.visible_to(world.users["sibling_staff"]).filter(pk=notice.pk).exists()

    with pytest.raises(ApplicationError) as exc:
        notice_publish(actor=staff, community=beichen.region, title="越权", body="x")
    assert exc.value.code == "permission_denied"
    with pytest.raises(ApplicationError) as exc:
        notice_publish(actor=staff, community=dongyue.compound, title="", body="")
    assert exc.value.code == "notice_invalid"
    assert set(exc.value.fields) == {"community", "title", "body"}
    with pytest.raises(ApplicationError) as exc:
        notice_publish(actor=world.users["resident"], community=dongyue.region, title="t", body="b")
    assert exc.value.code == "permission_denied"
    assert Notice.objects.count() == 1
    assert AuditEvent.objects.count() == before + 1


def test_admin_creates_a_notice_through_the_service(world: World) -> None:
    staff = world.users["community_staff"]
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(staff)
    add = client.get("/admin/portal/notice/add/")
    assert add.status_code == 200
    html = add.content.decode()
    assert "东岳社区" in html and "北辰社区" not in html
    response = client.post(
        "/admin/portal/notice/add/",
        {
            "target_community": world.communities["dongyue"].region.pk,
            "title": "通知",
            "body": "正文",
            "is_published": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    notice = Notice.objects.get()
    assert notice.community_id == world.communities["dongyue"].region.pk
    events = AuditEvent.objects.filter(action="create", target_type__model="notice", target_id=str(notice.pk))
    assert events.count() == 1
    refused = client.post(
        "/admin/portal/notice/add/",
        {"target_community": world.communities["beichen"].region.pk, "title": "越权", "body": "x"},
    )
    assert refused.status_code == 200
    assert Notice.objects.count() == 1
