"""The party member's frontline phone pages: reporting to the community where they live, their posts and
service, their points, and the mobilisation campaigns they can sign up for.

Thin views over the frontline selectors and services. Every page reads through the signed-in user's own person
(``request.user.person``): a member sees only their own report, ledger and sign-ups, and the campaigns meant for
them. Anything else (another person's booking, a shift of a campaign not meant for them) is a 404.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from grassroots.core.errors import ApplicationError
from grassroots.frontline.enums import HOLDING_STATUSES, LIVE_REPORT_STATUSES, BookingStatus, CampaignStatus
from grassroots.frontline.models import Campaign, MemberReport, PointsEntry, Shift, ShiftBooking
from grassroots.frontline.selectors.campaigns import my_bookings, open_campaigns_for, shift_list
from grassroots.frontline.selectors.points import member_service_summary, points_ledger, points_total
from grassroots.frontline.selectors.reporting import my_member_report
from grassroots.frontline.serializers import ENTRY_RELATED, entry_description
from grassroots.frontline.services.campaigns import (
    booking_cancel,
    booking_checkin,
    booking_checkout,
    shift_signup,
)
from grassroots.frontline.services.campaigns.common import CHECKIN_EARLY
from grassroots.frontline.services.reporting import member_report_submit, member_report_withdraw
from grassroots.people.enums import MemberCategory
from grassroots.people.models import PartyMembership, Person
from grassroots.portal.forms_frontline import MemberReportForm, report_places
from grassroots.portal.views_cases import form_errors_from

LEDGER_PER_PAGE = 30
PAST_BOOKINGS = 10


class PartyMemberMixin(LoginRequiredMixin):
    """Signed in, linked to a person who is a party member (``in_service_only``: an in-service one); else 403."""

    login_url = reverse_lazy("portal:login")
    in_service_only: ClassVar[bool] = False
    person: Person

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        person_id: int | None = getattr(request.user, "person_id", None)
        person = Person.objects.filter(pk=person_id).first() if person_id is not None else None
        membership = PartyMembership.objects.filter(person=person).first() if person is not None else None
        if person is None or membership is None:
            raise PermissionDenied(_("Only party members can open this page."))
        if self.in_service_only and membership.category != MemberCategory.IN_SERVICE:
            raise PermissionDenied(_("Only in-service party members report to the community where they live."))
        self.person = person
        return super().dispatch(request, *args, **kwargs)  # type: ignore[no-any-return]

    def base_context(self, tab: str) -> dict[str, Any]:
        return {"tab": "member", "member_tab": tab, "person": self.person}


# Reporting


class MemberReportView(PartyMemberMixin, View):
    """``/portal/member/report/``: report to the community or compound where one lives; the report's status."""

    in_service_only = True
    scoped_model: ClassVar[type[models.Model]] = MemberReport
    template_name = "portal/frontline/report.html"

    def form(self, report: MemberReport | None, data: Any = None) -> MemberReportForm:
        initial: dict[str, Any] = {}
        if report is not None:  # a returned or withdrawn report: start from what was chosen then
            initial = {"posts": list(report.posts.all()), "skills": report.skills}
        return MemberReportForm(data, initial=initial, places=report_places(self.person))

    def render_page(self, request: HttpRequest, form: MemberReportForm | None = None) -> HttpResponse:
        report = my_member_report(user=request.user)
        live = report is not None and report.status in LIVE_REPORT_STATUSES
        context = self.base_context("report")
        context.update(
            report=report,
            live=live,
            form=None if live else (form or self.form(report)),
            has_places=bool(report_places(self.person)),
        )
        return render(request, self.template_name, context)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form(None, request.POST)
        if form.is_valid():
            try:
                member_report_submit(
                    actor=request.user,
                    region=form.cleaned_data["region"],
                    posts=form.cleaned_data["posts"],
                    skills=form.cleaned_data["skills"] or "",
                    request=request,
                )
            except ApplicationError as exc:
                if exc.status == 409:  # already reported meanwhile: the page shows that report
                    messages.error(request, exc.message)
                    return redirect("portal:member_report")
                form_errors_from(form, exc)
            else:
                messages.success(request, _("You have reported. The community will confirm it soon."))
                return redirect("portal:member_report")
        return self.render_page(request, form)


