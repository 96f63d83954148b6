"""The member roster (confirmed members in the user's scope, exported to Excel without personal numbers) and the
unit admin's pages: my unit's members with whether each has reported, and the unit's feedback report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet, prefetch_related_objects
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views import View

import grassroots.web.views  # noqa: F401  # loads web.lists' dependencies first (see web/lists.py)
from grassroots.core.errors import ApplicationError
from grassroots.frontline.feedback import feedback_report, unit_feedback_pdf, unit_feedback_xlsx
from grassroots.frontline.forms import FeedbackForm
from grassroots.frontline.forms.filters import MemberRosterFilter
from grassroots.frontline.forms.reporting import unit_admin_units
from grassroots.frontline.models import MemberReport
from grassroots.frontline.selectors import reporting as selectors
from grassroots.frontline.tables import ROSTER_EXPORT_COLUMNS, RosterTable
from grassroots.frontline.views.common import FrontlineMixin
from grassroots.imports.services import import_kinds_for
from grassroots.organizations.models import Organization
from grassroots.web.exports import XLSX
from grassroots.web.lists import ScopedListView
from grassroots.web.views.base import PAGE_SIZE, Crumb

MEMBER_STATUSES = (
    ("reported", _("Reported")),
    ("pending", _("Awaiting confirmation")),
    ("not_reported", _("Not reported")),
)
ROSTER_IMPORT_KIND = "member_roster"


class MemberRosterView(FrontlineMixin, ScopedListView):
    """Confirmed members of the user's communities: where they reported, their unit, posts, skills, points."""

    model = MemberReport
    scoped_model = MemberReport
    table_class = RosterTable
    filterset_class = MemberRosterFilter
    template_name = "frontline/roster.html"
    title = _("Member roster")
    export_title = _("Reported party members")
    export_columns = ROSTER_EXPORT_COLUMNS

    def get_scoped_queryset(self) -> QuerySet[MemberReport]:
        return selectors.member_roster(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if context["filtered"]:
            context["empty_message"] = _("No confirmed member matches these filters.")
        else:
            context["empty_message"] = _(
                "No member has been confirmed yet. Confirmed member reports from the reporting inbox are listed here."
            )
        return context


def _units(request: HttpRequest) -> list[Organization]:
    return list(unit_admin_units(request.user))


def _chosen_unit(request: HttpRequest, units: list[Organization]) -> Organization | None:
    raw = request.GET.get("unit", "")
    chosen = next((u for u in units if raw.isdigit() and u.pk == int(raw)), None)
    return chosen or (units[0] if units else None)


class UnitMembersView(FrontlineMixin, View):
    """The unit admin's in-service members with 已报到 / 待确认 / 未报到, filtered by status and name."""

    model = MemberReport
    scoped_model = MemberReport
    unit_admin_only = True

    def get(self, request: HttpRequest) -> HttpResponse:
        units = _units(request)
        unit = _chosen_unit(request, units)
        rows = selectors.unit_members(user=request.user, unit_id=unit.pk) if unit is not None else []
        counts = {key: sum(1 for r in rows if r.status == key) for key, _label in MEMBER_STATUSES}
        status = request.GET.get("status", "")
        q = request.GET.get("q", "").strip()[:50]
        shown = [r for r in rows if (not status or r.status == status) and (not q or q in r.person.name)]
        page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
        prefetch_related_objects([row.report for row in page.object_list if row.report is not None], "posts")
        reports = (
            selectors.unit_report_list(user=request.user).filter(unit=unit).order_by("-submitted_at")
            if unit is not None
            else []
        )
        import_url = None
        if ROSTER_IMPORT_KIND in import_kinds_for(request.user):
            import_url = f"{reverse('imports:job_create')}?kind={ROSTER_IMPORT_KIND}"
        context = {
            "title": _("My unit's members"),
            "units": units,
            "unit": unit,
            "statuses": [(key, label, counts[key]) for key, label in MEMBER_STATUSES],
            "status": status,
            "q": q,
            "total": len(rows),
            "page_obj": page,
            "filtered": bool(status or q),
            "unit_reports": reports,
            "import_url": import_url,
            "breadcrumbs": [(_("My unit's members"), None)],
        }
        return render(request, "frontline/unit_members.html", context)


def _default_period() -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    return dt.date(today.year, 1, 1), today


class UnitFeedbackView(FrontlineMixin, View):
    """The unit admin picks a period, previews the feedback report on its members' reporting and service, and
    downloads it as Excel or PDF (``?download=1``; the download is audited by ``frontline.feedback``)."""

    model = MemberReport
    scoped_model = MemberReport
    unit_admin_only = True

    def get(self, request: HttpRequest) -> HttpResponseBase:
        if "date_from" in request.GET:
            form = FeedbackForm(request.GET, user=request.user)
        else:
            start, end = _default_period()
            form = FeedbackForm(
                user=request.user,
                initial={
                    "date_from": start,
                    "date_to": end,
                    "format": "xlsx",
                    "unit": unit_admin_units(request.user).first(),
                },
            )
        preview = None
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            if request.GET.get("download"):
                return self.download(request, data["unit"], data["date_from"], data["date_to"], data["format"])
            preview = feedback_report(unit=data["unit"], date_from=data["date_from"], date_to=data["date_to"])
        crumbs: list[Crumb] = [
            (_("My unit's members"), reverse("frontline:unit_members")),
            (_("Feedback report"), None),
        ]
        return render(
            request,
            "frontline/unit_feedback.html",
            {"form": form, "preview": preview, "title": _("Feedback report"), "breadcrumbs": crumbs},
            status=400 if form.is_bound and not form.is_valid() else 200,
        )

    def download(
        self, request: HttpRequest, unit: Organization, start: dt.date, end: dt.date, kind: str
    ) -> HttpResponseBase:
        try:
            if kind == "pdf":
                content = unit_feedback_pdf(
                    unit=unit, date_from=start, date_to=end, actor=request.user, request=request
                )
                content_type = "application/pdf"
            else:
                content = unit_feedback_xlsx(
                    unit=unit, date_from=start, date_to=end, actor=request.user, request=request
                )
                content_type = XLSX
        except ApplicationError as exc:
            if exc.status == 403:
                raise PermissionDenied(exc.message) from exc
            raise
        filename = f"{unit.name}_{_('Feedback report')}_{start:%Y%m%d}-{end:%Y%m%d}.{kind}"
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
