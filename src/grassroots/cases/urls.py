from django.urls import path

from grassroots.cases import views

ACTIONS = ("accept", "reject", "claim", "release", "fulfil", "rate", "escalate", "cancel", "note")

app_name = "cases"
urlpatterns = [
    path("", views.CaseListView.as_view(), name="case_list"),
    path("new/", views.CaseCreateView.as_view(), name="case_create"),
    path("new/places/", views.IntakePlaceFieldsView.as_view(), name="intake_places"),
    path("new/services/", views.IntakeServiceFieldsView.as_view(), name="intake_services"),
    path("new/similar/", views.IntakeSimilarView.as_view(), name="intake_similar"),
    path("wishes/", views.WishWallView.as_view(), name="wish_wall"),
    path("photos/<str:token>/", views.CasePhotoView.as_view(), name="photo"),
    path("<int:pk>/", views.CaseDetailView.as_view(), name="case_detail"),
    *(
        path(f"<int:pk>/{action}/", views.CaseActionView.as_view(action=action), name=f"case_{action}")
        for action in ACTIONS
    ),
]
