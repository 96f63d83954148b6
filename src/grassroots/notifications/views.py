"""The in-app inbox: each user's own notifications only, unread first; mark one or all as read.

Notifications belong to a user, not to a region: every read goes through ``selectors.inbox(user=...)`` and every
write through ``notification_mark_read(user=...)``, so another user's notification is a 404 and is never changed.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from grassroots.accounts.enums import Role
from grassroots.accounts.roles import roles_of
from grassroots.notifications.selectors import inbox, unread_count
from grassroots.notifications.services import notification_mark_read

PAGE_SIZE = 30


def uses_portal(user: Any) -> bool:
    """Residents (and users without a staff role) read their inbox in the portal's frame."""
    if getattr(user, "is_staff", False) or getattr(user, "is_superuser", False):
        return False
    return roles_of(user) <= {Role.RESIDENT.value}


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return default


class InboxView(LoginRequiredMixin, TemplateView):
    template_name = "notifications/inbox.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        rows = inbox(user=user).order_by(F("read_at").asc(nulls_first=True), "-created_at", "-id")
        page = Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("page"))
        portal = uses_portal(user)
        context.update(
            page_obj=page,
            notifications=page.object_list,
            unread=unread_count(user=user),
            base_template="portal/base.html" if portal else "base.html",
            tab="inbox",
        )
        return context


class MarkReadView(LoginRequiredMixin, View):
    """POST: mark one of the user's notifications read; with ``open`` set, go on to its link."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        notification = inbox(user=request.user).filter(pk=pk).first()
        if notification is None:
            raise Http404
        notification_mark_read(user=request.user, ids=[notification.pk])
        target = notification.url
        if request.POST.get("open") and target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
            return HttpResponseRedirect(target)
        return HttpResponseRedirect(_safe_next(request, reverse("notifications:inbox")))


class MarkAllReadView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        notification_mark_read(user=request.user)
        return HttpResponseRedirect(_safe_next(request, reverse("notifications:inbox")))
