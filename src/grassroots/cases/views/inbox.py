"""The case inbox: the cases of the user's scope, filtered, sorted, paginated, refreshed by htmx, exported."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

import grassroots.web.views  # noqa: F401  # loads web.lists' dependencies first (see web/lists.py)
from grassroots.accounts.enums import Capability
from grassroots.cases import selectors
from grassroots.cases.exports import CASE_EXPORT_COLUMNS
from grassroots.cases.filters import CaseFilter
from grassroots.cases.models import Case
from grassroots.cases.tables import CaseTable
from grassroots.web.lists import ScopedListView


class CaseListView(ScopedListView):
    """Residents' needs of the user's scope: micro-wishes, difficulties, appointments and grid events."""

    capability = Capability.VIEW_CASES
    model = Case
    scoped_model = Case
    table_class = CaseTable
    filterset_class = CaseFilter
    template_name = "cases/case_list.html"
    title = _("Case inbox")
    export_title = _("Cases")
    export_columns = CASE_EXPORT_COLUMNS
    create_url_name = "cases:case_create"
    create_capability = Capability.HANDLE_CASES

    def get_scoped_queryset(self) -> QuerySet[Case]:
        return selectors.case_list(user=self.request.user).select_related("compound", "street", "community")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filterset = self.filterset
        if filterset.is_bound and not filterset.is_valid():
            context["empty_message"] = _("Correct the filters to search.")
        elif context["filtered"]:
            context["empty_message"] = _("No cases match these filters.")
        else:
            context["empty_message"] = _(
                "No cases yet. Cases taken in here or sent from the resident portal will be listed here."
            )
        return context
