"""A unit's report to a community: its page (agreement, commitments with the year's progress, resources,
projects), the unit admin's report form, and the project forms (the unit admin or the community's staff)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from grassroots.core.errors import ApplicationError
from grassroots.frontline.enums import ProjectStatus
from grassroots.frontline.forms import (
    CommitmentFormSet,
    ConfirmForm,
    ProjectAddForm,
    ProjectUpdateForm,
    ResourceFormSet,
    ReturnForm,
    UnitReportForm,
)
from grassroots.frontline.models import UnitProject, UnitReport
from grassroots.frontline.rules import reporting as rules
from grassroots.frontline.selectors import reporting as selectors
from grassroots.frontline.services.reporting import (
    CommitmentInput,
    ResourceInput,
    unit_project_add,
    unit_project_update,
    unit_report_submit,
)
from grassroots.frontline.views.common import FrontlineMixin, can_view_frontline, current_year, form_error
from grassroots.frontline.views.reporting import INBOX, unit_report_or_404
from grassroots.web.views.base import Crumb


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    this = current_year()
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= this + 1 else this


def render_unit_report(
    request: HttpRequest,
    report: UnitReport,
    *,
    add_form: ProjectAddForm | None = None,
    failed_update: tuple[int, ProjectUpdateForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    year = _year(request)
    actions = rules.unit_report_actions(user, report)
    projects = list(report.projects.select_related("commitment").order_by("status", "-done_on", "id"))
    update_forms = []
    for project in projects:
        if failed_update is not None and failed_update[0] == project.pk:
            form = failed_update[1]
        else:
            form = ProjectUpdateForm(
                prefix=f"p{project.pk}",
                initial={
                    "status": ProjectStatus.DONE if project.status != ProjectStatus.DONE else project.status,
                    "done_on": project.done_on,
                    "residents_served": project.residents_served,
                },
            )
        update_forms.append((project, form))
    crumbs: list[Crumb] = []
    if can_view_frontline(user):
        crumbs.append((gettext_lazy("Reporting inbox"), f"{reverse(INBOX)}?tab=units"))
    crumbs.append((str(report), None))
    context = {
        "report": report,
        "year": year,
        "years": list(range(current_year(), current_year() - 5, -1)),
        "progress": selectors.commitment_progress(report=report, year=year),
        "resources": list(report.resources.all()),
        "projects": update_forms,
        "actions": actions,
        "add_form": add_form or ProjectAddForm(report=report, prefix="add"),
        "confirm_form": ConfirmForm(),
        "return_form": ReturnForm(),
        "back": request.get_full_path(),
        "breadcrumbs": crumbs,
        "title": str(report),
    }
    return render(request, "frontline/unit_report_detail.html", context, status=status)


class UnitReportDetailView(FrontlineMixin, View):
    """Staff of the community reported to, and the unit's admin; anyone else gets a 404."""

    model = UnitReport
    scoped_model = UnitReport
    allow_unit_admin = True

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render_unit_report(request, unit_report_or_404(request, pk))


