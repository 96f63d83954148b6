"""Roll-ups: every figure kept as counts per (metric, region, day, dimension), maintained as records change.

One row per region *level* a source row lies in (district, street, community, compound, grid), so a district's
figure for a year reads at most 366 rows per metric whatever the number of records, and a street's communities
are one indexed range. See docs/decisions/0013-roll-ups.md.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

STOCK_DAY = dt.date(2000, 1, 1)
# The columns that name a cell (the unique key; the upsert's conflict target).
CELL = (
    "metric",
    "level",
    "region_id",
    "day",
    "district_id",
    "street_id",
    "community_id",
    "compound_id",
    "dimension",
    "item",
)  # the day of a stock (a figure "as of now", such as grids)


class Rollup(models.Model):
    metric = models.CharField(_("metric"), max_length=64)
    level = models.CharField(_("level"), max_length=10)  # district, street, community, compound, grid
    region_id = models.BigIntegerField(_("region"))  # a Region's pk, or a Grid's at level "grid"
    # The source rows' regions above ``level`` (0: none), so a region's parts are one range of an index.
    district_id = models.BigIntegerField(default=0)
    street_id = models.BigIntegerField(default=0)
    community_id = models.BigIntegerField(default=0)
    compound_id = models.BigIntegerField(default=0)
    day = models.DateField(_("day"))
    dimension = models.CharField(_("dimension"), max_length=64, default="", blank=True)
    item = models.BigIntegerField(default=0)  # distinct figures: the counted key (a unit, a person)
    row_count = models.IntegerField(default=0)  # source rows behind this cell
    value = models.DecimalField(max_digits=20, decimal_places=2, default=0)  # summed column (sums)

    class Meta:
        verbose_name = _("roll-up")
        verbose_name_plural = _("roll-ups")
        constraints = [
            models.UniqueConstraint(
                fields=list(CELL),
                name="rollup_cell",
            )
        ]
        indexes = [
            models.Index(fields=["metric", "level", "district_id", "day"], name="rollup_in_district"),
            models.Index(fields=["metric", "level", "street_id", "day"], name="rollup_in_street"),
            models.Index(fields=["metric", "level", "community_id", "day"], name="rollup_in_community"),
            models.Index(fields=["metric", "level", "compound_id", "day"], name="rollup_in_compound"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.level}:{self.region_id} {self.day} {self.dimension} = {self.value}"
