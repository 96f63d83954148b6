from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", _("District admin")
    STREET_STAFF = "street_staff", _("Street staff")
    COMMUNITY_STAFF = "community_staff", _("Community staff")
    COMPOUND_SECRETARY = "compound_secretary", _("Compound branch secretary")
    GRID_WORKER = "grid_worker", _("Grid worker")
    DEPARTMENT_STAFF = "department_staff", _("Department staff")
    UNIT_ADMIN = "unit_admin", _("Unit party-organisation admin")
    PARTY_MEMBER = "party_member", _("Party member")
    RESIDENT = "resident", _("Resident")


class Capability(StrEnum):
    VIEW_TERRITORY = "view_territory"
    VIEW_PEOPLE = "view_people"
    VIEW_ORGANIZATIONS = "view_organizations"
    UNMASK_PERSONAL_DATA = "unmask_personal_data"
    MANAGE_TERRITORY = "manage_territory"
    MANAGE_PEOPLE = "manage_people"
    VIEW_AUDIT = "view_audit"
    VIEW_CASES = "view_cases"
    HANDLE_CASES = "handle_cases"
    CLAIM_CASES = "claim_cases"
    VIEW_KPIS = "view_kpis"
    MANAGE_CATALOGUE = "manage_catalogue"
    VIEW_WHISTLES = "view_whistles"
    BLOW_WHISTLE = "blow_whistle"
    VIEW_FRONTLINE = "view_frontline"
    MANAGE_FRONTLINE = "manage_frontline"
