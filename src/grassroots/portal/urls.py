from django.urls import path

from grassroots.portal import views

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
    path("requests/", views.MyRequestsView.as_view(), name="my_requests"),
    path("requests/<int:pk>/", views.MyRequestsView.as_view(), name="case_detail"),
]
