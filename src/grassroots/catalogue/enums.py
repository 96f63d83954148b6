from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceMode(models.TextChoices):
    GROUP = "group", _("Group service")
    ORDER = "order", _("Order service")
    APPOINTMENT = "appointment", _("Appointment service")
    DOOR_TO_DOOR = "door_to_door", _("Door-to-door service")


class HoursKind(models.TextChoices):
    WORKING = "working", _("Working hours")
    CALENDAR = "calendar", _("Calendar hours")


class FirstHandler(models.TextChoices):
    """Who a new case of a category goes to first (the bottom rung of the ladder)."""

    GRID_WORKER = "grid_worker", _("Grid worker")
    COMPOUND_BRANCH = "compound_branch", _("Compound party branch")
    PROPERTY_COMPANY = "property_company", _("Property company")
    COMMUNITY = "community", _("Community")


class ProviderKind(models.TextChoices):
    UNIT = "unit", _("Units")
    PARTY_MEMBER = "party_member", _("Party members")
    VOLUNTEER_TEAM = "volunteer_team", _("Volunteer teams")
    SOCIAL_ORGANIZATION = "social_organization", _("Social organisations")
    PROPERTY_COMPANY = "property_company", _("Property companies")


class AttributeType(models.TextChoices):
    """Open311 service-definition datatypes."""

    STRING = "string", _("Short text")
    NUMBER = "number", _("Number")
    DATETIME = "datetime", _("Date and time")
    TEXT = "text", _("Long text")
    SINGLE = "singlevaluelist", _("One of a list")
    MULTI = "multivaluelist", _("Several of a list")
