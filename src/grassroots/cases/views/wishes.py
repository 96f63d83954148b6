"""Wish wall management: the micro-wishes of the user's scope, by stage — waiting for verification (accept or
reject them here), on the wall, claimed, and fulfilled this month."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from grassroots.accounts.enums import Capability
from grassroots.cases import rules, selectors
from grassroots.cases.enums import CaseKind, CaseStatus
from grassroots.cases.kpis import month_bounds
from grassroots.cases.models import Case
from grassroots.web.narrow import narrow
from grassroots.web.views.base import PAGE_SIZE, CapabilityRequiredMixin, Crumb

TABS = (
    ("pending", _("Awaiting verification")),
    ("open", _("On the wall")),
    ("claimed", _("Claimed")),
    ("fulfilled", _("Fulfilled this month")),
)


class WishWallView(CapabilityRequiredMixin, TemplateView):
    capability = Capability.VIEW_CASES
    model = Case
    scoped_model = Case
    template_name = "cases/wish_wall.html"
    partial_template_name = "cases/partials/_wish_results.html"

    def get_template_names(self) -> list[str]:
        htmx = getattr(self.request, "htmx", None)
        return [self.partial_template_name] if htmx and not htmx.boosted else [self.template_name]

    def wishes(self) -> QuerySet[Case]:
        return narrow(self.request, selectors.case_list(user=self.request.user, kind=CaseKind.MICRO_WISH))

    def tab_rows(self, wishes: QuerySet[Case], tab: str) -> QuerySet[Case]:
        if tab == "pending":
            return wishes.filter(status=CaseStatus.PENDING).order_by("submitted_at", "id")
        if tab == "open":
            return wishes.filter(status=CaseStatus.OPEN).order_by("-verified_at", "-id")
        if tab == "claimed":
            return wishes.filter(status=CaseStatus.IN_PROGRESS).order_by("-claimed_at", "-id")
        today = timezone.localdate()
        start, end = month_bounds(today.year, today.month)
        return wishes.filter(deed_at__gte=start, deed_at__lt=end).order_by("-deed_at", "-id")

    def get_breadcrumbs(self) -> list[Crumb]:
        return [(_("Wish wall"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        tab = self.request.GET.get("tab", "pending")
        if tab not in dict(TABS):
            tab = "pending"
        wishes = self.wishes().select_related("compound")
        page = Paginator(self.tab_rows(wishes, tab), PAGE_SIZE).get_page(self.request.GET.get("page"))
        user = self.request.user
        rows = [(case, tab == "pending" and bool(rules.can_handle(user, case))) for case in page.object_list]
        context.update(
            title=_("Wish wall"),
            tabs=[(key, label, self.tab_rows(wishes, key).count()) for key, label in TABS],
            tab=tab,
            page_obj=page,
            rows=rows,
            back=self.request.get_full_path(),
        )
        return context
