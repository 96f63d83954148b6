"""The audit log page: district admins only, scoped, filterable."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from grassroots.core.models import AuditEvent
from grassroots.people.services import person_unmask
from tests.conftest import World
from tests.web.helpers import html


def test_audit_page_is_refused_to_community_staff_and_open_to_the_district_admin(world: World) -> None:
    assert world.client("community_staff").get("/audit/").status_code == 403
    assert world.client("street_staff").get("/audit/").status_code == 403
    response = world.client("district_admin").get("/audit/")
    assert response.status_code == 200
    assert (
        response.context["page_obj"].paginator.count
        == AuditEvent.objects.visible_to(world.users["district_admin"]).count()
    )


def test_audit_page_filters(world: World) -> None:
    zhang = world.communities["dongyue"].persons[0]
    person_unmask(actor=world.users["community_staff"], person=zhang)
    person_unmask(actor=world.users["street_staff"], person=zhang)
    client = world.client("district_admin")

    unmasks = client.get("/audit/", {"action": "unmask"}).context["object_list"]
    assert [e.actor.username for e in unmasks] == ["street_staff", "community_staff"]
    by_actor = client.get("/audit/", {"actor": "community_staff"}).context["object_list"]
    assert [e.action for e in by_actor] == ["unmask"]

    today = timezone.localdate().isoformat()
    assert (
        len(client.get("/audit/", {"action": "unmask", "date_from": today, "date_to": today}).context["object_list"])
        == 2
    )
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert len(client.get("/audit/", {"date_from": tomorrow}).context["object_list"]) == 0

    page = html(client.get("/audit/", {"action": "unmask"}))
    assert zhang.name in page
    assert zhang.mobile not in page
    assert zhang.id_number not in page
    everything = html(client.get("/audit/"))  # includes the "create" rows with every field of the person
    for secret in (zhang.mobile, zhang.id_number, zhang.address, zhang.birth_date.isoformat()):  # type: ignore[union-attr]
        assert secret not in everything


def test_audit_page_rejects_a_reversed_date_range(world: World) -> None:
    response = world.client("district_admin").get("/audit/", {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["date_to"]


def test_audit_page_shows_only_the_admins_district(world: World) -> None:
    from grassroots.accounts.services import role_assign, user_create
    from grassroots.territory.services import region_create

    other = region_create(actor=None, kind="district", name="福绵区", code="450903")
    admin = user_create(actor=None, username="other_admin", password="Other-Passw0rd!")
    role_assign(actor=None, user=admin, role="district_admin", region=other)
    from django.test import Client

    client = Client()
    client.force_login(admin)
    events = client.get("/audit/").context["object_list"]
    assert all(e.district_id == other.pk for e in events)
    assert "玉州区" not in html(client.get("/audit/"))
