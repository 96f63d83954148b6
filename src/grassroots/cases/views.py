"""Staff pages for cases (placeholder: the staff pages are being built)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.views.generic import DetailView

from grassroots.cases import selectors
from grassroots.cases.models import Case


class CaseDetailView(LoginRequiredMixin, DetailView):  # type: ignore[type-arg]
    template_name = "cases/case_detail.html"
    model = Case

    def get_object(self, queryset: Any = None) -> Case:
        try:
            return selectors.case_get(user=self.request.user, pk=self.kwargs["pk"])
        except Case.DoesNotExist as exc:
            raise Http404 from exc
