from django.urls import URLPattern, URLResolver, path

from grassroots.frontline import views

DECISIONS = ("confirm", "return", "withdraw")
CAMPAIGN_STATES = ("open", "finish", "cancel")

app_name = "frontline"
urlpatterns: list[URLPattern | URLResolver] = [
    # Reporting: the inbox, member reports, unit reports and their projects
    path("reports/", views.InboxView.as_view(), name="inbox"),
    path("member-reports/confirm/", views.MemberReportBulkConfirmView.as_view(), name="member_report_bulk_confirm"),
    path("member-reports/<int:pk>/", views.MemberReportDetailView.as_view(), name="member_report_detail"),
    *(
        path(
            f"member-reports/<int:pk>/{action}/",
            views.MemberReportDecisionView.as_view(action=action),
            name=f"member_report_{action}",
        )
        for action in DECISIONS
    ),
    path("unit-reports/new/", views.UnitReportCreateView.as_view(), name="unit_report_create"),
    path("unit-reports/<int:pk>/", views.UnitReportDetailView.as_view(), name="unit_report_detail"),
    *(
        path(
            f"unit-reports/<int:pk>/{action}/",
            views.UnitReportDecisionView.as_view(action=action),
            name=f"unit_report_{action}",
        )
        for action in DECISIONS
    ),
    path("unit-reports/<int:pk>/projects/", views.UnitProjectAddView.as_view(), name="unit_project_add"),
    path("projects/<int:pk>/", views.UnitProjectUpdateView.as_view(), name="unit_project_update"),
    # Members
    path("members/", views.MemberRosterView.as_view(), name="member_roster"),
    path("unit/members/", views.UnitMembersView.as_view(), name="unit_members"),
    path("unit/feedback/", views.UnitFeedbackView.as_view(), name="unit_feedback"),
    # Points
    path("points/", views.PointsRankingView.as_view(), name="points_ranking"),
    path("points/person/<int:pk>/", views.PersonLedgerView.as_view(), name="points_person"),
    path("points/rules/", views.PointsRulesView.as_view(), name="points_rules"),
    path("points/service/new/", views.ServiceRecordCreateView.as_view(), name="service_record_create"),
    # Campaigns and squads
    path("campaigns/", views.CampaignListView.as_view(), name="campaign_list"),
    path("campaigns/new/", views.CampaignCreateView.as_view(), name="campaign_create"),
    path("campaigns/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign_detail"),
    path("campaigns/<int:pk>/shifts/", views.CampaignShiftsView.as_view(), name="campaign_shifts"),
    path("campaigns/<int:pk>/places/new/", views.CampaignPlaceAddView.as_view(), name="campaign_place_add"),
    path("campaigns/<int:pk>/shifts/new/", views.CampaignShiftAddView.as_view(), name="campaign_shift_add"),
    *(
        path(
            f"campaigns/<int:pk>/{action}/",
            views.CampaignStateView.as_view(action=action),
            name=f"campaign_{action}",
        )
        for action in CAMPAIGN_STATES
    ),
    path("squads/", views.SquadListView.as_view(), name="squad_list"),
    # Part-time committee members
    path("committee/", views.CommitteeSeatListView.as_view(), name="committee_list"),
    path("committee/new/", views.CommitteeSeatCreateView.as_view(), name="committee_create"),
    path("committee/<int:pk>/end/", views.CommitteeSeatEndView.as_view(), name="committee_end"),
]
