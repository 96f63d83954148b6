"""A superuser's scope must survive being widened with "and my own rows" (a bare ``Q()`` would not)."""

from __future__ import annotations

from django.db.models import Q

from grassroots.accounts.services import user_create
from grassroots.core.scope import scope_q
from grassroots.people.models import Person
from tests.conftest import World


def test_superuser_scope_ored_with_own_rows_still_sees_everyone(world: World) -> None:
    admin = user_create(actor=None, username="root_admin", password="Test-Passw0rd!", is_superuser=True)
    everyone = Person.objects.count()
    assert everyone > 2

    widened = Person.objects.filter(scope_q(Person, admin) | Q(pk=world.communities["beichen"].persons[0].pk))

    assert widened.count() == everyone


def test_community_staff_scope_ored_with_one_row_adds_only_that_row(world: World) -> None:
    staff = world.users["community_staff"]
    own = Person.objects.filter(scope_q(Person, staff)).count()
    stranger = world.communities["beichen"].persons[0]

    assert Person.objects.filter(scope_q(Person, staff) | Q(pk=stranger.pk)).count() == own + 1
