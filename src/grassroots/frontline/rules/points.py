"""Who may publish points rules, record service and download a unit's feedback report.

Plain predicates over the user's anchors (see ``grassroots.cases.rules``), registered with ``rules``.
"""

from __future__ import annotations

from typing import Any

import rules

from grassroots.accounts.enums import Capability, Role
from grassroots.accounts.roles import Anchor, anchors_for, organizations_for


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def anchor_covers_region(anchor: Anchor, region: Any) -> bool:
    """Whether a region-level anchor reaches ``region`` (its column of the anchor's level is the anchor)."""
    if anchor.level not in ("district", "street", "community", "compound"):
        return False
    column = getattr(region, f"{anchor.level}_id", None)
    return column is not None and column == anchor.pk


@rules.predicate
def is_district_manager(user: Any) -> bool:
    """District admins (MANAGE_FRONTLINE anchored at the district) and superusers."""
    if not _active(user):
        return False
    return bool(user.is_superuser) or any(a.level == "district" for a in anchors_for(user, Capability.MANAGE_FRONTLINE))


@rules.predicate
def can_publish_points_rules(user: Any) -> bool:
    return bool(is_district_manager(user))


@rules.predicate
def can_record_service(user: Any, region: Any) -> bool:
    """Staff who manage frontline work where the service was done."""
    if not _active(user) or region is None:
        return False
    if user.is_superuser:
        return True
    return any(anchor_covers_region(a, region) for a in anchors_for(user, Capability.MANAGE_FRONTLINE))


@rules.predicate
def can_download_feedback(user: Any, unit: Any) -> bool:
    """A unit's feedback report (反馈到单位): that unit's admin, or the district admin."""
    if not _active(user) or unit is None:
        return False
    if bool(is_district_manager(user)):
        return True
    return unit.pk in organizations_for(user, Role.UNIT_ADMIN)


rules.add_perm("frontline.publish_points_rules", can_publish_points_rules)
rules.add_perm("frontline.add_service_record", can_record_service)
rules.add_perm("frontline.download_unit_feedback", can_download_feedback)
