"""Work-report pages: the list, the request form, the report (progress while it is generated, then its
sections and downloads), the prose form and the downloads. Every report is fetched through the user's scope, so
another region's report is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from grassroots.accounts.enums import Capability
from grassroots.cockpit.models import ReportKind, WorkReport
from grassroots.cockpit.reports.build import add_months
from grassroots.cockpit.reports.forms import (
    ReportFilterForm,
    ReportProseForm,
    ReportRequestForm,
    quarter_code,
    quarter_start,
)
from grassroots.cockpit.reports.pdf import render_tables
from grassroots.cockpit.reports.sections import report_sections
from grassroots.cockpit.reports.selectors import report_get, report_list, report_regions
from grassroots.cockpit.reports.services import report_cancel, report_prose_edit, report_request
from grassroots.cockpit.reports.tasks import report_generate_task
from grassroots.cockpit.rules import can_manage_reports
from grassroots.core.audit import audit_record
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditAction
from grassroots.web.forms import apply_error
from grassroots.web.views.base import PAGE_SIZE, CapabilityRequiredMixin, Crumb

FORMATS = {
    "pdf": ("pdf", "application/pdf"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def _report_or_404(request: HttpRequest, pk: int) -> WorkReport:
    try:
        return report_get(user=request.user, pk=pk)
    except WorkReport.DoesNotExist:
        raise Http404 from None


def _crumbs(*more: Crumb) -> list[Crumb]:
    return [(_("Cockpit"), reverse("cockpit:dashboard")), (_("Work reports"), reverse("cockpit:report_list")), *more]


class _ReportMixin(CapabilityRequiredMixin):
    capability = Capability.VIEW_KPIS
    scoped_model = WorkReport


class ReportListView(_ReportMixin, ListView):
    model = WorkReport
    paginate_by = PAGE_SIZE
    template_name = "cockpit/reports/report_list.html"
    context_object_name = "reports"

    def get_queryset(self) -> QuerySet[WorkReport]:
        self.filter_form = ReportFilterForm(self.request.GET or None, user=self.request.user)
        data = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        region = data.get("region")
        return report_list(
            user=self.request.user,
            region_id=region.pk if region else None,
            kind=data.get("kind") or None,
            status=data.get("status") or None,
        )

    def get_breadcrumbs(self) -> list[Crumb]:
        return [(_("Cockpit"), reverse("cockpit:dashboard")), (_("Work reports"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        context["can_request"] = report_regions(user=self.request.user).exists()
        return context


class ReportCreateView(_ReportMixin, FormView):
    form_class = ReportRequestForm
    template_name = "cockpit/reports/report_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and not report_regions(user=request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        today = timezone.localdate()
        last_month = add_months(today.replace(day=1), -1)
        regions = report_regions(user=self.request.user)
        return {
            "kind": ReportKind.MONTHLY,
            "month": f"{last_month:%Y-%m}",
            "quarter": quarter_code(add_months(quarter_start(today), -3)),
            "region": self.request.GET.get("region") or (regions.first().pk if regions.exists() else None),  # type: ignore[union-attr]
        }

    def get_breadcrumbs(self) -> list[Crumb]:
        return _crumbs((_("New work report"), None))

    def form_valid(self, form: ReportRequestForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            report = report_request(
                actor=self.request.user,
                region=data["region"],
                kind=data["kind"],
                period_start=data["period_start"],
                language=get_language() or "zh-hans",
            )
        except ApplicationError as exc:
            if exc.code == "report_busy":
                existing = WorkReport.objects.get(
                    region=data["region"], kind=data["kind"], period_start=data["period_start"]
                )
                messages.info(self.request, exc.message)
                return HttpResponseRedirect(existing.get_absolute_url())
            apply_error(form, exc)
            return self.form_invalid(form)
        report_generate_task(report.pk)
        return HttpResponseRedirect(report.get_absolute_url())


class ReportDetailView(_ReportMixin, DetailView):
    """The report: its progress while queued or running, then its sections, prose and downloads."""

    model = WorkReport
    template_name = "cockpit/reports/report_detail.html"
    context_object_name = "report"

    def get_object(self, queryset: QuerySet[WorkReport] | None = None) -> WorkReport:
        return _report_or_404(self.request, self.kwargs["pk"])

    def get_breadcrumbs(self) -> list[Crumb]:
        return _crumbs((str(self.object), None))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        report: WorkReport = self.object
        context["can_edit"] = can_manage_reports(self.request.user, report.region)
        context["sections"] = None
        if report.figures and not getattr(self.request, "htmx", False):
            with translation.override(report.language):
                sections = report_sections(report)
                context["sections"] = sections
                context["tables"] = render_tables(sections)
        return context


class ReportProgressView(ReportDetailView):
    """The progress partial for htmx polling (every 2 s); without htmx, the whole report page."""

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False):
            return ["cockpit/reports/_progress.html"]
        return [self.template_name]

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **kwargs)
        if getattr(self.request, "htmx", False) and not self.object.active:
            response["HX-Refresh"] = "true"  # finished: reload to show the sections and the downloads
        return response


class ReportDownloadView(_ReportMixin, View):
    http_method_names = ["get"]

    def get(self, request: HttpRequest, pk: int, fmt: str) -> FileResponse:
        report = _report_or_404(request, pk)
        if fmt not in FORMATS:
            raise Http404(fmt)
        suffix, content_type = FORMATS[fmt]
        file = report.pdf if fmt == "pdf" else report.xlsx
        if not file or not file.name or not file.storage.exists(file.name):
            raise Http404
        audit_record(
            actor=request.user,
            action=AuditAction.EXPORT,
            target=report,
            changes={"format": fmt},
            detail=f"work report ({fmt})",
            request=request,
        )
        name = f"{str(report).replace('/', '-')}.{suffix}"
        return FileResponse(file.open("rb"), as_attachment=True, filename=name, content_type=content_type)


class ReportProseView(_ReportMixin, FormView):
    """The staff's prose (主要做法, 存在问题, 下一步打算); saving renders the files again in the background."""

    form_class = ReportProseForm
    template_name = "cockpit/reports/report_prose.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.report = _report_or_404(request, kwargs["pk"])
            if not can_manage_reports(request.user, self.report.region):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return self.report.prose()

    def get_breadcrumbs(self) -> list[Crumb]:
        return _crumbs((str(self.report), self.report.get_absolute_url()), (_("Edit the text"), None))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["report"] = self.report
        return context

    def form_valid(self, form: ReportProseForm) -> HttpResponse:
        try:
            report = report_prose_edit(actor=self.request.user, report=self.report, **form.cleaned_data)
        except ApplicationError as exc:
            apply_error(form, exc)
            return self.form_invalid(form)
        report_generate_task(report.pk)
        messages.success(self.request, _("Saved. The files are being generated again."))
        return HttpResponseRedirect(report.get_absolute_url())


class ReportCancelView(_ReportMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = _report_or_404(request, pk)
        try:
            report_cancel(actor=request.user, report=report)
        except ApplicationError as exc:
            if exc.status == 403:
                raise PermissionDenied from None
            messages.error(request, exc.message)
        return HttpResponseRedirect(report.get_absolute_url())


__all__ = [
    "ReportCancelView",
    "ReportCreateView",
    "ReportDetailView",
    "ReportDownloadView",
    "ReportListView",
    "ReportProgressView",
    "ReportProseView",
]
