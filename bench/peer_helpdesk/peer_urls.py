"""URLs of the django-helpdesk benchmark site: the helpdesk at the root (its staff dashboard is ``/dashboard/``)."""

from django.urls import include, path

urlpatterns = [
    path("", include("helpdesk.urls", namespace="helpdesk")),
]
