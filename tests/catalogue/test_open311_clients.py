"""Open311 keys: issued by district admins, shown once, stored as a hash, deactivated, refused to others."""

from __future__ import annotations

from django.urls import reverse

from grassroots.cases.models import Open311Client
from grassroots.cases.services import open311_client_authenticate
from grassroots.core.models import AuditEvent
from grassroots.core.personal_data import lookup_hash
from tests.conftest import World
from tests.web.helpers import html


def test_key_is_shown_once_and_stored_hashed(world: World) -> None:
    client = world.client("district_admin")
    response = client.post(reverse("catalogue:open311_client_create"), {"name": "12345热线系统"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    key = response.context["key"]
    assert len(key) >= 24 and key in html(response)
    stored = Open311Client.objects.get(name="12345热线系统")
    assert stored.key_hash == lookup_hash(f"open311:{key}")
    assert key not in {stored.key_hash, stored.key_prefix, stored.name}
    assert stored.key_prefix == key[:8]
    listing = html(client.get(reverse("catalogue:open311_client_list")))
    assert "12345热线系统" in listing and key not in listing and stored.key_prefix in listing
    assert open311_client_authenticate(key=key) == stored
    assert AuditEvent.objects.filter(action="create", target_type__model="open311client").count() == 1


def test_deactivated_key_no_longer_works(world: World) -> None:
    client = world.client("district_admin")
    response = client.post(reverse("catalogue:open311_client_create"), {"name": "网格App"})
    key = response.context["key"]
    stored = Open311Client.objects.get(name="网格App")
    response = client.post(reverse("catalogue:open311_client_deactivate", args=[stored.pk]))
    assert response.status_code == 302
    stored.refresh_from_db()
    assert not stored.is_active
    assert open311_client_authenticate(key=key) is None
    assert AuditEvent.objects.filter(action="update", target_type__model="open311client").count() == 1


def test_a_name_is_required(world: World) -> None:
    response = world.client("district_admin").post(reverse("catalogue:open311_client_create"), {"name": "  "})
    assert response.status_code == 200 and "name" in response.context["form"].errors
    assert not Open311Client.objects.exists()


def test_non_admins_get_403(world: World) -> None:
    stored = Open311Client.objects.create(name="旧客户端", key_prefix="abcdefgh", key_hash="x" * 64)
    for persona in ("community_staff", "street_staff", "party_member", "resident"):
        client = world.client(persona)
        assert client.get(reverse("catalogue:open311_client_list")).status_code == 403
        assert client.post(reverse("catalogue:open311_client_create"), {"name": "偷偷"}).status_code == 403
        assert client.post(reverse("catalogue:open311_client_deactivate", args=[stored.pk])).status_code == 403
    assert list(Open311Client.objects.values_list("name", "is_active")) == [("旧客户端", True)]
