from django.urls import path

from grassroots.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
]
