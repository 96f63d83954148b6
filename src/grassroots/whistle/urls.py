from django.urls import URLPattern, URLResolver, path

from grassroots.whistle import views

CALL_ACTIONS = ("acknowledge", "report", "feedback", "rate")
WHISTLE_ACTIONS = ("close", "cancel")

app_name = "whistle"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.WhistleBoardView.as_view(), name="whistle_list"),
    path("new/", views.WhistleCreateView.as_view(), name="whistle_create"),
    path("mine/", views.MyWhistlesView.as_view(), name="my_whistles"),
    path("scorecards/", views.ScorecardsView.as_view(), name="scorecards"),
    path("scorecards/<int:pk>/", views.DepartmentScorecardView.as_view(), name="department_scorecard"),
    path("<int:pk>/", views.WhistleDetailView.as_view(), name="whistle_detail"),
    *(
        path(f"<int:pk>/{action}/", views.WhistleActionView.as_view(action=action), name=f"whistle_{action}")
        for action in WHISTLE_ACTIONS
    ),
    *(
        path(
            f"<int:pk>/calls/<int:call_pk>/{action}/",
            views.WhistleActionView.as_view(action=action),
            name=f"call_{action}",
        )
        for action in CALL_ACTIONS
    ),
    path("<int:pk>/calls/<int:call_pk>/photo/", views.CallPhotoView.as_view(), name="call_photo"),
]
