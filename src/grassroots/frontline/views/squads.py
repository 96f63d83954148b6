"""Vanguard corps and squads in the user's scope, with their leaders and member counts."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

import grassroots.web.views  # noqa: F401  # loads web.lists' dependencies first (see web/lists.py)
from grassroots.frontline.forms.filters import SquadFilter
from grassroots.frontline.selectors import campaigns as selectors
from grassroots.frontline.tables import SquadTable
from grassroots.frontline.views.common import FrontlineMixin
from grassroots.organizations.models import Organization
from grassroots.web.lists import ScopedListView


class SquadListView(FrontlineMixin, ScopedListView):
    model = Organization
    scoped_model = Organization
    table_class = SquadTable
    filterset_class = SquadFilter
    template_name = "frontline/squad_list.html"
    title = _("Vanguard squads")

    def get_scoped_queryset(self) -> QuerySet[Organization]:
        return selectors.squad_list(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if context["filtered"]:
            context["empty_message"] = _("No vanguard squad matches these filters.")
        else:
            context["empty_message"] = _(
                "No vanguard squad yet. Squads are organisations of the kind vanguard squad under a vanguard corps."
            )
        return context
