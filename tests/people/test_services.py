import datetime as dt

import pytest
from django.db import connection

from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditEvent
from grassroots.organizations.models import Organization
from grassroots.people.models import Ethnicity, Person
from grassroots.people.selectors import person_list
from grassroots.people.services import (
    PersonData,
    party_membership_set,
    person_create,
    person_role_assign,
    person_unmask,
    persons_bulk_create,
)
from tests.conftest import World
from tests.factories import make_id_number, make_person


def han() -> Ethnicity:
    return Ethnicity.objects.get(name="汉族")


def test_fifty_six_ethnic_groups_are_data(db: None) -> None:
    assert Ethnicity.objects.count() == 56
    assert Ethnicity.objects.filter(name="壮族", code="08").exists()


def test_numbers_are_encrypted_at_rest_and_found_by_hash(world: World) -> None:
    person = make_person(
        name="王秀英",
        mobile="13812345678",
        id_number=make_id_number(dt.date(1975, 3, 2)),
        household=world.communities["dongyue"].household,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, mobile, address FROM people_person WHERE id = %s", [person.pk])
        raw_id, raw_mobile, raw_address = cursor.fetchone()
    assert "13812345678" not in raw_mobile and person.id_number not in raw_id and "王秀英" not in raw_address
    assert raw_mobile.startswith("gAAAA")  # a Fernet token
    reread = Person.objects.get(pk=person.pk)
    assert reread.mobile == "13812345678"
    admin = world.users["district_admin"]
    assert list(person_list(user=admin, q="13812345678")) == [person]
    assert list(person_list(user=admin, q=person.id_number)) == [person]
    assert list(person_list(user=admin, q="1381234567")) == []  # partial numbers never match


def test_birth_date_and_gender_must_agree_with_id_number(db: None) -> None:
    number = make_id_number(dt.date(1980, 5, 17), male=True)
    with pytest.raises(ApplicationError) as info:
        person_create(
            actor=None,
            data=PersonData(
                name="李四", ethnicity=han(), id_number=number, birth_date=dt.date(1980, 5, 18), gender="female"
            ),
        )
    assert info.value.code == "person_invalid"
    assert set(info.value.fields) == {"birth_date", "gender"}
    assert Person.objects.count() == 0
    person = person_create(actor=None, data=PersonData(name="李四", ethnicity=han(), id_number=number))
    assert (person.birth_date, person.gender) == (dt.date(1980, 5, 17), "male")


def test_duplicate_id_number_is_rejected(world: World) -> None:
    existing = world.communities["dongyue"].persons[0]
    count = Person.objects.count()
    with pytest.raises(ApplicationError) as info:
        person_create(actor=None, data=PersonData(name="冒名", ethnicity=han(), id_number=existing.id_number))
    assert info.value.code == "person_duplicate_id_number"
    assert Person.objects.count() == count


def test_bulk_create_is_all_or_nothing_with_row_number(db: None) -> None:
    rows = [PersonData(name=f"居民{i}", ethnicity=han(), id_number=make_id_number()) for i in range(5)]
    rows[3].mobile = "12345"
    with pytest.raises(ApplicationError) as info:
        persons_bulk_create(actor=None, rows=rows)
    assert "4" in info.value.message
    assert Person.objects.count() == 0
    rows[3].mobile = "13700000000"
    assert persons_bulk_create(actor=None, rows=rows) == 5
    assert Person.objects.filter(name_initials="jm").count() == 5


def test_pinyin_search(world: World) -> None:
    admin = world.users["district_admin"]
    names = {p.name for p in person_list(user=admin, q="dyzw")}
    assert names == {"东岳张伟"}
    assert {p.name for p in person_list(user=admin, q="dongyue")} == {"东岳张伟", "东岳李娜"}


def test_unmask_is_audited_and_scoped(world: World) -> None:
    staff = world.users["community_staff"]
    own = world.communities["dongyue"].persons[0]
    values = person_unmask(actor=staff, person=own)
    assert values == {"id_number": own.id_number, "mobile": own.mobile, "address": own.address}
    event = AuditEvent.objects.get(action="unmask")
    assert (event.actor, event.target_id, event.changes) == (
        staff,
        str(own.pk),
        {"fields": ["id_number", "mobile", "address"]},
    )
    sibling = world.communities["beichen"].persons[0]
    with pytest.raises(ApplicationError) as info:
        person_unmask(actor=staff, person=sibling)
    assert info.value.code == "permission_denied"
    with pytest.raises(ApplicationError):
        person_unmask(actor=world.users["grid_worker"], person=own)
    assert AuditEvent.objects.filter(action="unmask").count() == 1


def test_in_service_member_needs_home_unit(world: World) -> None:
    person = world.communities["dongyue"].persons[0]
    branch = Organization.objects.create(
        kind="branch", name="东岳花园党支部", code="B1", region=world.communities["dongyue"].compound
    )
    with pytest.raises(ApplicationError) as info:
        party_membership_set(
            actor=None, person=person, organization=branch, joined_on=dt.date(2010, 7, 1), category="in_service"
        )
    assert "home_unit" in info.value.fields
    unit = Organization.objects.create(kind="agency", name="玉州区税务局", code="U1", region=world.district)
    membership = party_membership_set(
        actor=None,
        person=person,
        organization=branch,
        joined_on=dt.date(2010, 7, 1),
        category="in_service",
        home_unit=unit,
    )
    assert membership.home_unit == unit


def test_roles_are_placed_and_single_holder_roles_are_unique(world: World) -> None:
    dy = world.communities["dongyue"]
    a, b = dy.persons
    with pytest.raises(ApplicationError) as info:
        person_role_assign(actor=None, person=a, kind="building_head", region=dy.compound)
    assert info.value.code == "person_role_place"
    person_role_assign(actor=None, person=a, kind="building_head", region=dy.building)
    with pytest.raises(ApplicationError) as info:
        person_role_assign(actor=None, person=b, kind="building_head", region=dy.building)
    assert info.value.code == "person_role_taken"
    person_role_assign(actor=None, person=b, kind="deputy_building_head_owner", region=dy.building)
    with pytest.raises(ApplicationError) as info:
        person_role_assign(actor=None, person=b, kind="grid_worker", grid=dy.grid)
    assert info.value.code == "person_role_employment"
    role = person_role_assign(actor=None, person=b, kind="grid_worker", grid=dy.grid, employment="part_time")
    assert role.community_id == dy.region.pk
