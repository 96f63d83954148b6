"""The person admin: masked numbers only, write-only replacement, the shared search, saves through services."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

from grassroots.core.models import AuditEvent
from grassroots.core.personal_data import lookup_hash
from grassroots.people.models import Ethnicity, Person
from tests.admin.helpers import form_data, staff_client
from tests.conftest import SIBLING_MARK, World
from tests.factories import make_id_number


def change_url(person: Person) -> str:
    return reverse("admin:people_person_change", args=[person.pk])


def assert_no_clear_numbers(content: bytes, *persons: Person) -> None:
    page = content.decode()
    for person in persons:
        assert person.mobile and person.mobile not in page
        assert person.id_number and person.id_number not in page
        assert person.address and person.address not in page
        assert person.birth_date and person.birth_date.isoformat() not in page  # it completes the masked ID


def test_admin_pages_never_show_clear_numbers(world: World) -> None:
    client = staff_client(world, "district_admin")
    persons = list(Person.objects.all())
    zhang = world.communities["dongyue"].persons[0]
    changelist = client.get(reverse("admin:people_person_changelist"))
    assert_no_clear_numbers(changelist.content, *persons)
    assert zhang.mobile_masked in changelist.content.decode()
    assert zhang.id_number_masked in changelist.content.decode()
    change = client.get(change_url(zhang))
    assert_no_clear_numbers(change.content, zhang)
    assert zhang.mobile_masked in change.content.decode()
    for name in ("id_number", "mobile", "address", "birth_date"):
        assert f'name="{name}"' not in change.content.decode()
    history = client.get(reverse("admin:people_person_history", args=[zhang.pk]))
    assert_no_clear_numbers(history.content, zhang)


def test_history_diffs_leave_secrets_out(world: World) -> None:
    zhang = world.communities["dongyue"].persons[0]
    client = staff_client(world, "district_admin")
    old_mobile = zhang.mobile
    data = form_data(client.get(change_url(zhang)))
    data["new_mobile"] = "13812345678"
    assert client.post(change_url(zhang), data).status_code == 302
    history = client.get(reverse("admin:people_person_history", args=[zhang.pk]))
    page = history.content.decode()
    assert old_mobile not in page
    assert "13812345678" not in page
    version = zhang.history.order_by("history_id").first()
    assert version is not None
    version_page = client.get(reverse("admin:people_person_simple_history", args=[zhang.pk, version.history_id]))
    assert version_page.status_code == 200
    assert old_mobile not in version_page.content.decode()
    # Reverting would write past the services: refused.
    assert (
        client.post(
            reverse("admin:people_person_simple_history", args=[zhang.pk, version.history_id]), data
        ).status_code
        == 405
    )


def test_empty_number_fields_keep_the_numbers(world: World) -> None:
    zhang = world.communities["dongyue"].persons[0]
    client = staff_client(world, "community_staff")
    data = form_data(client.get(change_url(zhang)))
    assert data.get("new_mobile") in (None, "")
    data["name"] = "东岳张伟强"
    response = client.post(change_url(zhang), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    fresh = Person.objects.get(pk=zhang.pk)
    assert fresh.name == "东岳张伟强"
    assert fresh.name_initials == "dyzwq"  # pinyin recomputed by the service
    assert (fresh.mobile, fresh.id_number, fresh.address) == (zhang.mobile, zhang.id_number, zhang.address)
    event = AuditEvent.objects.filter(action="update", target_id=str(zhang.pk), target_type__model="person").get()
    assert event.actor == world.users["community_staff"]
    assert event.changes["name"] == ["东岳张伟", "东岳张伟强"]


def test_new_numbers_replace_the_old_ones_write_only(world: World) -> None:
    zhang = world.communities["dongyue"].persons[0]
    client = staff_client(world, "community_staff")
    data = form_data(client.get(change_url(zhang)))
    data["new_mobile"] = "138 1234 5678"
    response = client.post(change_url(zhang), data, follow=True)
    assert response.status_code == 200
    fresh = Person.objects.get(pk=zhang.pk)
    assert fresh.mobile == "13812345678"
    assert fresh.mobile_hash == lookup_hash("13812345678")
    assert "13812345678" not in response.content.decode()
    assert "13812345678" not in client.get(change_url(zhang)).content.decode()


def test_new_id_number_brings_its_birth_date(world: World) -> None:
    li = world.communities["dongyue"].persons[1]
    client = staff_client(world, "community_staff")
    data = form_data(client.get(change_url(li)))
    number = make_id_number(dt.date(1990, 2, 3), male=False)
    data["new_id_number"] = number
    response = client.post(change_url(li), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    fresh = Person.objects.get(pk=li.pk)
    assert (fresh.id_number, fresh.birth_date) == (number, dt.date(1990, 2, 3))
    page = client.get(change_url(li)).content.decode()
    assert number not in page
    assert "1990-02-03" not in page
    history = client.get(reverse("admin:people_person_history", args=[li.pk])).content.decode()
    assert "1990-02-03" not in history
    assert li.birth_date is not None and li.birth_date.isoformat() not in history


def test_invalid_numbers_are_form_errors_and_change_nothing(world: World) -> None:
    zhang = world.communities["dongyue"].persons[0]
    client = staff_client(world, "community_staff")
    before = AuditEvent.objects.count()
    data = form_data(client.get(change_url(zhang)))
    data["new_id_number"] = "450902198005170000"  # wrong check digit
    data["new_mobile"] = "12345"
    response = client.post(change_url(zhang), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "new_id_number" in errors and "new_mobile" in errors
    assert 'value="450902198005170000"' not in response.content.decode()  # write-only inputs are not echoed
    assert Person.objects.get(pk=zhang.pk).id_number == zhang.id_number
    assert AuditEvent.objects.count() == before


def test_duplicate_id_number_is_refused(world: World) -> None:
    zhang, li = world.communities["dongyue"].persons
    client = staff_client(world, "community_staff")
    data = form_data(client.get(change_url(li)))
    data["new_id_number"] = zhang.id_number
    data["gender"] = "male"
    response = client.post(change_url(li), data)
    assert response.status_code == 200
    assert "new_id_number" in response.context["adminform"].form.errors
    assert Person.objects.get(pk=li.pk).id_number == li.id_number


def test_add_person_through_the_service(world: World) -> None:
    household = world.communities["dongyue"].household
    client = staff_client(world, "community_staff")
    number = make_id_number(male=False)
    data = {
        "name": "东岳王芳",
        "gender": "female",
        "ethnicity": str(Ethnicity.objects.get(code="01").pk),
        "household": str(household.pk),
        "new_id_number": number,
        "new_mobile": "13700000001",
        "new_address": "东岳花园1栋1单元101",
    }
    response = client.post(reverse("admin:people_person_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    person = Person.objects.get(name="东岳王芳")
    assert person.id_number == number
    assert person.community_id == household.community_id  # scope columns filled by the service
    assert person.birth_date is not None and person.name_initials == "dywf"
    assert (
        AuditEvent.objects.filter(
            action="create", target_id=str(person.pk), target_type__model="person", actor=world.users["community_staff"]
        ).count()
        == 1
    )


def test_household_choices_and_autocomplete_are_scoped(world: World) -> None:
    client = staff_client(world, "community_staff")
    beichen = world.communities["beichen"]
    data = {
        "name": "越界",
        "gender": "male",
        "ethnicity": str(Ethnicity.objects.get(code="01").pk),
        "household": str(beichen.household.pk),
    }
    response = client.post(reverse("admin:people_person_add"), data)
    assert response.status_code == 200
    assert "household" in response.context["adminform"].form.errors
    assert not Person.objects.filter(name="越界").exists()
    autocomplete = client.get(
        "/admin/autocomplete/",
        {"term": "", "app_label": "people", "model_name": "person", "field_name": "household"},
    )
    assert autocomplete.status_code == 200
    assert SIBLING_MARK not in autocomplete.content.decode("unicode_escape")


def test_search_in_the_admin(world: World) -> None:
    zhang = world.communities["dongyue"].persons[0]
    client = staff_client(world, "district_admin")
    url = reverse("admin:people_person_changelist")

    def found(term: str) -> list[str]:
        return [p.name for p in client.get(url, {"q": term}).context["cl"].result_list]

    assert found("东岳张") == ["东岳张伟"]
    assert sorted(found("张伟")) == ["东岳张伟", "北辰张伟", "南观张伟", "江滨张伟"]
    assert found("dyzw") == ["东岳张伟"]
    assert found(zhang.mobile) == ["东岳张伟"]
    assert found(zhang.id_number) == ["东岳张伟"]
    assert found(zhang.mobile[:7]) == []
    response = client.get(url, {"q": zhang.mobile})
    assert zhang.id_number not in response.content.decode()


def test_community_staff_sees_only_their_persons_in_the_admin(world: World) -> None:
    client = staff_client(world, "community_staff")
    response = client.get(reverse("admin:people_person_changelist"))
    assert sorted(p.name for p in response.context["cl"].result_list) == ["东岳张伟", "东岳李娜"]
    beichen = world.communities["beichen"].persons[0]
    response = client.get(change_url(beichen))
    assert response.status_code == 302  # Django's "does not exist" redirect to the admin index
    assert beichen.name not in client.get(response["Location"]).content.decode()
    assert client.get(reverse("admin:people_person_history", args=[beichen.pk])).status_code == 404
    assert client.post(reverse("admin:people_person_delete", args=[beichen.pk]), {"post": "yes"}).status_code == 302
    assert Person.objects.filter(pk=beichen.pk).exists()


def test_grid_worker_may_view_but_not_change(world: World) -> None:
    zhang = world.communities["dongyue"].persons[0]
    client = staff_client(world, "grid_worker")
    response = client.get(change_url(zhang))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert client.post(change_url(zhang), {"name": "改名"}).status_code == 403
    assert client.get(reverse("admin:people_person_add")).status_code == 403


def test_anonymous_users_go_to_the_admin_login(db: None) -> None:
    response = Client().get(reverse("admin:people_person_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
