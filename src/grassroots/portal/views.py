"""The residents' phone pages: thin views over the portal's selectors and services.

Views that show a model name it (``model``/``scoped_model``) for the scope-matrix test. The public pages show
only region names and published notices; a resident's own pages read through their own user.
"""

from __future__ import annotations

import time
from typing import Any, ClassVar

from django.contrib.auth import login, logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from grassroots.core.errors import ApplicationError
from grassroots.portal import selectors, services
from grassroots.portal.forms import CodeForm, MobileForm
from grassroots.portal.models import Notice
from grassroots.territory.models import Region

SESSION_COMMUNITY = "portal_community"
SESSION_OTP = "portal_otp"
SESSION_NEXT = "portal_next"
HOME_NOTICES = 5
NOTICES_PER_PAGE = 20


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


class CommunityChoiceMixin:
    """The community whose notices are shown: ``?community=`` (remembered), or the resident's own."""

    request: HttpRequest

    def chosen_community(self) -> Region | None:
        requested = _int(self.request.GET.get("community"))
        if requested:
            community = selectors.community_get_public(pk=requested)
            if community is not None:
                self.request.session[SESSION_COMMUNITY] = community.pk
                return community
        remembered = selectors.community_get_public(pk=self.request.session.get(SESSION_COMMUNITY))
        if remembered is not None:
            return remembered
        person = selectors.resident_person(user=self.request.user)
        return person.community if person is not None else None

    def picker_context(self, community: Region | None) -> dict[str, Any]:
        """Street first, then its communities: a short list on a phone at each step."""
        street_id = _int(self.request.GET.get("street"))
        picking = street_id is not None or community is None or "change" in self.request.GET
        context: dict[str, Any] = {"community": community, "picking": picking}
        if picking:
            context["streets"] = selectors.street_list_public()
            if street_id is not None:
                context["street_id"] = street_id
                context["communities"] = selectors.community_list_public(street_id=street_id)
        return context


class HomeView(CommunityChoiceMixin, TemplateView):
    template_name = "portal/home.html"
    scoped_model: ClassVar[type[models.Model]] = Notice

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        community = self.chosen_community()
        context.update(self.picker_context(community))
        context["notices"] = list(selectors.notice_list_public(community=community)[:HOME_NOTICES]) if community else []
        context["tab"] = "home"
        return context


class NoticeListView(CommunityChoiceMixin, ListView):  # type: ignore[type-arg]
    model = Notice
    scoped_model = Notice
    template_name = "portal/notice_list.html"
    paginate_by = NOTICES_PER_PAGE

    def get_queryset(self) -> QuerySet[Notice]:
        self.community = self.chosen_community()
        if self.community is None:
            return Notice.objects.none()
        return selectors.notice_list_public(community=self.community)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.picker_context(self.community))
        context["tab"] = "notices"
        return context


class NoticeDetailView(DetailView):  # type: ignore[type-arg]
    model = Notice
    scoped_model = Notice
    template_name = "portal/notice_detail.html"
    context_object_name = "notice"

    def get_object(self, queryset: QuerySet[Notice] | None = None) -> Notice:
        return selectors.notice_get_public(pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["tab"] = "notices"
        return context


def _safe_next(request: HttpRequest, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(value, {request.get_host()}, request.is_secure()):
        return value
    return ""


class SignInView(FormView):  # type: ignore[type-arg]
    """Step 1: the mobile number. The answer is the same for registered and unregistered numbers."""

    form_class = MobileForm
    template_name = "portal/login.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        nxt = _safe_next(request, request.GET.get("next"))
        if nxt:
            request.session[SESSION_NEXT] = nxt
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["tab"] = "me"
        return context

    def form_valid(self, form: MobileForm) -> HttpResponse:
        try:
            result = services.otp_request(
                mobile=form.cleaned_data["mobile"], ip_address=self.request.META.get("REMOTE_ADDR")
            )
        except ApplicationError as exc:
            form.add_error("mobile" if exc.code == "mobile_invalid" else None, exc.message)
            return self.form_invalid(form)
        self.request.session[SESSION_OTP] = {
            "h": result.mobile_hash,
            "m": result.mobile_masked,
            "t": time.time(),
            "n": 0,
            "demo": result.demo_code,
        }
        return redirect("portal:verify")


class VerifyView(FormView):  # type: ignore[type-arg]
    """Step 2: the code. Expiry and the attempt count are kept in the session too, so that an unregistered
    number (which has no challenge row) gets exactly the same answers."""

    form_class = CodeForm
    template_name = "portal/verify.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.pending: dict[str, Any] | None = request.session.get(SESSION_OTP)
        if not self.pending:
            return redirect("portal:login")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        assert self.pending is not None
        context["mobile_masked"] = self.pending["m"]
        context["demo_code"] = self.pending.get("demo", "") if services.demo_shows_code() else ""
        context["tab"] = "me"
        return context

    def _fail(self, form: CodeForm, error: ApplicationError) -> HttpResponse:
        form.add_error(None, error.message)
        return self.form_invalid(form)

    def form_valid(self, form: CodeForm) -> HttpResponse:
        pending = self.pending
        assert pending is not None
        if time.time() > pending["t"] + services.CODE_TTL.total_seconds():
            return self._fail(form, services.expired_error())
        if pending["n"] >= services.MAX_ATTEMPTS:
            return self._fail(form, services.too_many_attempts_error())
        try:
            user = services.otp_verify(mobile_hash=pending["h"], code=form.cleaned_data["code"], request=self.request)
        except ApplicationError as exc:
            if exc.code == "otp_wrong":
                pending["n"] += 1
                self.request.session[SESSION_OTP] = pending
                exc = services.wrong_code_error(services.MAX_ATTEMPTS - pending["n"])
            return self._fail(form, exc)
        nxt = self.request.session.get(SESSION_NEXT, "")
        login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
        self.request.session.pop(SESSION_OTP, None)
        self.request.session.pop(SESSION_NEXT, None)
        return HttpResponseRedirect(_safe_next(self.request, nxt) or reverse("portal:me"))


class SignOutView(View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        logout(request)
        return redirect("portal:home")


class ResidentRequiredMixin(LoginRequiredMixin):
    login_url = reverse_lazy("portal:login")


class MeView(ResidentRequiredMixin, TemplateView):
    template_name = "portal/me.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["person"] = selectors.resident_person(user=self.request.user)
        context["tab"] = "me"
        return context


class HelpView(TemplateView):
    """The "我要求助" page: a placeholder until resident requests arrive with their own issue."""

    template_name = "portal/help.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["tab"] = "home"
        return context
