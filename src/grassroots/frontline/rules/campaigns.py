"""Who may run mobilisation campaigns and sign people up for their shifts.

Staff manage a campaign when one of their ``manage_frontline`` anchors covers its region columns (district admin
everywhere, street staff in their street, community staff in their community and its compounds) and see it with
``view_frontline``. Party members see, and sign themselves up for, *open* campaigns that reach a community they
belong to: the one they live in, reported to (a confirmed member report) or hold their party-member role in. A
campaign reaches a community when it is that community (or a compound in it), its street or its district.
A vanguard squad's leader signs up the squad's members.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rules

from grassroots.accounts.enums import Capability, Role
from grassroots.accounts.roles import Anchor, anchors_for
from grassroots.frontline.enums import CampaignStatus, ReportStatus
from grassroots.frontline.models import Campaign, ShiftBooking
from grassroots.organizations.enums import MembershipRole, OrganizationKind
from grassroots.organizations.models import Organization

SCOPE_LEVELS = ("district", "street", "community", "compound")


@dataclass(frozen=True)
class Home:
    """A community a member belongs to, with its street and district (what a campaign must reach)."""

    district_id: int | None
    street_id: int | None
    community_id: int | None


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _covers(anchor: Anchor, obj: Any) -> bool:
    """Whether ``anchor`` covers ``obj`` (a region, campaign or organisation with scope columns)."""
    if anchor.level not in SCOPE_LEVELS:
        return False
    column = getattr(obj, f"{anchor.level}_id", None)
    return column is not None and column == anchor.pk


def reaches(campaign: Campaign, home: Home | Any) -> bool:
    """Whether ``campaign`` is meant for people of ``home`` (anything with district/street/community ids)."""
    if campaign.community_id is not None:
        return campaign.community_id == getattr(home, "community_id", None)
    if campaign.street_id is not None:
        return campaign.street_id == getattr(home, "street_id", None)
    return campaign.district_id is not None and campaign.district_id == getattr(home, "district_id", None)


def is_party_member(user: Any) -> bool:
    if not _active(user):
        return False
    if any(a.role == Role.PARTY_MEMBER for a in anchors_for(user)):
        return True
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return False
    from grassroots.people.models import PartyMembership

    return PartyMembership.objects.filter(person_id=person_id).exists()


def homes_for(user: Any) -> list[Home]:
    """The communities where a party member is mobilised: where they live, reported to, or hold their role."""
    if not is_party_member(user):
        return []
    from grassroots.frontline.models import MemberReport
    from grassroots.territory.models import Region

    community_ids = {a.community_id for a in anchors_for(user) if a.role == Role.PARTY_MEMBER and a.community_id}
    person_id = getattr(user, "person_id", None)
    if person_id is not None:
        from grassroots.people.models import Person

        lives = Person.objects.filter(pk=person_id).values_list("community_id", flat=True).first()
        if lives:
            community_ids.add(lives)
        reported = MemberReport.objects.filter(person_id=person_id, status=ReportStatus.CONFIRMED)
        community_ids |= {c for c in reported.values_list("community_id", flat=True) if c}
    rows = Region.objects.filter(pk__in=community_ids).values_list("district_id", "street_id", "pk")
    return [Home(district_id=d, street_id=s, community_id=c) for d, s, c in rows]


# Staff


@rules.predicate
def can_manage_region(user: Any, region: Any) -> bool:
    """Whether the user may run a campaign in ``region`` (or in the region of a campaign)."""
    if region is None or not _active(user):
        return False
    return user.is_superuser or any(_covers(a, region) for a in anchors_for(user, Capability.MANAGE_FRONTLINE))


@rules.predicate
def can_manage_campaign(user: Any, campaign: Campaign | None) -> bool:
    return can_manage_region(user, campaign)


@rules.predicate
def can_view_as_staff(user: Any, campaign: Campaign | None) -> bool:
    if campaign is None or not _active(user):
        return False
    return user.is_superuser or any(_covers(a, campaign) for a in anchors_for(user, Capability.VIEW_FRONTLINE))


# Members


@rules.predicate
def reaches_member(user: Any, campaign: Campaign | None) -> bool:
    """An open campaign meant for a community the party member belongs to."""
    if campaign is None or campaign.status != CampaignStatus.OPEN:
        return False
    return any(reaches(campaign, home) for home in homes_for(user))


@rules.predicate
def can_view_campaign(user: Any, campaign: Campaign | None) -> bool:
    return bool(can_view_as_staff(user, campaign) or reaches_member(user, campaign))


@rules.predicate
def can_sign_up_self(user: Any, campaign: Campaign | None) -> bool:
    """A person with a login who may see the campaign (a member it reaches, or staff in its scope)."""
    if campaign is None or getattr(user, "person_id", None) is None:
        return False
    return bool(can_view_campaign(user, campaign))


def is_squad_leader(user: Any, squad: Organization | None) -> bool:
    person_id = getattr(user, "person_id", None)
    if squad is None or person_id is None or not _active(user) or squad.kind != OrganizationKind.VANGUARD_SQUAD:
        return False
    return squad.memberships.filter(person_id=person_id, role=MembershipRole.LEADER).exists()


def led_squads(user: Any) -> list[Organization]:
    """The vanguard squads the user's person leads."""
    person_id = getattr(user, "person_id", None)
    if person_id is None or not _active(user):
        return []
    return list(
        Organization.objects.filter(
            kind=OrganizationKind.VANGUARD_SQUAD,
            memberships__person_id=person_id,
            memberships__role=MembershipRole.LEADER,
        ).order_by("pk")
    )


