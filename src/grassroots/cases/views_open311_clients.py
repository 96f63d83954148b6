"""Open311 API keys for district admins (MANAGE_CATALOGUE): list, issue (the key is shown once), deactivate.

Keys are district-wide configuration, not territory data; only their hash and first characters are stored.
Routes live in the catalogue's URLconf (``/catalogue/open311-clients/``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from grassroots.accounts.enums import Capability
from grassroots.cases.models import Open311Client
from grassroots.cases.services import open311_client_create, open311_client_deactivate
from grassroots.catalogue.forms import Open311ClientForm
from grassroots.core.errors import ApplicationError
from grassroots.web.forms import apply_error
from grassroots.web.views.base import CapabilityRequiredMixin, Crumb


def _crumbs(*extra: Crumb) -> list[Crumb]:
    return [(_("Service catalogue"), reverse("catalogue:category_list")), *extra]


class Open311ClientListView(CapabilityRequiredMixin, TemplateView):
    capability = Capability.MANAGE_CATALOGUE
    template_name = "catalogue/open311_client_list.html"

    def get_breadcrumbs(self) -> list[Crumb]:
        return _crumbs((_("Open311 keys"), None))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            tab="open311",
            can_manage=True,
            clients=Open311Client.objects.select_related("created_by").order_by("-is_active", "name"),
            form=kwargs.get("form") or Open311ClientForm(),
        )
        return context


class Open311ClientCreateView(Open311ClientListView):
    """POST a name: the new key is shown on this one response and never again (it is stored hashed)."""

    http_method_names = ["get", "post"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return HttpResponseRedirect(reverse("catalogue:open311_client_list"))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = Open311ClientForm(request.POST)
        if form.is_valid():
            try:
                client, key = open311_client_create(actor=request.user, name=form.cleaned_data["name"], request=request)
            except ApplicationError as exc:
                if exc.status == 403:
                    raise PermissionDenied(exc.message) from exc
                apply_error(form, exc)
            else:
                response = TemplateResponse(
                    request,
                    "catalogue/open311_client_issued.html",
                    {"client": client, "key": key, "breadcrumbs": _crumbs((_("Open311 keys"), None)), "tab": "open311"},
                )
                # The key must not be kept by a browser or proxy cache.
                response["Cache-Control"] = "no-store"
                return response
        return self.render_to_response(self.get_context_data(form=form))


class Open311ClientDeactivateView(CapabilityRequiredMixin, View):
    capability = Capability.MANAGE_CATALOGUE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        client = get_object_or_404(Open311Client, pk=pk)
        open311_client_deactivate(actor=request.user, client=client, request=request)
        messages.success(request, _t("The key of %(name)s no longer works.") % {"name": client.name})
        return HttpResponseRedirect(reverse("catalogue:open311_client_list"))
