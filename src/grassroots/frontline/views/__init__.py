"""Frontline staff pages (community, street and district staff, and units' admins): the reporting inbox, unit
reports and their projects, the member roster, points, campaigns and vanguard squads."""

from grassroots.frontline.views.campaigns import (
    CampaignCreateView,
    CampaignDetailView,
    CampaignListView,
    CampaignPlaceAddView,
    CampaignShiftAddView,
    CampaignShiftsView,
    CampaignStateView,
)
from grassroots.frontline.views.committee import (
    CommitteeSeatCreateView,
    CommitteeSeatEndView,
    CommitteeSeatListView,
)
from grassroots.frontline.views.points import (
    PersonLedgerView,
    PointsRankingView,
    PointsRulesView,
    ServiceRecordCreateView,
)
from grassroots.frontline.views.reporting import (
    InboxView,
    MemberReportBulkConfirmView,
    MemberReportDecisionView,
    MemberReportDetailView,
    UnitReportDecisionView,
)
from grassroots.frontline.views.roster import MemberRosterView, UnitFeedbackView, UnitMembersView
from grassroots.frontline.views.squads import SquadListView
from grassroots.frontline.views.units import (
    UnitProjectAddView,
    UnitProjectUpdateView,
    UnitReportCreateView,
    UnitReportDetailView,
)

__all__ = [
    "CampaignCreateView",
    "CampaignDetailView",
    "CampaignListView",
    "CampaignPlaceAddView",
    "CampaignShiftAddView",
    "CampaignShiftsView",
    "CampaignStateView",
    "CommitteeSeatCreateView",
    "CommitteeSeatEndView",
    "CommitteeSeatListView",
    "InboxView",
    "MemberReportBulkConfirmView",
    "MemberReportDecisionView",
    "MemberReportDetailView",
    "MemberRosterView",
    "PersonLedgerView",
    "PointsRankingView",
    "PointsRulesView",
    "ServiceRecordCreateView",
    "SquadListView",
    "UnitFeedbackView",
    "UnitMembersView",
    "UnitProjectAddView",
    "UnitProjectUpdateView",
    "UnitReportCreateView",
    "UnitReportDecisionView",
    "UnitReportDetailView",
]
