"""The region switcher: narrow every page to one visible street/community/compound, or widen back to the scope."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from grassroots.territory.models import Region
from grassroots.web import narrow
from grassroots.web.context_processors import SWITCHER_KINDS

SEARCH_LIMIT = 50


class RegionSwitchView(LoginRequiredMixin, View):
    """GET: search the regions to switch to. POST ``region`` (a visible region's id, or empty for the whole scope).

    A region outside the user's scope is a 404: the switcher only ever narrows.
    """

    model = Region
    scoped_model = Region

    def get(self, request: HttpRequest) -> HttpResponse:
        query = request.GET.get("q", "").strip()[:50]
        results: list[Region] = []
        if query:
            results = list(
                Region.objects.visible_to(request.user)
                .filter(kind__in=SWITCHER_KINDS, name__icontains=query)
                .select_related("street", "community")
                .order_by("path")[:SEARCH_LIMIT]
            )
        context: dict[str, Any] = {
            "query": query,
            "results": results,
            "truncated": len(results) == SEARCH_LIMIT,
            "next": self._next(request, request.GET.get("next")),
        }
        return render(request, "layout/region_switch.html", context)

    def post(self, request: HttpRequest) -> HttpResponse:
        raw = request.POST.get("region", "").strip()
        if not raw:
            narrow.set_region(request, None)
        else:
            if not raw.isdigit():
                raise Http404
            region = Region.objects.visible_to(request.user).filter(pk=int(raw), kind__in=SWITCHER_KINDS).first()
            if region is None:
                raise Http404
            narrow.set_region(request, region)
        return HttpResponseRedirect(self._next(request, request.POST.get("next")))

    @staticmethod
    def _next(request: HttpRequest, target: str | None) -> str:
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return target
        return reverse("web:home")
