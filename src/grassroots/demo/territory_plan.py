"""The demo territory: district → 5 streets → 27 communities → 80 compounds → buildings → entrances,
259 grids over the communities, and the households living in the compounds.

The number of places is the source's at every scale; the population (``persons``) decides how many households,
buildings and entrances there are.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from grassroots.demo import names as N
from grassroots.demo.plan import DemoPlan, GridRow, HouseholdRow, RegionRow

GRID_COUNT = 259
MIN_GRIDS_PER_COMMUNITY = 4
MIN_COMPOUNDS_PER_COMMUNITY = 2
# Household sizes and their weights (about 2.8 persons a household).
HOUSEHOLD_SIZES = [1, 2, 3, 4, 5, 6]
HOUSEHOLD_SIZE_WEIGHTS = [14, 27, 29, 18, 9, 3]
# The district's extent for the synthetic grid boundaries (west, south, east, north).
EXTENT = (110.10, 22.58, 110.20, 22.68)


@dataclass
class Compound:
    code: str
    name: str
    community: int  # index into Layout.communities
    road_address: str
    building_codes: list[str] = field(default_factory=list)
    first_household: int = 0
    household_count: int = 0


@dataclass
class Community:
    code: str
    name: str
    street_code: str
    street_name: str
    compounds: list[int] = field(default_factory=list)  # indexes into Layout.compounds
    grid_codes: list[str] = field(default_factory=list)
    first_household: int = 0
    household_count: int = 0


@dataclass
class Layout:
    """What later stages need to know about the territory (not part of the plan itself)."""

    district_code: str
    street_codes: list[str]
    communities: list[Community]
    compounds: list[Compound]
    household_sizes: list[int] = field(default_factory=list)
    household_compound: list[int] = field(default_factory=list)
    household_building: list[str] = field(default_factory=list)
    household_address: list[str] = field(default_factory=list)

    def community_by_name(self, name: str) -> Community:
        return next(c for c in self.communities if c.name == name)

    def compound_by_name(self, name: str) -> Compound:
        return next(c for c in self.compounds if c.name == name)


def apportion(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """Split ``total`` into integers proportional to ``weights``, each at least ``minimum`` (largest remainder)."""
    n = len(weights)
    rest = total - minimum * n
    if rest < 0:
        raise ValueError("total is smaller than the minimums")
    weight_sum = sum(weights)
    quotas = [rest * w / weight_sum for w in weights]
    shares = [math.floor(q) for q in quotas]
    order = sorted(range(n), key=lambda i: (-(quotas[i] - shares[i]), i))
    for i in order[: rest - sum(shares)]:
        shares[i] += 1
    return [minimum + s for s in shares]


def _partition(counts: list[int], parts: int) -> list[tuple[int, int]]:
    """Cut ``counts`` into ``parts`` contiguous, non-empty runs of roughly equal sums."""
    n = len(counts)
    prefix = [0]
    for c in counts:
        prefix.append(prefix[-1] + c)
    total = prefix[-1]
    runs: list[tuple[int, int]] = []
    start = 0
    for i in range(parts):
        if i == parts - 1:
            end = n
        else:
            target = total * (i + 1) / parts
            end = start + 1
            while end < n - (parts - i - 1) and prefix[end] < target:
                end += 1
        runs.append((start, end))
        start = end
    return runs


def plan_territory(plan: DemoPlan, *, persons: int, rng: random.Random) -> Layout:
    """Fill ``plan.regions``, ``plan.grids`` and ``plan.households`` for ``persons`` residents."""
    d = N.DISTRICT_CODE
    plan.regions.append(RegionRow("district", N.DISTRICT_NAME, d, None))
    communities: list[Community] = []
    street_codes: list[str] = []
    for s, (street_name, community_names) in enumerate(N.STREETS, start=1):
        street_code = f"{d}{s:03d}"
        street_codes.append(street_code)
        plan.regions.append(RegionRow("street", street_name, street_code, d))
        for c, community_name in enumerate(community_names, start=1):
            code = f"{street_code}{c:03d}"
            plan.regions.append(RegionRow("community", community_name, code, street_code))
            communities.append(Community(code, community_name, street_code, street_name))

    # Compounds per community, then each compound's share of the population.
    community_weights = [rng.uniform(0.6, 1.6) for _ in communities]
    compound_counts = apportion(
        len(N.COMPOUND_STEMS) + len(N.PINNED_COMPOUNDS), community_weights, MIN_COMPOUNDS_PER_COMMUNITY
    )
    stems = iter(N.COMPOUND_STEMS)
    compounds: list[Compound] = []
    shapes: list[tuple[int, int, int, float]] = []  # floors, entrances, flats a floor, occupancy
    compound_weights: list[float] = []
    for ci, (community, count) in enumerate(zip(communities, compound_counts, strict=True)):
        for k in range(1, count + 1):
            name = N.PINNED_COMPOUNDS.get(community.name) if k == 1 else None
            name = name or next(stems)
            high_rise = name in N.PINNED_COMPOUNDS.values() or rng.random() < 0.45
            if high_rise:
                shape = (rng.choice([11, 18, 26, 32]), rng.randint(1, 2), rng.choice([2, 3, 4]), rng.uniform(0.7, 0.95))
                weight = rng.uniform(1.0, 2.5)
            else:
                shape = (rng.choice([6, 7]), rng.randint(2, 4), 2, rng.uniform(0.75, 0.95))
                weight = rng.uniform(0.4, 1.2)
            road = f"{rng.choice(N.ROADS)}{rng.randint(1, 388)}号"
            community.compounds.append(len(compounds))
            compounds.append(Compound(f"{community.code}{k:03d}", name, ci, road))
            shapes.append(shape)
            compound_weights.append(weight)
    compound_persons = apportion(persons, compound_weights, 1)
    community_persons = [sum(compound_persons[i] for i in c.compounds) for c in communities]
    grid_counts = apportion(GRID_COUNT, [float(p) for p in community_persons], MIN_GRIDS_PER_COMMUNITY)

    layout = Layout(d, street_codes, communities, compounds)
    for ci, community in enumerate(communities):
        community.first_household = len(plan.households)
        min_buildings = math.ceil(grid_counts[ci] / len(community.compounds))
        building_households: list[tuple[str, int, str]] = []  # building code, households, compound code
        for k in community.compounds:
            compound = compounds[k]
            plan.regions.append(RegionRow("compound", compound.name, compound.code, community.code))
            sizes = _household_sizes(compound_persons[k], rng)
            floors, entrances, flats, occupancy = shapes[k]
            capacity = floors * entrances * flats
            buildings = max(min_buildings, math.ceil(len(sizes) / (capacity * occupancy)))
            occupied = sorted(rng.sample(range(buildings * capacity), len(sizes)))
            compound.first_household = len(plan.households)
            compound.household_count = len(sizes)
            per_building = [0] * buildings
            for b in range(1, buildings + 1):
                building_code = f"{compound.code}{b:03d}"
                compound.building_codes.append(building_code)
                plan.regions.append(RegionRow("building", f"{compound.name}{b}栋", building_code, compound.code))
                for e in range(1, entrances + 1):
                    plan.regions.append(
                        RegionRow("entrance", f"{compound.name}{b}栋{e}单元", f"{building_code}{e:02d}", building_code)
                    )
            street_part = f"{N.PROVINCE_CITY}{N.DISTRICT_NAME}{community.street_name}{compound.road_address}"
            for flat_index, size in zip(occupied, sizes, strict=True):
                b, rest = divmod(flat_index, capacity)
                e, rest = divmod(rest, floors * flats)
                floor, flat = divmod(rest, flats)
                number = f"{floor + 1}{flat + 1:02d}"
                building_code = compound.building_codes[b]
                per_building[b] += 1
                plan.households.append(HouseholdRow(f"{building_code}{e + 1:02d}", number, ""))
                layout.household_sizes.append(size)
                layout.household_compound.append(k)
                layout.household_building.append(building_code)
                layout.household_address.append(f"{street_part}{compound.name}{b + 1}栋{e + 1}单元{number}室")
            building_households.extend(
                (code, count, compound.code) for code, count in zip(compound.building_codes, per_building, strict=True)
            )
        community.household_count = len(plan.households) - community.first_household
        _plan_grids(plan, layout, ci, grid_counts[ci], building_households)
    return layout


def _household_sizes(persons: int, rng: random.Random) -> list[int]:
    sizes: list[int] = []
    left = persons
    while left > 0:
        size = min(rng.choices(HOUSEHOLD_SIZES, HOUSEHOLD_SIZE_WEIGHTS)[0], left)
        sizes.append(size)
        left -= size
    return sizes


def _plan_grids(plan: DemoPlan, layout: Layout, ci: int, count: int, buildings: list[tuple[str, int, str]]) -> None:
    """Lay ``count`` grids over the community's buildings, in runs of about equal households."""
    community = layout.communities[ci]
    street_index = layout.street_codes.index(community.street_code)
    in_street = [c for c in layout.communities if c.street_code == community.street_code]
    row = in_street.index(community)
    west, south, east, north = EXTENT
    band = (east - west) / len(layout.street_codes)
    height = (north - south) / len(in_street)
    c_west, c_south = west + street_index * band, south + row * height
    compound_buildings: dict[str, int] = {}
    for _code, _count, compound_code in buildings:
        compound_buildings[compound_code] = compound_buildings.get(compound_code, 0) + 1
    grid_of_building: dict[str, str] = {}
    for g, (start, end) in enumerate(_partition([n for _, n, _ in buildings], count), start=1):
        code = f"G{community.code}{g:02d}"
        run = buildings[start:end]
        areas: list[str] = []
        for compound_code in dict.fromkeys(c for _, _, c in run):
            inside = [b for b, _, c in run if c == compound_code]
            areas.extend([compound_code] if len(inside) == compound_buildings[compound_code] else inside)
        step = band / count
        bbox = (
            round(c_west + (g - 1) * step, 6),
            round(c_south, 6),
            round(c_west + g * step, 6),
            round(c_south + height, 6),
        )
        plan.grids.append(GridRow(code, f"{community.name}第{g}网格", community.code, tuple(areas), bbox))
        community.grid_codes.append(code)
        for building_code, _, _ in run:
            grid_of_building[building_code] = code
    first, last = community.first_household, community.first_household + community.household_count
    for h in range(first, last):
        plan.households[h] = plan.households[h]._replace(grid_code=grid_of_building[layout.household_building[h]])
