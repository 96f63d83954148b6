"""Campaign pages for staff: list, create, places and shifts with each shift's fill rate (polled by htmx),
opening and finishing; bad input writes nothing; another community's staff gets a 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from django.utils.translation import gettext

from grassroots.frontline.enums import CampaignStatus
from grassroots.frontline.models import Campaign, CampaignPlace, Shift
from grassroots.frontline.services.campaigns import campaign_create, campaign_open, place_add, shift_add, shift_signup
from tests.conftest import SIBLING_MARK, World
from tests.web.helpers import html

pytestmark = pytest.mark.django_db

LIST = "/frontline/campaigns/"


def open_campaign(w: World, community: str = "dongyue") -> tuple[Campaign, Shift]:
    staff = w.users["community_staff" if community == "dongyue" else "sibling_staff"]
    name = "东岳" if community == "dongyue" else "北辰"
    today = timezone.localdate()
    campaign = campaign_create(
        actor=staff,
        region=w.communities[community].region,
        title=f"{name}社区防汛值守",
        starts_on=today,
        ends_on=today + dt.timedelta(days=7),
    )
    place = place_add(campaign=campaign, actor=staff, name=f"{name}花园北门", kind="checkpoint")
    start = timezone.now() + dt.timedelta(days=1)
    shift = shift_add(
        campaign=campaign, place=place, actor=staff, starts_at=start, ends_at=start + dt.timedelta(hours=4), needed=4
    )
    return campaign_open(campaign=campaign, actor=staff), shift


def test_create_a_campaign_add_places_and_shifts_and_open_it(duty_world: World) -> None:
    w = duty_world
    client = w.client("community_staff")
    assert client.get(f"{LIST}new/").status_code == 200
    today = timezone.localdate()
    data = {
        "region": w.communities["dongyue"].region.pk,
        "title": "东岳社区核酸检测",
        "starts_on": today.isoformat(),
        "ends_on": (today + dt.timedelta(days=3)).isoformat(),
    }
    assert client.post(f"{LIST}new/", {**data, "ends_on": "2000-01-01"}).status_code == 400
    assert client.post(f"{LIST}new/", {**data, "region": w.communities["beichen"].region.pk}).status_code == 400
    assert Campaign.objects.count() == 0
    response = client.post(f"{LIST}new/", data)
    campaign = Campaign.objects.get()
    url = f"{LIST}{campaign.pk}/"
    assert response.status_code == 302 and response["Location"] == url
    assert campaign.status == CampaignStatus.DRAFT
    # a place, then a shift at it
    assert client.post(f"{url}places/new/", {"place-name": "", "place-kind": "testing_site"}).status_code == 400
    client.post(f"{url}places/new/", {"place-name": "东岳广场检测点", "place-kind": "testing_site"})
    place = CampaignPlace.objects.get()
    start = timezone.localtime() + dt.timedelta(days=1)
    shift = {
        "shift-place": place.pk,
        "shift-starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "shift-ends_at": (start + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "shift-needed": "5",
        "shift-duty": "扫码登记",
    }
    bad = client.post(f"{url}shifts/new/", {**shift, "shift-ends_at": shift["shift-starts_at"]})
    assert bad.status_code == 400 and Shift.objects.count() == 0
    assert client.post(f"{url}shifts/new/", shift).status_code == 302
    assert Shift.objects.get().needed == 5
    client.post(f"{url}open/")
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.OPEN
    listing = client.get(LIST)
    assert listing.status_code == 200 and "东岳社区核酸检测" in html(listing)


def test_campaign_page_shows_the_fill_rate_and_polls(duty_world: World, reported_member: Any) -> None:
    w = duty_world
    campaign, shift = open_campaign(w)
    shift_signup(shift=shift, actor=w.users["party_member"])
    client = w.client("community_staff")
    response = client.get(f"{LIST}{campaign.pk}/")
    assert response.status_code == 200
    body = html(response)
    assert "1 / 4" in body and "东岳党员王强" in body and "width: 25%" in body
    assert f'hx-get="/frontline/campaigns/{campaign.pk}/shifts/"' in body and "every 30s" in body
    partial = client.get(f"{LIST}{campaign.pk}/shifts/", headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in html(partial) and 'id="campaign-shifts"' in html(partial)
    client.post(f"{LIST}{campaign.pk}/finish/")
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.FINISHED
    assert "every 30s" not in html(client.get(f"{LIST}{campaign.pk}/"))


def test_campaigns_of_another_community(duty_world: World) -> None:
    w = duty_world
    mine, _shift = open_campaign(w)
    theirs, _other = open_campaign(w, "beichen")
    response = w.client("community_staff").get(LIST)
    assert [c.pk for c in response.context["object_list"]] == [mine.pk]
    assert SIBLING_MARK not in html(response)
    sibling = w.client("sibling_staff")
    assert [c.pk for c in sibling.get(LIST).context["object_list"]] == [theirs.pk]
    url = f"{LIST}{mine.pk}/"
    assert sibling.get(url).status_code == 404
    assert sibling.get(f"{url}shifts/").status_code == 404
    for action in ("open", "finish", "cancel", "places/new", "shifts/new"):
        assert sibling.post(f"{url}{action}/", {"place-name": "越权"}).status_code == 404, action
    mine.refresh_from_db()
    assert mine.status == CampaignStatus.OPEN and mine.places.count() == 1
    for persona in ("party_member", "resident", "unit_admin"):
        assert w.client(persona).get(LIST).status_code == 403, persona
    # the compound secretary sees (VIEW_FRONTLINE) but may not create
    assert w.client("compound_secretary").get(f"{LIST}new/").status_code == 403


def test_empty_campaign_list(duty_world: World) -> None:
    response = duty_world.client("community_staff").get(LIST)
    assert response.status_code == 200
    assert gettext("No campaign yet. Start one to call members and squads to checkpoints and testing sites.") in html(
        response
    )