class MemberReportWithdrawView(PartyMemberMixin, View):
    """POST ``/portal/member/report/withdraw/``: withdraw one's live report."""

    http_method_names = ["post"]
    scoped_model: ClassVar[type[models.Model]] = MemberReport

    def post(self, request: HttpRequest) -> HttpResponse:
        report = my_member_report(user=request.user)
        if report is None or report.status not in LIVE_REPORT_STATUSES:
            messages.error(request, _("You have no report to withdraw."))
            return redirect("portal:member_report")
        try:
            member_report_withdraw(report=report, actor=request.user, request=request)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your report has been withdrawn."))
        return redirect("portal:member_report")


class MyReportView(PartyMemberMixin, View):
    """``/portal/member/report/<pk>/`` (the link in notifications): one's own report is shown on the report page."""

    scoped_model: ClassVar[type[models.Model]] = MemberReport

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not MemberReport.objects.filter(pk=pk, person=self.person).exists():
            raise Http404
        return redirect("portal:member_report")


# Posts and points


def year_start(today: dt.date) -> dt.date:
    return dt.date(today.year, 1, 1)


class MemberPostsView(PartyMemberMixin, View):
    """``/portal/member/posts/``: the member's service posts and what they did this year."""

    scoped_model: ClassVar[type[models.Model]] = MemberReport

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        report = my_member_report(user=request.user)
        live = report if report is not None and report.status in LIVE_REPORT_STATUSES else None
        context = self.base_context("posts")
        context.update(
            report=live,
            posts=list(live.posts.all()) if live is not None else [],
            summary=member_service_summary(person=self.person, date_from=year_start(today), date_to=today),
            date_from=year_start(today),
            date_to=today,
        )
        return render(request, "portal/frontline/posts.html", context)


def community_rank(*, person: Person, community_id: int | None, year: int) -> tuple[int, int] | None:
    """The member's rank by points earned in ``year`` among the members of their community, and how many
    members earned points there; None when they earned none. Only the two numbers leave this function."""
    if community_id is None:
        return None
    totals = (
        PointsEntry.objects.filter(community_id=community_id, at__year=year)
        .order_by()
        .values("person_id")
        .annotate(total=Sum("points"))
    )
    mine = next((row["total"] for row in totals.filter(person_id=person.pk)), None)
    if mine is None:
        return None
    return totals.filter(total__gt=mine).count() + 1, totals.count()


class MemberPointsView(PartyMemberMixin, View):
    """``/portal/member/points/``: the member's points, their rank in their community, and the ledger lines."""

    scoped_model: ClassVar[type[models.Model]] = PointsEntry

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        report = my_member_report(user=request.user)
        community_id = (
            report.community_id
            if report is not None and report.status in LIVE_REPORT_STATUSES
            else self.person.community_id
        )
        ledger = points_ledger(user=request.user, person_id=self.person.pk).select_related(*ENTRY_RELATED)
        page = Paginator(ledger, LEDGER_PER_PAGE).get_page(request.GET.get("page"))
        lines = [(entry, entry_description(entry)) for entry in page.object_list]
        year_total = (
            PointsEntry.objects.filter(person=self.person, at__gte=timezone.make_aware(dt.datetime(today.year, 1, 1)))
            .aggregate(total=Sum("points"))
            .get("total")
        )
        context = self.base_context("points")
        context.update(
            total=points_total(person=self.person),
            year_total=year_total or Decimal(0),
            year=today.year,
            rank=community_rank(person=self.person, community_id=community_id, year=today.year),
            page_obj=page,
            lines=lines,
        )
        return render(request, "portal/frontline/points.html", context)


# Campaigns


