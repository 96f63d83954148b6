from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class MemberCategory(models.TextChoices):
    # A context: "Resident" and "Mobile" are also a user role and a phone column, translated differently.
    IN_SERVICE = "in_service", pgettext_lazy("party member category", "In-service")
    RESIDENT = "resident", pgettext_lazy("party member category", "Resident")
    MOBILE = "mobile", pgettext_lazy("party member category", "Mobile")


class PersonRoleKind(models.TextChoices):
    GRID_WORKER = "grid_worker", _("Grid worker")
    GRID_HEAD = "grid_head", _("Grid head")
    BUILDING_HEAD = "building_head", _("Building head")
    DEPUTY_BUILDING_HEAD_OWNER = "deputy_building_head_owner", _("Deputy building head (owner)")
    DEPUTY_BUILDING_HEAD_PROPERTY = "deputy_building_head_property", _("Deputy building head (property)")
    COMMUNITY_SECRETARY = "community_secretary", _("Community secretary")
    COMMUNITY_WORKER = "community_worker", _("Community worker")
    CADRE = "cadre", _("Cadre")


class Employment(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time")
    PART_TIME = "part_time", _("Part-time")


# Where each role applies: a grid, or a region of this kind.
ROLE_PLACE: dict[str, str] = {
    PersonRoleKind.GRID_WORKER: "grid",
    PersonRoleKind.GRID_HEAD: "grid",
    PersonRoleKind.BUILDING_HEAD: "building",
    PersonRoleKind.DEPUTY_BUILDING_HEAD_OWNER: "building",
    PersonRoleKind.DEPUTY_BUILDING_HEAD_PROPERTY: "building",
    PersonRoleKind.COMMUNITY_SECRETARY: "community",
    PersonRoleKind.COMMUNITY_WORKER: "community",
    PersonRoleKind.CADRE: "any",
}
# Roles held by one person per place at a time.
SINGLE_HOLDER_ROLES = frozenset(
    {
        PersonRoleKind.GRID_HEAD,
        PersonRoleKind.BUILDING_HEAD,
        PersonRoleKind.DEPUTY_BUILDING_HEAD_OWNER,
        PersonRoleKind.DEPUTY_BUILDING_HEAD_PROPERTY,
        PersonRoleKind.COMMUNITY_SECRETARY,
    }
)
