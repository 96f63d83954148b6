"""The demo residents: households of related people with generated names, ID numbers and mobile numbers.

Names are combined from pools drawn once from a seeded ``Faker("zh_CN")`` (fast, and never a real person's
record). ID numbers follow GB 11643 for area 450902: birth date, a three-digit order whose parity gives the
gender, and the check digit. Each ID number and each mobile number is used once.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from faker import Faker

from grassroots.core.personal_data import id_number_check_digit
from grassroots.demo import names as N
from grassroots.demo.plan import AS_OF, DemoPlan, PersonRow
from grassroots.demo.territory_plan import Layout

# Age brackets of a household head (years) and their weights.
HEAD_AGES = [(24, 34, 22), (35, 44, 22), (45, 54, 22), (55, 64, 17), (65, 74, 11), (75, 90, 6)]
MOBILE_FROM_AGE = 14


@dataclass
class NamePools:
    surnames: list[str]
    male: list[str]  # given names or single characters
    female: list[str]

    @classmethod
    def from_faker(cls, seed: int) -> NamePools:
        fake = Faker("zh_CN")
        fake.seed_instance(seed)
        return cls(
            surnames=[fake.last_name() for _ in range(5000)],
            male=[fake.first_name_male() for _ in range(600)],
            female=[fake.first_name_female() for _ in range(600)],
        )

    def given(self, rng: random.Random, *, male: bool) -> str:
        pool = self.male if male else self.female
        first = rng.choice(pool)
        if len(first) == 1 and rng.random() < 0.6:  # most given names have two characters
            second = rng.choice(pool)
            if len(second) == 1 and second != first:
                return first + second
        return first


@dataclass
class Resident:
    """What later stages need about a person (not part of the plan)."""

    age: int
    male: bool


class IdentityFactory:
    """Unique ID and mobile numbers."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.ids: set[str] = set()
        self.mobiles: set[str] = set()

    def id_number(self, birth: dt.date, *, male: bool) -> str:
        k = self.rng.randrange(499)
        for attempt in range(499):
            order = 2 * ((k + attempt) % 499) + (1 if male else 2)
            first17 = f"{N.DISTRICT_CODE}{birth:%Y%m%d}{order:03d}"
            if first17 not in self.ids:
                self.ids.add(first17)
                return first17 + id_number_check_digit(first17)
        raise RuntimeError(f"no ID number left for {birth}")  # 499 people of one sex born on one day

    def mobile(self) -> str:
        while True:
            number = f"{self.rng.choice(N.MOBILE_PREFIXES)}{self.rng.randrange(10**8):08d}"
            if number not in self.mobiles:
                self.mobiles.add(number)
                return number


def _birth(rng: random.Random, age: int) -> dt.date:
    """A birth date giving ``age`` full years on AS_OF."""
    latest = dt.date(AS_OF.year - age, AS_OF.month, AS_OF.day)
    return latest - dt.timedelta(days=rng.randrange(365))


def _ethnicity(rng: random.Random, weights: list[tuple[str, float]]) -> str:
    return rng.choices([c for c, _ in weights], [w for _, w in weights])[0]


def plan_persons(plan: DemoPlan, layout: Layout, *, rng: random.Random, pools: NamePools) -> list[Resident]:
    """Fill ``plan.persons`` household by household; return each person's age and sex."""
    identities = IdentityFactory(rng)
    residents: list[Resident] = []
    model = {c: layout.communities[c].name == N.MODEL_ETHNIC_COMMUNITY for c in range(len(layout.communities))}
    for h, size in enumerate(layout.household_sizes):
        compound = layout.compounds[layout.household_compound[h]]
        weights = N.ETHNIC_WEIGHTS_MODEL if model[compound.community] else N.ETHNIC_WEIGHTS
        ethnicity = _ethnicity(rng, weights)
        if ethnicity == "08" and rng.random() < 0.7:
            surname = rng.choice(N.ZHUANG_SURNAMES)
        else:
            surname = rng.choice(pools.surnames)
        bracket = rng.choices(HEAD_AGES, [w for _, _, w in HEAD_AGES])[0]
        head_age = rng.randint(bracket[0], bracket[1])
        head_male = rng.random() < 0.55
        members: list[tuple[str, int, bool, str]] = [(surname, head_age, head_male, ethnicity)]
        if size >= 2 and (size > 2 or rng.random() < 0.8):
            spouse_surname = rng.choice(pools.surnames)
            spouse_ethnicity = ethnicity if rng.random() < 0.9 else _ethnicity(rng, weights)
            spouse_age = max(20, head_age + rng.randint(-5, 5))
            members.append((spouse_surname, spouse_age, not head_male, spouse_ethnicity))
        family_surname = surname if head_male or len(members) == 1 else members[1][0]
        while len(members) < size:
            if head_age < 62 and rng.random() < 0.25:  # an elderly parent lives with them
                age = min(98, head_age + rng.randint(24, 34))
                members.append((rng.choice(pools.surnames), age, rng.random() < 0.4, ethnicity))
            else:
                age = max(0, head_age - rng.randint(22, 38))
                members.append((family_surname, age, rng.random() < 0.52, ethnicity))
        for person_surname, age, male, person_ethnicity in members:
            birth = _birth(rng, age)
            given = pools.given(rng, male=male)
            mobile = identities.mobile() if age >= MOBILE_FROM_AGE and rng.random() < 0.97 else ""
            plan.persons.append(
                PersonRow(
                    name=person_surname + given,
                    gender="male" if male else "female",
                    ethnicity_code=person_ethnicity,
                    birth_date=birth,
                    id_number=identities.id_number(birth, male=male),
                    mobile=mobile,
                    address=layout.household_address[h],
                    household=h,
                )
            )
            residents.append(Resident(age, male))
    return residents
