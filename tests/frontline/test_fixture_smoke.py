from tests.conftest import World


def test_duty_world_links_roles_to_organisations(duty_world: World) -> None:
    from grassroots.accounts.roles import organizations_for

    assert organizations_for(duty_world.users["department_staff"], "department_staff") == [
        duty_world.duty.department.pk
    ]
    assert organizations_for(duty_world.users["unit_admin"], "unit_admin") == [duty_world.duty.unit.pk]
    assert duty_world.users["party_member"].person.party_membership.home_unit == duty_world.duty.unit
