"""Who may see and who may write the cockpit's work reports.

Seeing a report needs VIEW_KPIS over its region (the same scope as the region's figures). Requesting one and
writing its prose needs that and MANAGE_FRONTLINE at the region: the staff who run the region's party-building
work (district admin, street and community staff), the same people who record its service and campaigns.
"""

from __future__ import annotations

from typing import Any

import rules

from grassroots.accounts.enums import Capability
from grassroots.accounts.roles import anchors_for
from grassroots.cockpit.compute import may_see
from grassroots.frontline.rules.points import anchor_covers_region

REPORT_CAPABILITY = Capability.MANAGE_FRONTLINE


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


@rules.predicate
def can_view_report(user: Any, report: Any) -> bool:
    return _active(user) and report is not None and may_see(user, report.region)


@rules.predicate
def can_manage_reports(user: Any, region: Any) -> bool:
    """Request a region's report and write its prose."""
    if not _active(user) or region is None:
        return False
    if user.is_superuser:
        return True
    if not any(anchor_covers_region(a, region) for a in anchors_for(user, REPORT_CAPABILITY)):
        return False
    return may_see(user, region)


@rules.predicate
def can_edit_report(user: Any, report: Any) -> bool:
    return report is not None and bool(can_manage_reports(user, report.region))


rules.add_perm("cockpit.view_workreport", can_view_report)
rules.add_perm("cockpit.change_workreport", can_edit_report)
