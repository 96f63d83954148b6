"""Every routed resource, every persona: the list is exactly the scoped queryset, every other id is a 404.

The resources are read from the router, so a viewset registered later is covered without editing this test.
"""

from __future__ import annotations

from typing import Any

import pytest

from grassroots.accounts.roles import has_capability
from grassroots.api_urls import router
from grassroots.core.api import ScopedReadOnlyViewSet
from tests.api.conftest import Api, assert_error
from tests.conftest import World

PERSONAS = [
    "district_admin",
    "street_staff",
    "community_staff",
    "sibling_staff",
    "compound_secretary",
    "grid_worker",
    "department_staff",
    "unit_admin",
    "party_member",
    "resident",
]
# Resources whose rows are exactly ``visible_to(user)`` under one capability. The catalogue (district-wide, for any
# signed-in user) and cases (scope plus one's own requests and claims; the wall with status=open) name no
# capability and have their own scope tests in tests/cases/test_api*.py.
RESOURCES = [(prefix, viewset) for prefix, viewset, _basename in router.registry if getattr(viewset, "capability", "")]


def test_every_resource_is_a_scoped_viewset_naming_its_model() -> None:
    assert [prefix for prefix, _viewset in RESOURCES] == ["regions", "grids", "organizations", "persons"]
    for _prefix, viewset in RESOURCES:
        assert issubclass(viewset, ScopedReadOnlyViewSet)
        queryset = viewset.queryset
        assert queryset is not None
        assert viewset.capability == queryset.model.SCOPE_CAPABILITY
        assert not queryset.all().exists()  # the class attribute only names the model


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("prefix", "viewset"), RESOURCES)
def test_list_and_detail_follow_the_scoped_queryset(
    api: Api, world: World, persona: str, prefix: str, viewset: Any
) -> None:
    user = world.users[persona]
    model = viewset.queryset.model
    client = api(persona)

    response = client.get(f"/api/v1/{prefix}/", {"page_size": 200})

    if not has_capability(user, viewset.capability):
        assert_error(response, 403, "permission_denied")
        return
    visible = set(model.objects.visible_to(user).values_list("pk", flat=True))
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == visible
    assert response.json()["count"] == len(visible)
    for obj in model.objects.exclude(pk__in=visible):
        assert_error(client.get(f"/api/v1/{prefix}/{obj.pk}/"), 404, "not_found")
    for pk in sorted(visible)[:3]:
        assert client.get(f"/api/v1/{prefix}/{pk}/").status_code == 200
