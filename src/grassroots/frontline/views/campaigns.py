"""Mobilisation campaigns for staff: the list, a new campaign, its page (places, shifts and each shift's fill
rate, refreshed every 30 seconds by htmx), the place and shift forms, and opening, finishing or cancelling it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

import grassroots.web.views  # noqa: F401  # loads web.lists' dependencies first (see web/lists.py)
from grassroots.accounts.enums import Capability
from grassroots.core.errors import ApplicationError
from grassroots.frontline.enums import HOLDING_STATUSES
from grassroots.frontline.forms import CampaignForm, PlaceForm, ShiftForm
from grassroots.frontline.forms.filters import CampaignFilter
from grassroots.frontline.models import Campaign, Shift, ShiftBooking
from grassroots.frontline.rules.campaigns import campaign_actions
from grassroots.frontline.selectors import campaigns as selectors
from grassroots.frontline.services.campaigns import (
    campaign_cancel,
    campaign_create,
    campaign_finish,
    campaign_open,
    place_add,
    shift_add,
)
from grassroots.frontline.tables import CampaignTable
from grassroots.frontline.views.common import FrontlineMixin, form_error
from grassroots.web.lists import ScopedListView
from grassroots.web.views.base import Crumb

LIST = "frontline:campaign_list"
REFRESH_SECONDS = 30


def campaign_or_404(request: HttpRequest, pk: int) -> Campaign:
    try:
        return selectors.campaign_get(user=request.user, pk=pk)
    except Campaign.DoesNotExist as exc:
        raise Http404 from exc


def shifts_of(request: HttpRequest, campaign: Campaign) -> QuerySet[Shift]:
    """The campaign's shifts with their fill rate and who holds a place on each."""
    holding = ShiftBooking.objects.filter(status__in=HOLDING_STATUSES).select_related("person", "squad")
    return (
        selectors.shift_list(user=request.user, campaign=campaign)
        .prefetch_related(Prefetch("bookings", holding.order_by("booked_at", "pk"), to_attr="holding"))
        .order_by("starts_at", "place_id", "pk")
    )