def booking_actions(booking: ShiftBooking, now: dt.datetime) -> set[str]:
    """Which buttons a sign-up shows now (the services check again on submit)."""
    actions: set[str] = set()
    campaign_open = booking.campaign.status == CampaignStatus.OPEN
    if booking.status == BookingStatus.BOOKED:
        if now < booking.starts_at:
            actions.add("cancel")
        if campaign_open and booking.starts_at - CHECKIN_EARLY <= now < booking.ends_at:
            actions.add("checkin")
    elif booking.status == BookingStatus.CHECKED_IN:
        actions.add("checkout")
    return actions


class MemberCampaignsView(PartyMemberMixin, View):
    """``/portal/member/campaigns/``: open campaigns meant for the member with their shifts and places left,
    and the member's sign-ups with check-in and check-out."""

    scoped_model: ClassVar[type[models.Model]] = Campaign

    def get(self, request: HttpRequest) -> HttpResponse:
        now = timezone.now()
        campaigns = list(open_campaigns_for(user=request.user))
        for campaign in campaigns:
            shifts = shift_list(user=request.user, campaign=campaign).filter(ends_at__gt=now)
            campaign.open_shifts = [  # type: ignore[attr-defined]
                (shift, max(shift.needed - shift.booked, 0), shift.starts_at > now) for shift in shifts
            ]
        mine = my_bookings(user=request.user)
        holding = [b for b in mine.filter(status__in=HOLDING_STATUSES, ends_at__gt=now - dt.timedelta(days=1))]
        current = [(b, booking_actions(b, now)) for b in holding if b.status != BookingStatus.CHECKED_OUT]
        done = list(mine.filter(status=BookingStatus.CHECKED_OUT)[:PAST_BOOKINGS])
        context = self.base_context("campaigns")
        context.update(campaigns=campaigns, current=sorted(current, key=lambda r: r[0].starts_at), done=done)
        return render(request, "portal/frontline/campaigns.html", context)


class ShiftSignupView(PartyMemberMixin, View):
    """POST ``/portal/member/campaigns/shifts/<pk>/signup/``: sign oneself up; a refusal is shown on the page."""

    http_method_names = ["post"]
    scoped_model: ClassVar[type[models.Model]] = Shift

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        visible = open_campaigns_for(user=request.user).values("pk")
        shift = Shift.objects.filter(pk=pk, campaign__in=visible).select_related("place", "campaign").first()
        if shift is None:
            raise Http404
        try:
            shift_signup(shift=shift, actor=request.user, request=request)
        except ApplicationError as exc:
            messages.error(request, _("Not signed up: %(reason)s") % {"reason": exc.message})
        else:
            messages.success(
                request,
                _("You are signed up for %(place)s, %(start)s. Check in there when the shift begins.")
                % {"place": shift.place.name, "start": timezone.localtime(shift.starts_at).strftime("%m-%d %H:%M")},
            )
        return redirect("portal:member_campaigns")


BOOKING_SERVICES = {"checkin": booking_checkin, "checkout": booking_checkout, "cancel": booking_cancel}


class BookingActionView(PartyMemberMixin, View):
    """POST ``/portal/member/bookings/<pk>/<checkin|checkout|cancel>/`` on one's own sign-up."""

    http_method_names = ["post"]
    scoped_model: ClassVar[type[models.Model]] = ShiftBooking
    action: str = ""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        booking = ShiftBooking.objects.filter(pk=pk, person=self.person).select_related("shift__place").first()
        if booking is None or self.action not in BOOKING_SERVICES:
            raise Http404
        try:
            done = BOOKING_SERVICES[self.action](booking=booking, actor=request.user, request=request)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            if self.action == "checkin":
                messages.success(request, _("Checked in. Thank you for serving!"))
            elif self.action == "checkout":
                messages.success(
                    request, _("Checked out: %(hours)s hours served. Thank you!") % {"hours": done.hours or 0}
                )
            else:
                messages.success(request, _("Your sign-up is cancelled."))
        return redirect("portal:member_campaigns")
