"""The person list (search, filters, masking, query count), the detail page and the audited unmask action."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from grassroots.core.models import AuditEvent
from grassroots.people.models import Person
from grassroots.people.services import party_membership_set, person_role_assign
from tests.conftest import PASSWORD, World
from tests.factories import make_person
from tests.web.helpers import csrf_token, html


def names(response: object) -> list[str]:
    return [p.name for p in response.context["object_list"]]  # type: ignore[attr-defined]


@pytest.fixture
def zhang(world: World) -> Person:
    return world.communities["dongyue"].persons[0]  # 东岳张伟


# Search


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("张伟", ["东岳张伟"]),
        ("东岳", ["东岳李娜", "东岳张伟"]),
        ("dyzw", ["东岳张伟"]),
        ("DYZW", ["东岳张伟"]),
        ("dongyuezhang", ["东岳张伟"]),
        ("dy", ["东岳李娜", "东岳张伟"]),
        ("王", []),
    ],
)
def test_search_by_name_pinyin_and_initials(world: World, query: str, expected: list[str]) -> None:
    response = world.client("community_staff").get("/persons/", {"q": query})
    assert names(response) == expected


def test_search_by_exact_mobile_and_id_number(world: World, zhang: Person) -> None:
    client = world.client("community_staff")
    assert names(client.get("/persons/", {"q": zhang.mobile})) == [zhang.name]
    assert names(client.get("/persons/", {"q": zhang.id_number})) == [zhang.name]
    assert names(client.get("/persons/", {"q": zhang.id_number.lower()})) == [zhang.name]


def test_partial_numbers_do_not_match(world: World, zhang: Person) -> None:
    client = world.client("community_staff")
    for partial in (zhang.mobile[:7], zhang.mobile[-4:], zhang.id_number[:10], zhang.id_number[-6:]):
        response = client.get("/persons/", {"q": partial})
        assert names(response) == [], partial
        assert response.context["echo_query"] == ""  # the empty state does not repeat a searched number


def test_search_never_crosses_the_scope(world: World) -> None:
    beichen = world.communities["beichen"].persons[0]
    client = world.client("community_staff")
    assert names(client.get("/persons/", {"q": beichen.mobile})) == []
    assert names(client.get("/persons/", {"q": beichen.id_number})) == []
    assert names(client.get("/persons/", {"q": "bc"})) == []


def test_filter_by_region(world: World) -> None:
    client = world.client("street_staff")
    dongyue = world.communities["dongyue"]
    assert len(names(client.get("/persons/"))) == 4
    assert names(client.get("/persons/", {"region": dongyue.region.pk})) == ["东岳李娜", "东岳张伟"]
    # A compound (reached from the region page) is accepted although the drop-down lists streets and communities.
    assert names(client.get("/persons/", {"region": dongyue.compound.pk})) == ["东岳李娜", "东岳张伟"]
    # A region out of scope is not a valid choice: nothing is listed, and it is not named.
    jiangbin = world.communities["jiangbin"].region
    response = client.get("/persons/", {"region": jiangbin.pk})
    assert names(response) == []
    assert "江滨" not in html(response)


def test_empty_states(world: World) -> None:
    client = world.client("community_staff")
    searched = client.get("/persons/", {"q": "王五"})
    assert searched.context["filtered"] is True
    assert "“王五”" in html(searched)
    # A compound secretary of a compound where nobody is registered sees the plain empty state.
    Person.objects.filter(compound=world.communities["dongyue"].compound).update(compound=None)
    response = world.client("compound_secretary").get("/persons/")
    assert names(response) == []
    assert response.context["filtered"] is False
    assert 'class="card empty"' in html(response)


def test_list_is_paginated_by_fifty(world: World) -> None:
    household = world.communities["dongyue"].household
    for n in range(60):
        make_person(name=f"东岳测试{n:02d}", household=household)
    client = world.client("community_staff")
    first = client.get("/persons/")
    assert len(first.context["object_list"]) == 50
    assert first.context["page_obj"].paginator.count == 62
    second = client.get("/persons/", {"page": 2})
    assert len(second.context["object_list"]) == 12
    assert 'href="?page=1"' in html(second)


def _count_list_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/persons/")
    assert response.status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_the_page(world: World) -> None:
    household = world.communities["dongyue"].household
    for n in range(3):
        make_person(name=f"东岳甲{n}", household=household)
    client = world.client("community_staff")
    five = _count_list_queries(client)
    assert len(client.get("/persons/").context["object_list"]) == 5
    for n in range(45):
        make_person(name=f"东岳乙{n:02d}", household=household)
    client = world.client("community_staff")
    fifty = _count_list_queries(client)
    assert len(client.get("/persons/").context["object_list"]) == 50
    assert fifty == five
    assert five <= 11  # includes the header bell's unread-message count


# Masking


def test_list_and_detail_show_numbers_masked_only(world: World, zhang: Person) -> None:
    client = world.client("community_staff")
    for url in ("/persons/", f"/persons/{zhang.pk}/", "/"):
        page = html(client.get(url))
        assert zhang.mobile not in page, url
        assert zhang.id_number not in page, url
        assert zhang.address not in page, url
    response = client.get(f"/persons/{zhang.pk}/")
    page = html(response)
    assert zhang.mobile_masked in page
    assert zhang.id_number_masked in page
    assert zhang.address_masked in page


def test_detail_shows_the_age_not_the_birth_date(world: World, zhang: Person) -> None:
    """The birth date would fill in the digits the masked ID number hides (also in the change history)."""
    assert zhang.birth_date is not None
    page = html(world.client("community_staff").get(f"/persons/{zhang.pk}/"))
    for shown in (zhang.birth_date.isoformat(), zhang.birth_date.strftime("%Y%m%d"), zhang.birth_date.strftime("%Y年")):
        assert shown not in page
    assert f"<dd>{zhang.age}</dd>" in page


# Detail


def test_detail_shows_membership_roles_and_history(world: World, zhang: Person) -> None:
    dongyue = world.communities["dongyue"]
    party_membership_set(
        actor=None, person=zhang, organization=dongyue.organization, joined_on=dt.date(2005, 7, 1), category="resident"
    )
    person_role_assign(actor=None, person=zhang, kind="grid_head", grid=dongyue.grid)
    response = world.client("community_staff").get(f"/persons/{zhang.pk}/")
    page = html(response)
    assert response.context["membership"].organization == dongyue.organization
    assert "东岳社区党委" in page
    assert [r.kind for r in response.context["roles"]] == ["grid_head"]
    assert [e.action for e in response.context["history"]] == ["create"]


def test_detail_history_is_scoped_to_the_person(world: World, zhang: Person) -> None:
    other = world.communities["dongyue"].persons[1]
    response = world.client("community_staff").get(f"/persons/{zhang.pk}/")
    assert {e.target_id for e in response.context["history"]} == {str(zhang.pk)}
    assert other.name not in html(response)


# Unmask


def test_unmask_button_only_for_roles_that_may_unmask(world: World, zhang: Person) -> None:
    action = f'action="/persons/{zhang.pk}/unmask/"'
    assert action in html(world.client("community_staff").get(f"/persons/{zhang.pk}/"))
    assert action not in html(world.client("grid_worker").get(f"/persons/{zhang.pk}/"))


def test_unmask_shows_clear_numbers_once_and_is_audited(world: World, zhang: Person) -> None:
    client = Client(enforce_csrf_checks=True)
    client.post(
        "/login/",
        {"username": "community_staff", "password": PASSWORD, "csrfmiddlewaretoken": csrf_token(client.get("/login/"))},
    )
    detail = client.get(f"/persons/{zhang.pk}/")
    assert detail.status_code == 200
    before = AuditEvent.objects.count()

    refused = client.post(f"/persons/{zhang.pk}/unmask/")  # no CSRF token
    assert refused.status_code == 403
    assert AuditEvent.objects.count() == before

    response = client.post(f"/persons/{zhang.pk}/unmask/", {"csrfmiddlewaretoken": csrf_token(detail)})
    assert response.status_code == 200
    page = html(response)
    assert zhang.mobile in page
    assert zhang.id_number in page
    assert zhang.address in page
    assert "no-store" in response["Cache-Control"]

    events = AuditEvent.objects.filter(action="unmask")
    assert events.count() == 1
    event = events.get()
    assert event.actor == world.users["community_staff"]
    assert event.target_id == str(zhang.pk)
    assert event.target_type is not None and event.target_type.model_class() is Person
    assert event.community_id == zhang.community_id
    assert AuditEvent.objects.count() == before + 1

    # Nothing is kept: the next view of the page is masked again.
    again = html(client.get(f"/persons/{zhang.pk}/"))
    assert zhang.mobile not in again
    assert zhang.id_number not in again
    assert zhang.address not in again


def test_unmask_refused_to_a_grid_worker(world: World, zhang: Person) -> None:
    before = AuditEvent.objects.count()
    response = world.client("grid_worker").post(f"/persons/{zhang.pk}/unmask/")
    assert response.status_code == 403
    assert zhang.mobile.encode() not in response.content
    assert AuditEvent.objects.count() == before


def test_unmask_of_a_person_out_of_scope_is_not_found(world: World) -> None:
    beichen = world.communities["beichen"].persons[0]
    before = AuditEvent.objects.count()
    response = world.client("community_staff").post(f"/persons/{beichen.pk}/unmask/")
    assert response.status_code == 404
    assert AuditEvent.objects.count() == before


def test_unmask_by_get_is_not_allowed(world: World, zhang: Person) -> None:
    before = AuditEvent.objects.count()
    response = world.client("community_staff").get(f"/persons/{zhang.pk}/unmask/")
    assert response.status_code == 405
    assert AuditEvent.objects.count() == before


def test_persons_need_a_person_capability_even_for_visible_regions(world: World, zhang: Person) -> None:
    client = world.client("party_member")
    assert client.get(f"/persons/{zhang.pk}/").status_code == 403
    assert client.post(f"/persons/{zhang.pk}/unmask/").status_code == 403