def render_campaign(
    request: HttpRequest,
    campaign: Campaign,
    *,
    failed: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    failed = failed or {}
    actions = campaign_actions(request.user, campaign)
    context = {
        "campaign": campaign,
        "actions": actions,
        "places": list(campaign.places.select_related("region").order_by("id")),
        "shifts": list(shifts_of(request, campaign)),
        "fill": selectors.campaign_fill(campaign=campaign),
        "place_form": failed.get("place") or PlaceForm(campaign=campaign, prefix="place"),
        "shift_form": failed.get("shift") or ShiftForm(campaign=campaign, prefix="shift"),
        "failed": set(failed),
        "refresh_seconds": REFRESH_SECONDS,
        "breadcrumbs": [(gettext_lazy("Mobilisation campaigns"), reverse(LIST)), (campaign.title, None)],
        "title": campaign.title,
    }
    return render(request, "frontline/campaign_detail.html", context, status=status)


class CampaignListView(FrontlineMixin, ScopedListView):
    model = Campaign
    scoped_model = Campaign
    table_class = CampaignTable
    filterset_class = CampaignFilter
    template_name = "frontline/campaign_list.html"
    title = gettext_lazy("Mobilisation campaigns")
    create_url_name = "frontline:campaign_create"
    create_capability = Capability.MANAGE_FRONTLINE

    def get_scoped_queryset(self) -> QuerySet[Campaign]:
        return selectors.campaign_list(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if context["filtered"]:
            context["empty_message"] = gettext_lazy("No campaign matches these filters.")
        else:
            context["empty_message"] = gettext_lazy(
                "No campaign yet. Start one to call members and squads to checkpoints and testing sites."
            )
        return context


class CampaignCreateView(FrontlineMixin, View):
    model = Campaign
    scoped_model = Campaign
    capability = Capability.MANAGE_FRONTLINE

    def render_form(self, request: HttpRequest, form: CampaignForm, status: int = 200) -> HttpResponse:
        title = gettext_lazy("New campaign")
        crumbs: list[Crumb] = [(gettext_lazy("Mobilisation campaigns"), reverse(LIST)), (title, None)]
        context = {"form": form, "title": title, "breadcrumbs": crumbs, "cancel_url": reverse(LIST)}
        return render(request, "frontline/form_page.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_form(request, CampaignForm(user=request.user))

    def post(self, request: HttpRequest) -> HttpResponseBase:
        form = CampaignForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                campaign = campaign_create(
                    actor=request.user,
                    region=data["region"],
                    title=data["title"],
                    description=data.get("description") or "",
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    request=request,
                )
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Campaign %(title)s created. Add its places and shifts, then open it.")
                    % {"title": campaign.title},
                )
                return HttpResponseRedirect(reverse("frontline:campaign_detail", args=[campaign.pk]))
        return self.render_form(request, form, status=400)


class CampaignDetailView(FrontlineMixin, View):
    model = Campaign
    scoped_model = Campaign

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render_campaign(request, campaign_or_404(request, pk))


class CampaignShiftsView(FrontlineMixin, View):
    """htmx: the shifts table alone, polled every 30 seconds by the campaign page."""

    model = Campaign
    scoped_model = Campaign

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        campaign = campaign_or_404(request, pk)
        context = {
            "campaign": campaign,
            "shifts": list(shifts_of(request, campaign)),
            "fill": selectors.campaign_fill(campaign=campaign),
            "refresh_seconds": REFRESH_SECONDS,
        }
        return render(request, "frontline/partials/_shifts.html", context)


class CampaignPlaceAddView(FrontlineMixin, View):
    http_method_names = ["post"]
    model = Campaign
    scoped_model = Campaign

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        campaign = campaign_or_404(request, pk)
        form = PlaceForm(request.POST, campaign=campaign, prefix="place")
        if form.is_valid():
            data = form.cleaned_data
            try:
                place = place_add(
                    campaign=campaign,
                    actor=request.user,
                    name=data["name"],
                    kind=data["kind"],
                    region=data.get("region"),
                    address=data.get("address") or "",
                    request=request,
                )
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Place %(name)s added.") % {"name": place.name})
                return HttpResponseRedirect(reverse("frontline:campaign_detail", args=[campaign.pk]))
        messages.error(request, _("Nothing was changed. Please correct the errors below."))
        return render_campaign(request, campaign, failed={"place": form}, status=400)


class CampaignShiftAddView(FrontlineMixin, View):
    http_method_names = ["post"]
    model = Campaign
    scoped_model = Campaign

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        campaign = campaign_or_404(request, pk)
        form = ShiftForm(request.POST, campaign=campaign, prefix="shift")
        if form.is_valid():
            data = form.cleaned_data
            try:
                shift_add(
                    campaign=campaign,
                    place=data["place"],
                    actor=request.user,
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    needed=data["needed"],
                    duty=data.get("duty") or "",
                    request=request,
                )
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Shift added."))
                return HttpResponseRedirect(reverse("frontline:campaign_detail", args=[campaign.pk]))
        messages.error(request, _("Nothing was changed. Please correct the errors below."))
        return render_campaign(request, campaign, failed={"shift": form}, status=400)


class CampaignStateView(FrontlineMixin, View):
    """POST: open, finish or cancel the campaign (``action``)."""

    http_method_names = ["post"]
    model = Campaign
    scoped_model = Campaign
    action: str = ""

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        campaign = campaign_or_404(request, pk)
        back = reverse("frontline:campaign_detail", args=[campaign.pk])
        try:
            if self.action == "open":
                campaign = campaign_open(campaign=campaign, actor=request.user, request=request)
            elif self.action == "finish":
                campaign = campaign_finish(campaign=campaign, actor=request.user, request=request)
            elif self.action == "cancel":
                reason = request.POST.get("reason", "").strip()[:200]
                campaign = campaign_cancel(campaign=campaign, actor=request.user, reason=reason, request=request)
            else:  # pragma: no cover - the URLconf names the actions
                raise Http404
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(back)
        messages.success(
            request,
            _("Campaign %(title)s is now: %(status)s.")
            % {"title": campaign.title, "status": campaign.get_status_display()},
        )
        return HttpResponseRedirect(back)
