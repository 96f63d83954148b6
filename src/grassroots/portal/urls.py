from django.urls import path

from grassroots.portal import views, views_board, views_cases, views_frontline, views_member

app_name = "portal"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("help/", views.HelpView.as_view(), name="help"),
    path("notices/", views.NoticeListView.as_view(), name="notice_list"),
    path("notices/<int:pk>/", views.NoticeDetailView.as_view(), name="notice_detail"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("verify/", views.VerifyView.as_view(), name="verify"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("me/", views.MeView.as_view(), name="me"),
    # Residents' requests
    path("requests/", views_cases.MyRequestsView.as_view(), name="my_requests"),
    path("requests/new/", views_cases.CaseSubmitView.as_view(), name="case_new"),
    path("requests/<int:pk>/", views_cases.CaseDetailView.as_view(), name="case_detail"),
    path("requests/<int:pk>/withdraw/", views_cases.CaseWithdrawView.as_view(), name="case_withdraw"),
    path("requests/<int:pk>/rate/", views_cases.CaseRateView.as_view(), name="case_rate"),
    # The public wish wall
    path("wishes/", views_cases.WishWallView.as_view(), name="wishes"),
    # The public community board (公示栏): services and aggregate figures, keyed by the community's code
    path("board/", views_board.BoardListView.as_view(), name="board"),
    path("board/<str:code>/", views_board.BoardDetailView.as_view(), name="board_detail"),
    # Party members
    path("member/wall/", views_member.MemberWallView.as_view(), name="member_wall"),
    path("member/wall/<int:pk>/claim/", views_member.MemberClaimView.as_view(), name="member_claim"),
    path("member/claims/", views_member.MemberClaimsView.as_view(), name="member_claims"),
    path("member/claims/<int:pk>/release/", views_member.MemberReleaseView.as_view(), name="member_release"),
    path("member/claims/<int:pk>/fulfil/", views_member.MemberFulfilView.as_view(), name="member_fulfil"),
    # Party members on the frontline: reporting, posts, points, campaigns
    path("member/report/", views_frontline.MemberReportView.as_view(), name="member_report"),
    path("member/report/withdraw/", views_frontline.MemberReportWithdrawView.as_view(), name="member_report_withdraw"),
    path("member/report/<int:pk>/", views_frontline.MyReportView.as_view(), name="my_report"),
    path("member/posts/", views_frontline.MemberPostsView.as_view(), name="member_posts"),
    path("member/points/", views_frontline.MemberPointsView.as_view(), name="member_points"),
    path("member/campaigns/", views_frontline.MemberCampaignsView.as_view(), name="member_campaigns"),
    path(
        "member/campaigns/shifts/<int:pk>/signup/",
        views_frontline.ShiftSignupView.as_view(),
        name="member_shift_signup",
    ),
    *(
        path(
            f"member/bookings/<int:pk>/{action}/",
            views_frontline.BookingActionView.as_view(action=action),
            name=f"member_booking_{action}",
        )
        for action in views_frontline.BOOKING_SERVICES
    ),
]
