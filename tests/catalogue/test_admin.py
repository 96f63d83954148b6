"""Admin registration of the catalogue, cases, Open311 keys and notifications: scoped, read-only, masked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from grassroots.cases.models import Case, Open311Client
from grassroots.catalogue.models import ServiceItem
from grassroots.catalogue.services import station_create
from grassroots.notifications.services import notify
from tests.admin.helpers import staff_client
from tests.cases.factories import make_case
from tests.conftest import SIBLING_MARK, World
from tests.web.helpers import html

pytestmark = pytest.mark.usefixtures("catalogue")


def test_case_admin_is_scoped_read_only_and_masks_the_mobile(world: World) -> None:
    dongyue = make_case(world, channel="walk_in", actor=world.users["community_staff"], contact_mobile="13912345678")
    beichen = make_case(world, community="beichen", channel="walk_in", actor=world.users["sibling_staff"])
    client = staff_client(world, "community_staff")
    listing = client.get(reverse("admin:cases_case_changelist"))
    assert listing.status_code == 200
    assert [c.pk for c in listing.context["cl"].result_list] == [dongyue.pk]
    page = html(client.get(reverse("admin:cases_case_change", args=[dongyue.pk])))
    assert "139****5678" in page and "13912345678" not in page
    response = client.get(reverse("admin:cases_case_change", args=[beichen.pk]))
    assert response.status_code == 302 and SIBLING_MARK not in html(response)
    assert client.get(reverse("admin:cases_case_add")).status_code == 403
    assert client.post(reverse("admin:cases_case_delete", args=[dongyue.pk]), {"post": "yes"}).status_code == 403
    assert Case.objects.filter(pk=dongyue.pk).exists()


def test_catalogue_admin_is_read_only_and_brands_are_scoped(world: World) -> None:
    station_create(actor=None, name="北辰红绳服务站", region=world.communities["beichen"].region)
    client = staff_client(world, "community_staff")
    item = ServiceItem.objects.get(code="hornet-nest")
    assert client.get(reverse("admin:catalogue_serviceitem_change", args=[item.pk])).status_code == 200
    response = client.post(reverse("admin:catalogue_serviceitem_change", args=[item.pk]), {"name": "改名"})
    assert response.status_code == 403
    assert ServiceItem.objects.get(pk=item.pk).name == "摘除马蜂窝"
    assert SIBLING_MARK not in html(client.get(reverse("admin:catalogue_redropestation_changelist")))


def test_open311_keys_in_the_admin_only_for_district_admins(world: World) -> None:
    Open311Client.objects.create(name="热线", key_prefix="abcdefgh", key_hash="h" * 64)
    assert (
        staff_client(world, "community_staff").get(reverse("admin:cases_open311client_changelist")).status_code == 403
    )
    page = html(staff_client(world, "district_admin").get(reverse("admin:cases_open311client_changelist")))
    assert "热线" in page and "h" * 64 not in page


def test_notification_admin_lists_only_own_messages(world: World) -> None:
    notify(recipients=[world.users["community_staff"]], verb="v", title="我的消息")
    notify(recipients=[world.users["sibling_staff"]], verb="v", title="北辰的消息")
    page = html(staff_client(world, "community_staff").get(reverse("admin:notifications_notification_changelist")))
    assert "我的消息" in page and SIBLING_MARK not in page
