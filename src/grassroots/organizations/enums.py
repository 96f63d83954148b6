from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    # The party-organisation tree
    DISTRICT_COMMITTEE = "district_committee", _("District party committee")
    STREET_COMMITTEE = "street_committee", _("Street party working committee")
    COMMUNITY_COMMITTEE = "community_committee", _("Community party committee")
    GENERAL_BRANCH = "general_branch", _("General party branch")
    BRANCH = "branch", _("Party branch")
    PARTY_GROUP = "party_group", _("Party group")
    # Units and others
    AGENCY = "agency", _("Government agency")
    ENTERPRISE = "enterprise", _("Enterprise")
    PUBLIC_INSTITUTION = "public_institution", _("Public institution")
    DEPARTMENT = "department", _("Functional department")
    PROPERTY_COMPANY = "property_company", _("Property company")
    OWNERS_COMMITTEE = "owners_committee", _("Owners' committee")
    SOCIAL_ORGANIZATION = "social_organization", _("Social organisation")
    VOLUNTEER_TEAM = "volunteer_team", _("Volunteer team")
    VANGUARD_CORPS = "vanguard_corps", _("Vanguard corps")
    VANGUARD_SQUAD = "vanguard_squad", _("Vanguard squad")


PARTY_KINDS = frozenset(
    {
        OrganizationKind.DISTRICT_COMMITTEE,
        OrganizationKind.STREET_COMMITTEE,
        OrganizationKind.COMMUNITY_COMMITTEE,
        OrganizationKind.GENERAL_BRANCH,
        OrganizationKind.BRANCH,
        OrganizationKind.PARTY_GROUP,
    }
)
UNIT_KINDS = frozenset({OrganizationKind.AGENCY, OrganizationKind.ENTERPRISE, OrganizationKind.PUBLIC_INSTITUTION})

# Which kinds a child organisation of each kind may have as its parent (absent: no parent required).
PARENT_KINDS: dict[str, frozenset[str]] = {
    OrganizationKind.STREET_COMMITTEE: frozenset({OrganizationKind.DISTRICT_COMMITTEE}),
    OrganizationKind.COMMUNITY_COMMITTEE: frozenset({OrganizationKind.STREET_COMMITTEE}),
    OrganizationKind.GENERAL_BRANCH: frozenset({OrganizationKind.COMMUNITY_COMMITTEE}),
    OrganizationKind.BRANCH: frozenset(
        {
            OrganizationKind.COMMUNITY_COMMITTEE,
            OrganizationKind.GENERAL_BRANCH,
            *UNIT_KINDS,
            OrganizationKind.DEPARTMENT,
            OrganizationKind.PROPERTY_COMPANY,
        }
    ),
    OrganizationKind.PARTY_GROUP: frozenset({OrganizationKind.BRANCH, OrganizationKind.GENERAL_BRANCH}),
    OrganizationKind.VANGUARD_SQUAD: frozenset({OrganizationKind.VANGUARD_CORPS}),
}


class Formation(models.TextChoices):
    STANDALONE = "standalone", _("Standalone")
    JOINT = "joint", _("Joint")
    AREA_WIDE = "area_wide", _("Area-wide")


class MembershipRole(models.TextChoices):
    LEADER = "leader", _("Leader")
    MEMBER = "member", _("Member")
