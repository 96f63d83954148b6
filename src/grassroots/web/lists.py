"""One list pattern for every app: scoped, filtered, searched, sorted, paginated, exported.

A list view names its ``model``/``scoped_model``, a ``table_class`` (django-tables2), a ``filterset_class``
(django-filter, see ``web.filters``) and ``get_scoped_queryset()`` — a selector or ``visible_to(user)``, never a
bare manager. The queryset is then narrowed by the region switcher, filtered, and ordered by the table's
``?sort=``. The same URL serves:

* the whole page, or only the results partial when htmx asks (``HX-Request``), so filters, sorting and
  pagination update in place; without JavaScript every control is a plain GET link or form;
* ``?export=xlsx``: every filtered row (all pages, in the list's order) as an Excel file, numbers masked.

Import note: the page views import this module and it imports ``web.views.base``, so it is loaded through
``grassroots.web.views`` (as the URLconf does); importing it before that package is a circular import.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.generic import FormView
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin, Table

from grassroots.accounts.roles import anchors_for
from grassroots.core.errors import ApplicationError
from grassroots.territory.models import Region
from grassroots.web import exports
from grassroots.web.exports import ExportColumn, export_xlsx
from grassroots.web.forms import apply_error
from grassroots.web.narrow import current_region, narrow
from grassroots.web.views.base import PAGE_SIZE, CapabilityRequiredMixin, Crumb

MAX_PAGE_SIZE = 200
RESULTS_ID = "list-results"


class ScopedListView(CapabilityRequiredMixin, SingleTableMixin, FilterView):
    """The base of every list page; subclasses fill in the class attributes and ``get_scoped_queryset``."""

    template_name: str
    partial_template_name = "web/partials/_list_results.html"
    title: ClassVar[str | Promise] = ""
    export_title: ClassVar[str | Promise] = ""  # the file name stem, e.g. 人员
    export_columns: ClassVar[Sequence[ExportColumn]] = ()
    create_url_name: ClassVar[str | None] = None
    create_capability: ClassVar[str | None] = None
    paginate_by = None  # the table paginates (``page_size``), not the ListView machinery
    page_size = PAGE_SIZE

    # The scoped rows, before narrowing and filtering.

    def get_scoped_queryset(self) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        return narrow(self.request, self.get_scoped_queryset())

    # Pagination: ``?per_page`` within bounds, a page out of range shows the nearest page.

    def get_per_page(self) -> int:
        try:
            per_page = int(self.request.GET.get("per_page", ""))
        except ValueError:
            return self.page_size
        return max(1, min(per_page, MAX_PAGE_SIZE))

    def get_table(self, **kwargs: Any) -> Table:
        table = self.get_table_class()(data=self.get_table_data(), **kwargs)
        RequestConfig(self.request, paginate=False).configure(table)  # ordering only
        try:
            table.paginate(per_page=self.get_per_page(), page=self.request.GET.get("page") or 1)
        except PageNotAnInteger:
            table.page = table.paginator.page(1)
        except EmptyPage:
            table.page = table.paginator.page(table.paginator.num_pages)
        return table

    # Rendering

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.GET.get("export") == "xlsx" and self.export_columns:
            return self.export(request)
        return super().get(request, *args, **kwargs)

    def get_template_names(self) -> list[str]:
        htmx = getattr(self.request, "htmx", None)
        if htmx and not htmx.boosted:
            return [self.partial_template_name]
        return [self.template_name]

    def get_breadcrumbs(self) -> list[Crumb]:
        return [(self.title, None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        table = context["table"]
        filterset = self.filterset
        # ``object_list`` and ``page_obj`` are the shown page, as in a plain ListView.
        context["page_obj"] = table.page
        context["object_list"] = [row.record for row in table.page.object_list]
        context["is_paginated"] = table.page.has_other_pages()
        context["filtered"] = filterset.active
        context["results_id"] = RESULTS_ID
        context["title"] = self.title
        context["can_export"] = bool(self.export_columns)
        context["export_limit"] = exports.EXPORT_LIMIT
        context["create_url_name"] = self.create_url_name if self.may_create() else None
        context["per_page_choices"] = (50, 100, 200)
        return context

    def may_create(self) -> bool:
        from grassroots.accounts.roles import has_capability

        return bool(self.create_capability) and has_capability(self.request.user, str(self.create_capability))

    # Export

    def export_queryset(self) -> QuerySet[Any] | None:
        """The filtered rows in the table's order, or None when the filters are invalid."""
        filterset = self.get_filterset(self.get_filterset_class())
        if filterset.is_bound and not filterset.is_valid():
            return None
        table = self.get_table_class()(data=filterset.qs)
        RequestConfig(self.request, paginate=False).configure(table)
        return table.data.data  # type: ignore[no-any-return]

    def export(self, request: HttpRequest) -> HttpResponse | HttpResponseBase:
        queryset = self.export_queryset()
        back = request.GET.copy()
        back.pop("export", None)
        back_url = f"{request.path}?{back.urlencode()}" if back else request.path
        if queryset is None:
            messages.error(request, _("Correct the filters before exporting."))
            return HttpResponseRedirect(back_url)
        count = queryset.count()
        if count > exports.EXPORT_LIMIT:
            messages.error(
                request,
                _("%(count)s rows match; an export holds at most %(limit)s. Narrow the filters and export again.")
                % {"count": count, "limit": exports.EXPORT_LIMIT},
            )
            return HttpResponseRedirect(back_url)
        return export_xlsx(
            request=request,
            queryset=queryset,
            columns=self.export_columns,
            title=self.export_title or self.title,
            scope_region=self.audit_region(),
        )

    def audit_region(self) -> Region | None:
        """Where the export's audit row belongs: the narrowed region, else the user's one anchor region."""
        region = current_region(self.request)
        if region is not None:
            return region
        anchors = {a.pk for a in anchors_for(self.request.user) if a.level != "grid"}
        if len(anchors) == 1:
            return Region.objects.filter(pk=anchors.pop()).first()
        return None


class ServiceFormView(CapabilityRequiredMixin, FormView):  # type: ignore[type-arg]
    """A create/edit page: the form parses (choices limited to the user's scope), ``save`` calls one service.

    An ``ApplicationError`` from the service becomes field errors and nothing is written (services are atomic).
    """

    template_name = "web/partials/_form_page.html"
    title: ClassVar[str | Promise] = ""
    object: Any = None

    def get_object(self) -> Any:
        return None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def save(self, form: Any) -> Any:
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            saved = self.save(form)
        except ApplicationError as exc:
            if exc.status == 403:
                raise PermissionDenied(exc.message) from exc
            apply_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(saved.get_absolute_url() if hasattr(saved, "get_absolute_url") else "/")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        context["object"] = self.object
        return context
