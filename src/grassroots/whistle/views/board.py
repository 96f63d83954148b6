"""The whistle board (street and community staff) and "my whistles" (department staff): scoped, filtered,
paginated lists refreshed by htmx and exported to Excel."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db.models import Case as Choose
from django.db.models import Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import grassroots.web.views  # noqa: F401  # loads web.lists' dependencies first (see web/lists.py)
from grassroots.accounts.enums import Capability
from grassroots.accounts.roles import has_capability
from grassroots.web.exports import ExportColumn, display
from grassroots.web.lists import ScopedListView
from grassroots.web.narrow import narrow
from grassroots.whistle import selectors
from grassroots.whistle.enums import AWAITING_FEEDBACK, AWAITING_REPORT, WhistleStatus
from grassroots.whistle.forms import CallFilter, WhistleFilter
from grassroots.whistle.models import Whistle, WhistleCall
from grassroots.whistle.views.common import answers_for_departments, call_is_overdue
from grassroots.whistle.views.tables import CallTable, WhistleTable


def _calls_text(whistle: Whistle) -> str:
    return "；".join(f"{c.department.name}（{c.get_status_display()}）" for c in whistle.calls.all())


def _local(value: Any) -> Any:
    return timezone.localtime(value).replace(tzinfo=None) if value else ""


WHISTLE_EXPORT_COLUMNS = (
    ExportColumn(_("Number"), display("number")),
    ExportColumn(_("Title"), display("title")),
    ExportColumn(_("Blown by"), display("region.name")),
    ExportColumn(_("Urgency"), display("get_urgency_display")),
    ExportColumn(_("Status"), display("get_status_display")),
    ExportColumn(_("Blown at"), lambda w: _local(w.raised_at)),
    ExportColumn(_("Handle by"), lambda w: _local(w.handle_due)),
    ExportColumn(_("Departments called"), _calls_text),
    ExportColumn(_("Overdue"), lambda w: "✓" if any(call_is_overdue(c) for c in w.calls.all()) else ""),
    ExportColumn(_("Closed at"), lambda w: _local(w.closed_at)),
)


def calls_prefetch() -> Prefetch[Any]:
    return Prefetch("calls", queryset=WhistleCall.objects.select_related("department").order_by("id"))


class WhistleBoardView(ScopedListView):
    """The whistles of the user's scope, each with the departments called and their deadlines."""

    capability = Capability.VIEW_WHISTLES
    model = Whistle
    scoped_model = Whistle
    table_class = WhistleTable
    filterset_class = WhistleFilter
    template_name = "whistle/whistle_board.html"
    title = _("Whistle board")
    export_title = _("Whistles")
    export_columns = WHISTLE_EXPORT_COLUMNS
    create_url_name = "whistle:whistle_create"
    create_capability = Capability.BLOW_WHISTLE

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if (
            user.is_authenticated
            and not has_capability(user, Capability.VIEW_WHISTLES)
            and answers_for_departments(user)
        ):
            return HttpResponseRedirect(reverse("whistle:my_whistles"))
        return super().dispatch(request, *args, **kwargs)

    def get_scoped_queryset(self) -> QuerySet[Whistle]:
        return (
            selectors.whistle_list(user=self.request.user).select_related("region").prefetch_related(calls_prefetch())
        )

    def status_counts(self) -> list[dict[str, Any]]:
        """The whistles of the scope (narrowed, not filtered) by status, plus those overdue now."""
        base = narrow(self.request, selectors.whistle_list(user=self.request.user))
        counts = dict(base.order_by().values_list("status").annotate(n=Count("pk")))
        current = self.request.GET.get("status", "")
        path = self.request.path
        items = [
            {
                "label": _("All"),
                "value": sum(counts.values()),
                "href": path,
                "current": not current and not self.request.GET.get("overdue"),
            }
        ]
        for status, label in WhistleStatus.choices:
            items.append(
                {
                    "label": label,
                    "value": counts.get(status, 0),
                    "href": f"{path}?{urlencode({'status': status})}",
                    "current": current == status,
                }
            )
        overdue = narrow(self.request, selectors.whistle_list(user=self.request.user, overdue=True)).count()
        items.append(
            {
                "label": _("Overdue"),
                "value": overdue,
                "href": f"{path}?overdue=yes",
                "current": self.request.GET.get("overdue") == "yes",
                "danger": True,
            }
        )
        return items

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filterset = self.filterset
        if filterset.is_bound and not filterset.is_valid():
            context["empty_message"] = _("Correct the filters to search.")
        elif context["filtered"]:
            context["empty_message"] = _("No whistles match these filters.")
        else:
            context["empty_message"] = _(
                "No whistle has been blown here yet. When a matter needs departments on site, blow the whistle "
                "from its case or with the button above."
            )
        context["status_counts"] = self.status_counts()
        return context


def call_flags() -> tuple[Q, Q]:
    """Calls past a deadline they still owe now, and calls still owing a report or feedback (open whistles)."""
    now = timezone.now()
    live = Q(whistle__status=WhistleStatus.OPEN)
    overdue = live & (
        Q(status__in=AWAITING_REPORT, report_due__lt=now) | Q(status__in=AWAITING_FEEDBACK, handle_due__lt=now)
    )
    return overdue, live & Q(status__in=AWAITING_FEEDBACK)


class MyWhistlesView(ScopedListView):
    """Department staff: the calls to their department, overdue first, then those still owing something."""

    capability = None
    model = WhistleCall
    scoped_model = WhistleCall
    table_class = CallTable
    filterset_class = CallFilter
    template_name = "whistle/my_whistles.html"
    title = _("My whistles")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if user.is_authenticated and not answers_for_departments(user) and not user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_scoped_queryset(self) -> QuerySet[WhistleCall]:
        overdue, owing = call_flags()
        return (
            selectors.call_list_for_department(user=self.request.user)
            .select_related("whistle", "whistle__region", "department")
            .annotate(
                overdue_now=Choose(When(overdue, then=Value(1)), default=Value(0), output_field=IntegerField()),
                owing=Choose(When(owing, then=Value(1)), default=Value(0), output_field=IntegerField()),
            )
            .order_by("-overdue_now", "-owing", "report_due", "-id")
        )

    def get_queryset(self) -> QuerySet[Any]:
        # Calls are the department's, not a region's: the region switcher does not narrow them.
        return self.get_scoped_queryset()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        overdue, owing = call_flags()
        calls = selectors.call_list_for_department(user=self.request.user)
        context["owing"] = calls.filter(owing).count()
        context["overdue"] = calls.filter(overdue).count()
        context["empty_message"] = (
            _("No calls match these filters.") if context["filtered"] else _("No whistle has called your department.")
        )
        return context
