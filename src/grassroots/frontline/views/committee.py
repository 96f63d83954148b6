"""Part-time committee members (兼职委员): the seats on the committees of the user's communities, and new ones."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from grassroots.accounts.enums import Capability
from grassroots.accounts.roles import has_capability
from grassroots.core.errors import ApplicationError
from grassroots.frontline.forms.committee import CommitteeSeatForm
from grassroots.frontline.selectors.committee import committee_seat_get, committee_seat_list
from grassroots.frontline.services.committee import committee_person_find, committee_seat_add, committee_seat_end
from grassroots.frontline.views.common import FrontlineMixin, form_error
from grassroots.organizations.models import CommitteeSeat
from grassroots.web.views.base import PAGE_SIZE, Crumb

LIST = "frontline:committee_list"
STATES = {"current": True, "ended": False, "all": None}


class CommitteeSeatListView(FrontlineMixin, View):
    model = CommitteeSeat
    scoped_model = CommitteeSeat

    def get(self, request: HttpRequest) -> HttpResponse:
        state = request.GET.get("state", "current")
        if state not in STATES:
            state = "current"
        q = request.GET.get("q", "").strip()[:50]
        seats = committee_seat_list(user=request.user, current=STATES[state], q=q or None)
        page = Paginator(seats, PAGE_SIZE).get_page(request.GET.get("page") or 1)
        crumbs: list[Crumb] = [(gettext_lazy("Part-time committee members"), None)]
        context: dict[str, Any] = {
            "page_obj": page,
            "seats": page.object_list,
            "state": state,
            "q": q,
            "today": timezone.localdate(),
            "can_manage": has_capability(request.user, Capability.MANAGE_FRONTLINE),
            "breadcrumbs": crumbs,
        }
        return render(request, "frontline/committee_list.html", context)


class CommitteeSeatCreateView(FrontlineMixin, View):
    model = CommitteeSeat
    scoped_model = CommitteeSeat
    capability = Capability.MANAGE_FRONTLINE

    def render_form(self, request: HttpRequest, form: CommitteeSeatForm, status: int = 200) -> HttpResponse:
        title = gettext_lazy("Add a part-time committee member")
        crumbs: list[Crumb] = [(gettext_lazy("Part-time committee members"), reverse(LIST)), (title, None)]
        context = {"form": form, "title": title, "breadcrumbs": crumbs, "cancel_url": reverse(LIST)}
        return render(request, "frontline/form_page.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_form(request, CommitteeSeatForm(user=request.user))

    def post(self, request: HttpRequest) -> HttpResponseBase:
        form = CommitteeSeatForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                person = committee_person_find(name=data["name"], id_number=data["id_number"])
                seat = committee_seat_add(
                    actor=request.user,
                    community=data["community"],
                    person=person,
                    from_organization=data["from_organization"],
                    position=data["position"],
                    term_start=data["term_start"],
                    term_end=data["term_end"],
                    request=request,
                )
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                messages.success(
                    request,
                    _("%(person)s now sits on the committee of %(community)s.")
                    % {"person": seat.person.name, "community": seat.community_region.name},
                )
                return HttpResponseRedirect(reverse(LIST))
        return self.render_form(request, form, status=400)


class CommitteeSeatEndView(FrontlineMixin, View):
    model = CommitteeSeat
    scoped_model = CommitteeSeat
    capability = Capability.MANAGE_FRONTLINE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        try:
            seat = committee_seat_get(user=request.user, pk=pk)
        except CommitteeSeat.DoesNotExist:
            raise Http404 from None
        try:
            committee_seat_end(seat=seat, actor=request.user, request=request)
        except ApplicationError as exc:
            if exc.status == 403:
                raise
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The term of %(person)s has ended.") % {"person": seat.person.name})
        return HttpResponseRedirect(reverse(LIST))
