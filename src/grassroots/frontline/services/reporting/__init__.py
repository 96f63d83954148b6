"""Dual reporting (双报到): units and in-service party members report to a community, which confirms.

A report is a request: it is pending until the community's staff confirm or return it. Confirming a member's
report gives their login the ``party_member`` role anchored at the community reported to (the case claim rules
read that anchor) and awards the ``member_reported`` points. One live (pending or confirmed) report per unit and
community, and per member; the database's partial unique constraints are the second guard. Import from here.
"""

from grassroots.frontline.services.reporting.common import (
    MAX_POSTS,
    MAX_SKILLS,
    MEMBER_REGION_KINDS,
    UNIT_REPORT_KINDS,
    CommitmentInput,
    ResourceInput,
)
from grassroots.frontline.services.reporting.members import (
    member_report_decide,
    member_report_submit,
    member_report_withdraw,
)
from grassroots.frontline.services.reporting.units import (
    unit_project_add,
    unit_project_update,
    unit_report_decide,
    unit_report_submit,
    unit_report_withdraw,
)

__all__ = [
    "MAX_POSTS",
    "MAX_SKILLS",
    "MEMBER_REGION_KINDS",
    "UNIT_REPORT_KINDS",
    "CommitmentInput",
    "ResourceInput",
    "member_report_decide",
    "member_report_submit",
    "member_report_withdraw",
    "unit_project_add",
    "unit_project_update",
    "unit_report_decide",
    "unit_report_submit",
    "unit_report_withdraw",
]
