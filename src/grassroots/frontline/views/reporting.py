"""The reporting inbox: member and unit reports awaiting the community's confirmation, each confirmed or returned
with a note, and member reports confirmed in bulk (all of them or none). Also the member report page.

Every decision goes through the reporting services; a report outside the user's scope is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import TemplateView

from grassroots.catalogue.models import ServiceCategory
from grassroots.core.errors import ApplicationError
from grassroots.frontline.enums import ReportStatus
from grassroots.frontline.forms import BulkConfirmForm, ConfirmForm, ReturnForm
from grassroots.frontline.models import MemberReport, UnitReport
from grassroots.frontline.rules import reporting as rules
from grassroots.frontline.selectors import reporting as selectors
from grassroots.frontline.services.reporting import (
    member_report_decide,
    member_report_withdraw,
    unit_report_decide,
    unit_report_withdraw,
)
from grassroots.frontline.views.common import FrontlineMixin, safe_next
from grassroots.web.narrow import narrow
from grassroots.web.views.base import PAGE_SIZE, Crumb

TABS = (
    ("members", gettext_lazy("Member reports")),
    ("units", gettext_lazy("Unit reports")),
)
INBOX = "frontline:inbox"


def member_report_or_404(request: HttpRequest, pk: int) -> MemberReport:
    try:
        return selectors.member_report_get(user=request.user, pk=pk)
    except MemberReport.DoesNotExist as exc:
        raise Http404 from exc


def unit_report_or_404(request: HttpRequest, pk: int) -> UnitReport:
    try:
        return selectors.unit_report_get(user=request.user, pk=pk)
    except UnitReport.DoesNotExist as exc:
        raise Http404 from exc


def _errors_text(form: Any) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


class InboxView(FrontlineMixin, TemplateView):
    """Reports to the user's communities awaiting confirmation, by tab; htmx swaps only the results."""

    model = MemberReport
    scoped_model = MemberReport
    template_name = "frontline/inbox.html"
    partial_template_name = "frontline/partials/_inbox_results.html"

    def get_template_names(self) -> list[str]:
        htmx = getattr(self.request, "htmx", None)
        return [self.partial_template_name] if htmx and not htmx.boosted else [self.template_name]

    def get_breadcrumbs(self) -> list[Crumb]:
        return [(gettext_lazy("Reporting inbox"), None)]

    def _post(self) -> ServiceCategory | None:
        raw = self.request.GET.get("post", "")
        return ServiceCategory.objects.filter(pk=int(raw)).first() if raw.isdigit() else None

    def member_rows(self, q: str, post: ServiceCategory | None) -> QuerySet[MemberReport]:
        rows = selectors.member_report_list(
            user=self.request.user, status=ReportStatus.PENDING, q=q or None, post=post.pk if post else None
        )
        return narrow(self.request, rows).select_related("person", "home_unit", "region").order_by("submitted_at", "pk")

    def unit_rows(self, q: str) -> QuerySet[UnitReport]:
        rows = selectors.unit_report_list(user=self.request.user, status=ReportStatus.PENDING, q=q or None)
        return narrow(self.request, rows).select_related("unit", "region").order_by("submitted_at", "pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        tab = self.request.GET.get("tab", "members")
        if tab not in dict(TABS):
            tab = "members"
        q = self.request.GET.get("q", "").strip()[:50]
        post = self._post()
        members = self.member_rows(q, post)
        units = self.unit_rows(q)
        rows: QuerySet[MemberReport] | QuerySet[UnitReport] = members if tab == "members" else units
        page = Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("page"))
        user = self.request.user
        context.update(
            title=gettext_lazy("Reporting inbox"),
            tabs=[("members", TABS[0][1], members.count()), ("units", TABS[1][1], units.count())],
            tab=tab,
            q=q,
            post=post,
            posts=ServiceCategory.objects.filter(is_active=True).order_by("order", "code"),
            page_obj=page,
            rows=[(report, "confirm" in self._actions(user, report)) for report in page.object_list],
            back=self.request.get_full_path(),
            filtered=bool(q or post),
        )
        return context

    @staticmethod
    def _actions(user: Any, report: Any) -> set[str]:
        if isinstance(report, MemberReport):
            return rules.member_report_actions(user, report)
        return rules.unit_report_actions(user, report)


class MemberReportDetailView(FrontlineMixin, View):
    """One member's report: who, where, posts, skills, the decision; confirm, return or end it here."""

    model = MemberReport
    scoped_model = MemberReport
    allow_unit_admin = True

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = member_report_or_404(request, pk)
        actions = rules.member_report_actions(request.user, report)
        crumbs: list[Crumb] = [(gettext_lazy("Reporting inbox"), reverse(INBOX))] if "confirm" in actions else []
        crumbs.append((str(report.person), None))
        context = {
            "report": report,
            "actions": actions,
            "posts": list(report.posts.all()),
            "points": list(report.points_entries.all().order_by("at", "pk")),
            "back": request.get_full_path(),
            "breadcrumbs": crumbs,
        }
        return render(request, "frontline/member_report_detail.html", context)