class UnitReportCreateView(FrontlineMixin, View):
    """The unit admin reports their unit to a community: the agreement, commitments and resources."""

    model = UnitReport
    scoped_model = UnitReport
    unit_admin_only = True
    template_name = "frontline/unit_report_form.html"

    def forms(self, request: HttpRequest) -> tuple[UnitReportForm, Any, Any]:
        data = request.POST if request.method == "POST" else None
        return (
            UnitReportForm(data, user=request.user),
            CommitmentFormSet(data, prefix="commitments"),
            ResourceFormSet(data, prefix="resources"),
        )

    def render_form(self, request: HttpRequest, forms_: tuple[Any, Any, Any], status: int = 200) -> HttpResponse:
        form, commitments, resources = forms_
        title = gettext_lazy("Report the unit to a community")
        context = {
            "form": form,
            "commitments": commitments,
            "resources": resources,
            "title": title,
            "breadcrumbs": [(gettext_lazy("My unit's members"), reverse("frontline:unit_members")), (title, None)],
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_form(request, self.forms(request))

    def post(self, request: HttpRequest) -> HttpResponseBase:
        form, commitments, resources = bundle = self.forms(request)
        valid = form.is_valid() & commitments.is_valid() & resources.is_valid()
        commitment_rows = [
            CommitmentInput(text=f.cleaned_data["text"], yearly_target=f.cleaned_data.get("yearly_target") or 1)
            for f in commitments.forms
            if valid and f.cleaned_data.get("text")
        ]
        resource_rows = [
            ResourceInput(
                kind=f.cleaned_data["kind"],
                description=f.cleaned_data["description"],
                quantity=f.cleaned_data.get("quantity") or "",
            )
            for f in resources.forms
            if valid and f.cleaned_data.get("description")
        ]
        if valid and not commitment_rows:
            form.add_error(None, _("Name at least one commitment."))
            valid = False
        if not valid:
            return self.render_form(request, bundle, status=400)
        data = form.cleaned_data
        try:
            report = unit_report_submit(
                actor=request.user,
                unit=data["unit"],
                community=data["community"],
                agreement_title=data["agreement_title"],
                agreement_start=data["agreement_start"],
                agreement_end=data["agreement_end"],
                commitments=commitment_rows,
                resources=resource_rows,
                contact_name=data.get("contact_name") or "",
                request=request,
            )
        except ApplicationError as exc:
            form_error(form, exc)
            return self.render_form(request, bundle, status=400)
        messages.success(
            request,
            _("%(unit)s has reported to %(community)s; the community will confirm.")
            % {"unit": report.unit, "community": report.region},
        )
        return HttpResponseRedirect(reverse("frontline:unit_report_detail", args=[report.pk]))


class UnitProjectAddView(FrontlineMixin, View):
    """POST: a project of a confirmed report (the unit's admin or the community's staff)."""

    http_method_names = ["post"]
    model = UnitReport
    scoped_model = UnitReport
    allow_unit_admin = True

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        report = unit_report_or_404(request, pk)
        form = ProjectAddForm(request.POST, report=report, prefix="add")
        if form.is_valid():
            data = form.cleaned_data
            try:
                project = unit_project_add(
                    report=report,
                    actor=request.user,
                    title=data["title"],
                    commitment=data.get("commitment"),
                    description=data.get("description") or "",
                    started_on=data.get("started_on"),
                    request=request,
                )
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Project %(title)s added.") % {"title": project.title})
                return HttpResponseRedirect(reverse("frontline:unit_report_detail", args=[report.pk]))
        messages.error(request, _("Nothing was changed. Please correct the errors below."))
        return render_unit_report(request, report, add_form=form, status=400)


class UnitProjectUpdateView(FrontlineMixin, View):
    """POST: move a project on or mark it done (with the date and the residents served)."""

    http_method_names = ["post"]
    model = UnitProject
    scoped_model = UnitReport
    allow_unit_admin = True

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        project = UnitProject.objects.filter(pk=pk).only("pk", "report_id").first()
        if project is None:
            raise Http404
        report = unit_report_or_404(request, project.report_id)
        project = report.projects.get(pk=pk)
        form = ProjectUpdateForm(request.POST, prefix=f"p{project.pk}")
        if form.is_valid():
            data = form.cleaned_data
            try:
                project = unit_project_update(
                    project=project,
                    actor=request.user,
                    status=data["status"],
                    done_on=data.get("done_on"),
                    residents_served=data.get("residents_served") or 0,
                    request=request,
                )
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Project %(title)s is now %(status)s.")
                    % {"title": project.title, "status": project.get_status_display()},
                )
                return HttpResponseRedirect(reverse("frontline:unit_report_detail", args=[report.pk]))
        messages.error(request, _("Nothing was changed. Please correct the errors below."))
        return render_unit_report(request, report, failed_update=(project.pk, form), status=400)