def can_sign_up_squad(user: Any, campaign: Campaign, squad: Organization) -> bool:
    """Staff running the campaign, or the squad's leader when the campaign reaches the squad or the leader."""
    if can_manage_campaign(user, campaign):
        return True
    if not is_squad_leader(user, squad) or campaign.status != CampaignStatus.OPEN:
        return False
    return reaches(campaign, squad) or bool(reaches_member(user, campaign))


# Bookings


@rules.predicate
def is_booked_person(user: Any, booking: ShiftBooking | None) -> bool:
    person_id = getattr(user, "person_id", None)
    return booking is not None and _active(user) and person_id is not None and booking.person_id == person_id


@rules.predicate
def is_booker(user: Any, booking: ShiftBooking | None) -> bool:
    return booking is not None and _active(user) and booking.booked_by_id == user.pk


@rules.predicate
def can_manage_booking(user: Any, booking: ShiftBooking | None) -> bool:
    return booking is not None and bool(can_manage_campaign(user, booking.campaign))


def campaign_actions(user: Any, campaign: Campaign) -> set[str]:
    """What a page offers this user on this campaign now; the services check again on submit."""
    actions: set[str] = set()
    status = campaign.status
    if can_manage_campaign(user, campaign):
        if status == CampaignStatus.DRAFT:
            actions.add("open")
        if status == CampaignStatus.OPEN:
            actions |= {"finish", "sign_up_others"}
        if status in (CampaignStatus.DRAFT, CampaignStatus.OPEN):
            actions |= {"cancel", "add_place", "add_shift"}
    if status == CampaignStatus.OPEN and can_sign_up_self(user, campaign):
        actions.add("sign_up")
    if status == CampaignStatus.OPEN and led_squads(user):
        actions.add("sign_up_squad")
    return actions


rules.add_perm("frontline.manage_campaign", can_manage_campaign)
rules.add_perm("frontline.view_campaign", can_view_campaign)
rules.add_perm("frontline.sign_up_for_campaign", can_sign_up_self)
rules.add_perm("frontline.cancel_booking", is_booked_person | is_booker | can_manage_booking)
rules.add_perm("frontline.check_in_booking", is_booked_person | can_manage_booking)
