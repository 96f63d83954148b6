"""The REST API, version 1, and its OpenAPI document."""

from django.urls import path

urlpatterns: list = []
