from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from grassroots.accounts.enums import Capability
from grassroots.accounts.models import RoleAssignment
from grassroots.accounts.roles import has_capability
from grassroots.people.models import Person
from grassroots.territory.models import Grid, Region
from grassroots.web.views.base import CapabilityRequiredMixin


class HomeView(CapabilityRequiredMixin, TemplateView):
    """The workbench: who I am, where my roles apply, and how much of the territory I can see."""

    template_name = "web/home.html"
    model = Region
    scoped_model = Region  # also counts grids and persons, each through visible_to

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["assignments"] = (
            RoleAssignment.objects.filter(user_id=user.pk or 0)
            .select_related("region", "grid", "grid__community", "organization")
            .order_by("role", "pk")
        )
        counts: list[dict[str, Any]] = []
        if has_capability(user, Capability.VIEW_TERRITORY):
            counts.append(
                {"label": _("Regions"), "value": Region.objects.visible_to(user).count(), "url": "web:region_list"}
            )
            counts.append({"label": _("Grids"), "value": Grid.objects.visible_to(user).count(), "url": "web:grid_list"})
        if has_capability(user, Capability.VIEW_PEOPLE):
            counts.append(
                {"label": _("Persons"), "value": Person.objects.visible_to(user).count(), "url": "web:person_list"}
            )
        context["counts"] = counts
        return context
