from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from grassroots.accounts.enums import Capability
from grassroots.core.models import AuditEvent
from grassroots.web.forms import AuditFilterForm
from grassroots.web.views.base import PAGE_SIZE, CapabilityRequiredMixin, Crumb


class AuditListView(CapabilityRequiredMixin, ListView):
    """The audit log, for roles with ``view_audit``, limited to their scope."""

    capability = Capability.VIEW_AUDIT
    model = AuditEvent
    scoped_model = AuditEvent
    paginate_by = PAGE_SIZE
    template_name = "web/audit_list.html"

    def get_queryset(self) -> QuerySet[AuditEvent]:
        self.form = AuditFilterForm(self.request.GET or None)
        events = AuditEvent.objects.visible_to(self.request.user).select_related("actor").order_by("-at", "-pk")
        return self.form.filter(events)

    def get_breadcrumbs(self) -> list[Crumb]:
        return [(_("Audit log"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["form"] = self.form
        context["filtered"] = self.form.is_bound
        return context
