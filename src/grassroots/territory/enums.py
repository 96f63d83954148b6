from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionKind(models.TextChoices):
    DISTRICT = "district", _("District")
    STREET = "street", _("Street")
    COMMUNITY = "community", _("Community")
    COMPOUND = "compound", _("Compound")
    BUILDING = "building", _("Building")
    ENTRANCE = "entrance", _("Entrance")


# The one kind each kind may sit under (None: a root).
PARENT_KIND: dict[str, str | None] = {
    RegionKind.DISTRICT: None,
    RegionKind.STREET: RegionKind.DISTRICT,
    RegionKind.COMMUNITY: RegionKind.STREET,
    RegionKind.COMPOUND: RegionKind.COMMUNITY,
    RegionKind.BUILDING: RegionKind.COMPOUND,
    RegionKind.ENTRANCE: RegionKind.BUILDING,
}
SCOPE_KINDS = (RegionKind.DISTRICT, RegionKind.STREET, RegionKind.COMMUNITY, RegionKind.COMPOUND)
