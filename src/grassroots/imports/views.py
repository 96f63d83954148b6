"""Import pages: the job list, upload, the job page (progress and row preview), commit and templates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from grassroots.accounts.enums import Capability
from grassroots.accounts.roles import has_capability
from grassroots.core.errors import ApplicationError
from grassroots.core.scope import scope_q
from grassroots.imports.forms import ImportUploadForm
from grassroots.imports.importers import IMPORTERS
from grassroots.imports.models import ImportJob, ImportKind, RowOutcome
from grassroots.imports.services import (
    import_commit_request,
    import_job_create,
    import_job_progress,
    import_kinds_for,
)
from grassroots.imports.tasks import import_commit_task, import_validate_task
from grassroots.web.views.base import PAGE_SIZE, CapabilityRequiredMixin, Crumb

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS_PER_PAGE = 100


def _jobs_for(user: Any) -> QuerySet[ImportJob]:
    """Jobs in the user's scope, and the user's own uploads (a unit admin's roster has no region of theirs)."""
    return ImportJob.objects.filter(scope_q(ImportJob, user) | Q(actor_id=user.pk))


def _job_get(request: HttpRequest, pk: int) -> ImportJob:
    """A job the user may see (404 otherwise, so another community's jobs do not show they exist)."""
    return get_object_or_404(_jobs_for(request.user).select_related("actor"), pk=pk)


class _ImportAccessMixin(CapabilityRequiredMixin):
    """People viewers see the jobs in their scope; anyone who may import some kind sees their own jobs."""

    capability = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if (
            request.user.is_authenticated
            and not has_capability(request.user, Capability.VIEW_PEOPLE)
            and not import_kinds_for(request.user)
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ImportJobListView(_ImportAccessMixin, ListView):
    model = ImportJob
    scoped_model = ImportJob
    paginate_by = PAGE_SIZE
    template_name = "imports/job_list.html"

    def get_queryset(self) -> QuerySet[ImportJob]:
        return _jobs_for(self.request.user).select_related("actor").defer("outcomes")

    def get_breadcrumbs(self) -> list[Crumb]:
        return [(_("Excel import"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        kinds = import_kinds_for(self.request.user)
        context["can_import"] = bool(kinds)
        context["templates"] = [(k, label) for k, label in ImportKind.choices if k in kinds]
        return context


class ImportJobCreateView(CapabilityRequiredMixin, FormView):
    model = ImportJob
    scoped_model = ImportJob
    form_class = ImportUploadForm
    template_name = "imports/job_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not import_kinds_for(request.user):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["kinds"] = import_kinds_for(self.request.user)
        if "kind" in self.request.GET and not self.request.POST:
            kwargs["initial"] = {"kind": self.request.GET["kind"]}
        return kwargs

    def get_breadcrumbs(self) -> list[Crumb]:
        return [(_("Excel import"), reverse("imports:job_list")), (_("New import"), None)]

    def form_valid(self, form: ImportUploadForm) -> HttpResponse:
        try:
            job = import_job_create(
                actor=self.request.user,
                kind=form.cleaned_data["kind"],
                file=form.cleaned_data["file"],
                language=get_language() or "zh-hans",
            )
        except ApplicationError as exc:
            for field, errors in (exc.fields or {"file": [exc.message]}).items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            return self.form_invalid(form)
        import_validate_task(job.pk)
        return HttpResponseRedirect(job.get_absolute_url())


class ImportJobDetailView(_ImportAccessMixin, DetailView):
    """The job's progress while it runs, then every row's result (errors only with ``?errors=1``)."""

    model = ImportJob
    scoped_model = ImportJob
    template_name = "imports/job_detail.html"
    context_object_name = "job"

    def get_object(self, queryset: QuerySet[ImportJob] | None = None) -> ImportJob:
        return _job_get(self.request, self.kwargs["pk"])

    def get_breadcrumbs(self) -> list[Crumb]:
        return [(_("Excel import"), reverse("imports:job_list")), (str(self.object), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        job: ImportJob = self.object
        context["rows_done"] = import_job_progress(job)
        context["percent"] = int(100 * context["rows_done"] / job.rows_total) if job.rows_total else 0
        context["can_commit"] = (
            job.status == "validated" and not job.count_error and job.kind in import_kinds_for(self.request.user)
        )
        context["rows"] = None
        if not job.running and job.outcomes:
            context.update(self._rows(job))
        return context

    def _rows(self, job: ImportJob) -> dict[str, Any]:
        errors_only = self.request.GET.get("errors") == "1"
        labels: dict[str, str] = {value: str(label) for value, label in RowOutcome.choices}
        page_number = self.request.GET.get("page") or 1
        page: Page[Any]
        rows: list[tuple[int, str, str, str]]
        if errors_only:
            page = Paginator(job.errors.order_by("row").values_list("row", "message"), ROWS_PER_PAGE).get_page(
                page_number
            )
            rows = [(row, RowOutcome.ERROR.value, labels[RowOutcome.ERROR], message) for row, message in page]
        else:
            numbered = [i for i, c in enumerate(job.outcomes) if c != "-"]
            page = Paginator(numbered, ROWS_PER_PAGE).get_page(page_number)
            numbers = [int(i) + 2 for i in page]
            messages_by_row = dict(job.errors.filter(row__in=numbers).values_list("row", "message"))
            rows = [
                (n, job.outcomes[n - 2], labels.get(job.outcomes[n - 2], ""), messages_by_row.get(n, ""))
                for n in numbers
            ]
        return {"page_obj": page, "rows": rows, "errors_only": errors_only}


class ImportJobProgressView(ImportJobDetailView):
    """The progress partial for htmx polling; without htmx, the whole job page."""

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False):
            return ["imports/partials/_progress.html"]
        return [self.template_name]

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **kwargs)
        if getattr(self.request, "htmx", False) and not self.object.running:
            response["HX-Refresh"] = "true"  # finished: reload the page to show the rows
        return response


class ImportJobCommitView(CapabilityRequiredMixin, View):
    model = ImportJob
    scoped_model = ImportJob
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = _job_get(request, pk)
        try:
            import_commit_request(actor=request.user, job=job)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(job.get_absolute_url())
        import_commit_task(job.pk)
        return HttpResponseRedirect(job.get_absolute_url())


class ImportTemplateView(CapabilityRequiredMixin, View):
    """The empty workbook of one kind (no data of anyone: the kind's columns and a sample row)."""

    scoped_model = ImportJob
    http_method_names = ["get"]

    def get(self, request: HttpRequest, kind: str) -> HttpResponse:
        if kind not in IMPORTERS or kind not in import_kinds_for(request.user):
            raise Http404(kind)
        response = HttpResponse(IMPORTERS[kind].template(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="import-{kind}.xlsx"'
        return response
