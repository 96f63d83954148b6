"""Builders for test data that go through the services, so tests exercise the real rules."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from grassroots.core.personal_data import id_number_check_digit
from grassroots.people.models import Ethnicity, Person
from grassroots.people.services import PersonData, person_create
from grassroots.territory.models import Household, Region

_seq = itertools.count(1)


def make_id_number(birth: dt.date = dt.date(1980, 5, 17), *, male: bool = True, area: str = "450902") -> str:
    serial = next(_seq) % 500
    order = serial * 2 + (1 if male else 0)
    first17 = f"{area}{birth:%Y%m%d}{order:03d}"
    return first17 + id_number_check_digit(first17)


def make_mobile() -> str:
    return f"139{next(_seq):08d}"


def make_person(
    *,
    name: str,
    household: Household | None = None,
    male: bool = True,
    birth: dt.date = dt.date(1980, 5, 17),
    mobile: str | None = None,
    id_number: str | None = None,
    address: str = "",
    **extra: Any,
) -> Person:
    return person_create(
        actor=None,
        data=PersonData(
            name=name,
            ethnicity=Ethnicity.objects.get(code="01"),
            id_number=id_number if id_number is not None else make_id_number(birth, male=male),
            mobile=mobile if mobile is not None else make_mobile(),
            address=address or f"{name}的住址",
            household=household,
            **extra,
        ),
    )


def region_path(region: Region) -> str:
    return " / ".join(r.name for r in [*Region.objects.get_ancestors(region), region])


def tracked_update(queryset: Any, **values: Any) -> int:
    """A test's write past the services (moving a date back, forcing a status): ``QuerySet.update`` sends no
    signals, so the cockpit's roll-ups are told explicitly, as services do with ``tracking``."""
    from django.db.models import Q

    from grassroots.cockpit.rollups.engine import tracking

    with tracking(queryset.model, Q(pk__in=list(queryset.values_list("pk", flat=True)))):
        return int(queryset.update(**values))