class _DecisionView(FrontlineMixin, View):
    """POST only: confirm, return or withdraw one report through its service, then go back (``next``)."""

    http_method_names = ["post"]
    action: str = ""

    def fetch(self, request: HttpRequest, pk: int) -> Any:
        raise NotImplementedError

    def run(self, request: HttpRequest, report: Any, note: str) -> Any:
        raise NotImplementedError

    def done_message(self, report: Any) -> str:
        raise NotImplementedError

    def default_next(self, report: Any) -> str:
        return reverse(INBOX)

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        report = self.fetch(request, pk)
        back = safe_next(request, self.default_next(report))
        form: ConfirmForm | ReturnForm = (ReturnForm if self.action == "return" else ConfirmForm)(request.POST)
        if not form.is_valid():
            messages.error(request, _("Nothing was changed: %(errors)s") % {"errors": _errors_text(form)})
            return HttpResponseRedirect(back)
        try:
            report = self.run(request, report, form.cleaned_data.get("note") or "")
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(back)
        messages.success(request, self.done_message(report))
        return HttpResponseRedirect(back)


class MemberReportDecisionView(_DecisionView):
    model = MemberReport
    scoped_model = MemberReport

    def fetch(self, request: HttpRequest, pk: int) -> MemberReport:
        return member_report_or_404(request, pk)

    def run(self, request: HttpRequest, report: MemberReport, note: str) -> MemberReport:
        if self.action == "withdraw":
            return member_report_withdraw(report=report, actor=request.user, request=request)
        return member_report_decide(
            report=report, actor=request.user, confirm=self.action == "confirm", note=note, request=request
        )

    def done_message(self, report: MemberReport) -> str:
        names = {"person": report.person, "region": report.region}
        if self.action == "confirm":
            return _("The report of %(person)s to %(region)s is confirmed.") % names
        if self.action == "return":
            return _("The report of %(person)s was returned with your note.") % names
        return _("The report of %(person)s to %(region)s has ended.") % names


class UnitReportDecisionView(_DecisionView):
    model = UnitReport
    scoped_model = UnitReport
    allow_unit_admin = True  # withdrawing is the unit admin's

    def fetch(self, request: HttpRequest, pk: int) -> UnitReport:
        return unit_report_or_404(request, pk)

    def default_next(self, report: UnitReport) -> str:
        return reverse("frontline:unit_report_detail", args=[report.pk])

    def run(self, request: HttpRequest, report: UnitReport, note: str) -> UnitReport:
        if self.action == "withdraw":
            return unit_report_withdraw(report=report, actor=request.user, request=request)
        return unit_report_decide(
            report=report, actor=request.user, accept=self.action == "confirm", note=note, request=request
        )

    def done_message(self, report: UnitReport) -> str:
        names = {"unit": report.unit, "region": report.region}
        if self.action == "confirm":
            return _("The report of %(unit)s to %(region)s is confirmed.") % names
        if self.action == "return":
            return _("The report of %(unit)s was returned with your note.") % names
        return _("The report of %(unit)s to %(region)s was withdrawn.") % names


class _BulkRefused(Exception):
    def __init__(self, report: MemberReport | None, message: str) -> None:
        super().__init__(message)
        self.report = report
        self.message = message


class MemberReportBulkConfirmView(FrontlineMixin, View):
    """Confirm the ticked member reports in one transaction: each through the service; if one is refused, none
    is confirmed and the message names it."""

    http_method_names = ["post"]
    model = MemberReport
    scoped_model = MemberReport

    def post(self, request: HttpRequest) -> HttpResponseBase:
        back = safe_next(request, reverse(INBOX))
        form = BulkConfirmForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Nothing was confirmed: %(errors)s") % {"errors": _errors_text(form)})
            return HttpResponseRedirect(back)
        ids: list[int] = form.cleaned_data["ids"]
        note = form.cleaned_data.get("note") or ""
        try:
            with transaction.atomic():
                visible = {
                    r.pk: r
                    for r in selectors.member_report_list(user=request.user)
                    .filter(pk__in=ids)
                    .select_related("person", "region")
                }
                for pk in ids:
                    report = visible.get(pk)
                    if report is None:
                        raise _BulkRefused(
                            None, _("One of the ticked reports is not in your area or no longer exists.")
                        )
                    try:
                        member_report_decide(
                            report=report, actor=request.user, confirm=True, note=note, request=request
                        )
                    except ApplicationError as exc:
                        raise _BulkRefused(report, exc.message) from exc
        except _BulkRefused as refused:
            if refused.report is not None:
                text = _("Nothing was confirmed: the report of %(person)s was refused (%(reason)s).") % {
                    "person": refused.report.person,
                    "reason": refused.message,
                }
            else:
                text = _("Nothing was confirmed: %(reason)s") % {"reason": refused.message}
            messages.error(request, text)
            return HttpResponseRedirect(back)
        messages.success(
            request,
            ngettext("%(count)d member report confirmed.", "%(count)d member reports confirmed.", len(ids))
            % {"count": len(ids)},
        )
        return HttpResponseRedirect(back)
