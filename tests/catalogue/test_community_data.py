"""Featured brands and Red Rope stations: community data, managed by staff who handle cases there, scoped."""

from __future__ import annotations

import pytest
from django.urls import reverse

from grassroots.catalogue.models import RedRopeStation, ServiceBrand, ServiceCategory
from grassroots.catalogue.services import brand_create, station_create
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditEvent
from tests.conftest import SIBLING_MARK, World
from tests.web.helpers import html

pytestmark = pytest.mark.usefixtures("catalogue")


@pytest.fixture
def beichen_brand(world: World) -> ServiceBrand:
    return brand_create(
        actor=world.users["sibling_staff"],
        name="北辰蒲公英志愿者爱心服务站",
        region=world.communities["beichen"].region,
    )


@pytest.fixture
def beichen_station(world: World) -> RedRopeStation:
    return station_create(
        actor=world.users["sibling_staff"], name="北辰红绳服务站", region=world.communities["beichen"].region
    )


def test_community_staff_adds_a_brand_in_their_community(world: World) -> None:
    client = world.client("community_staff")
    dongyue = world.communities["dongyue"]
    data = {
        "name": "曾大姐家政服务室",
        "region": dongyue.region.pk,
        "category": ServiceCategory.objects.get(code="elderly").pk,
        "description": "家政、陪护",
        "providers": [dongyue.organization.pk],
    }
    response = client.post(reverse("catalogue:brand_create"), data)
    assert response.status_code == 302
    brand = ServiceBrand.objects.get(name="曾大姐家政服务室")
    assert (brand.community_id, brand.street_id) == (dongyue.region.pk, dongyue.region.street_id)
    assert list(brand.providers.all()) == [dongyue.organization]
    event = AuditEvent.objects.get(target_type__model="servicebrand", target_id=str(brand.pk))
    assert event.action == "create" and event.community_id == dongyue.region.pk
    listing = html(client.get(reverse("catalogue:brand_list")))
    assert "曾大姐家政服务室" in listing and reverse("catalogue:brand_update", args=[brand.pk]) in listing


def test_a_brand_in_another_community_is_refused_and_nothing_written(world: World) -> None:
    client = world.client("community_staff")
    beichen = world.communities["beichen"]
    response = client.post(reverse("catalogue:brand_create"), {"name": "越界品牌", "region": beichen.region.pk})
    assert response.status_code == 200
    assert "region" in response.context["form"].errors
    response = client.post(
        reverse("catalogue:brand_create"),
        {"name": "越界品牌", "region": world.communities["dongyue"].region.pk, "providers": [beichen.organization.pk]},
    )
    assert response.status_code == 200 and "providers" in response.context["form"].errors
    assert not ServiceBrand.objects.filter(name="越界品牌").exists()
    with pytest.raises(ApplicationError) as err:
        brand_create(actor=world.users["community_staff"], name="越界品牌", region=beichen.region)
    assert err.value.status == 403
    assert not ServiceBrand.objects.exists()


def test_another_communitys_brand_and_station_are_not_found(
    world: World, beichen_brand: ServiceBrand, beichen_station: RedRopeStation
) -> None:
    client = world.client("community_staff")
    for name, obj in (("catalogue:brand_update", beichen_brand), ("catalogue:station_update", beichen_station)):
        url = reverse(name, args=[obj.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"name": "改掉", "region": world.communities["dongyue"].region.pk}).status_code == 404
    beichen_brand.refresh_from_db()
    beichen_station.refresh_from_db()
    assert beichen_brand.name.startswith(SIBLING_MARK) and beichen_station.name.startswith(SIBLING_MARK)
    for name in ("catalogue:brand_list", "catalogue:station_list"):
        assert SIBLING_MARK not in html(client.get(reverse(name)))
    # The street sees both communities' rows; the district admin may edit them.
    assert "北辰红绳服务站" in html(world.client("street_staff").get(reverse("catalogue:station_list")))
    response = world.client("district_admin").get(reverse("catalogue:brand_update", args=[beichen_brand.pk]))
    assert response.status_code == 200


def test_grid_worker_reads_but_station_of_own_community_only(world: World, beichen_station: RedRopeStation) -> None:
    dongyue = world.communities["dongyue"]
    station = station_create(actor=world.users["community_staff"], name="东岳红绳服务站", region=dongyue.region)
    page = html(world.client("grid_worker").get(reverse("catalogue:station_list")))
    assert "东岳红绳服务站" in page and SIBLING_MARK not in page
    assert station.community_id == dongyue.region.pk


def test_station_edit_deactivates_and_validation_writes_nothing(world: World) -> None:
    client = world.client("community_staff")
    dongyue = world.communities["dongyue"]
    station = station_create(actor=world.users["community_staff"], name="东岳红绳服务站", region=dongyue.region)
    url = reverse("catalogue:station_update", args=[station.pk])
    response = client.post(url, {"name": "", "region": dongyue.region.pk})
    assert response.status_code == 200 and "name" in response.context["form"].errors
    response = client.post(url, {"name": "东岳红绳服务站", "region": dongyue.building.pk})
    assert response.status_code == 200 and "region" in response.context["form"].errors
    station.refresh_from_db()
    assert station.is_active and station.region_id == dongyue.region.pk
    data = {"name": "东岳花园红绳服务点", "region": dongyue.compound.pk, "opening_hours": "周一至周五 8:00-17:30"}
    assert client.post(url, data).status_code == 302
    station.refresh_from_db()
    assert station.name == "东岳花园红绳服务点" and not station.is_active
    assert station.compound_id == dongyue.compound.pk
    assert AuditEvent.objects.filter(target_type__model="redropestation", target_id=str(station.pk)).count() == 2


def test_party_member_cannot_add_a_station(world: World) -> None:
    client = world.client("party_member")
    assert client.get(reverse("catalogue:station_create")).status_code == 403
    region = world.communities["dongyue"].region.pk
    assert client.post(reverse("catalogue:station_create"), {"name": "x", "region": region}).status_code == 403
    assert not RedRopeStation.objects.exists()
