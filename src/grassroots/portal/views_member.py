"""The party members' phone pages: the wall of wishes and difficulties they can claim, and their claims.

Only users who may claim cases (``CLAIM_CASES``) get in; anyone else signed in gets a 403. A case outside the
communities the member may claim in is a 404, whatever its state, so the pages tell nothing about it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from grassroots.accounts.enums import Capability
from grassroots.accounts.roles import has_capability
from grassroots.cases import rules
from grassroots.cases import selectors as case_selectors
from grassroots.cases.models import Case
from grassroots.cases.services import case_claim, case_fulfil, case_release
from grassroots.cases.services.photos import MAX_PHOTOS
from grassroots.cases.services.photos import max_bytes as photos_max_bytes
from grassroots.core.errors import ApplicationError
from grassroots.portal.forms_cases import FulfilForm, ReleaseForm
from grassroots.portal.views_cases import form_errors_from

WALL_PER_PAGE = 30
CLAIMS_PER_PAGE = 20


class MemberRequiredMixin(LoginRequiredMixin):
    """Signed in (on the staff login page) and allowed to claim cases; else a redirect to log in, or 403."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_capability(request.user, Capability.CLAIM_CASES):
            raise PermissionDenied(_("Only party members and units who may claim cases can open this page."))
        return super().dispatch(request, *args, **kwargs)  # type: ignore[no-any-return]


class MemberWallView(MemberRequiredMixin, ListView):  # type: ignore[type-arg]
    """``/portal/member/wall/``: open wishes and difficulties of the communities the member may claim in."""

    model = Case
    scoped_model = Case
    template_name = "portal/cases/member_wall.html"
    context_object_name = "cases"
    paginate_by = WALL_PER_PAGE

    def get_queryset(self) -> QuerySet[Case]:
        return case_selectors.claimable_for(user=self.request.user, kind=self.request.GET.get("kind") or None)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["kind"] = self.request.GET.get("kind") or ""
        context["tab"] = "member"
        return context


class MemberClaimView(MemberRequiredMixin, View):
    """POST ``/portal/member/wall/<pk>/claim/``: press "认领"."""

    http_method_names = ["post"]
    scoped_model: ClassVar[type[models.Model]] = Case

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = Case.objects.filter(pk=pk).first()
        if case is None or not (rules.claim_anchors(request.user, case) or rules.can_handle(request.user, case)):
            raise Http404
        try:
            case = case_claim(case=case, actor=request.user, request=request)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("portal:member_wall")
        messages.success(
            request,
            _("You have claimed %(title)s. Thank you! Record it here when it is done.") % {"title": case.title},
        )
        return redirect("portal:member_claims")


def claim_forms(case: Case, **bound: Any) -> Case:
    """Attach the release and fulfilment forms of one claim (ids made unique per case)."""
    auto_id = f"c{case.pk}-%s"
    case.release_form = bound.get("release_form") or ReleaseForm(auto_id=auto_id)  # type: ignore[attr-defined]
    case.fulfil_form = bound.get("fulfil_form") or FulfilForm(auto_id=auto_id)  # type: ignore[attr-defined]
    case.photo_errors = bound.get("photo_errors", [])  # type: ignore[attr-defined]
    case.photos_input_id = f"c{case.pk}-photos"  # type: ignore[attr-defined]
    return case


class MemberClaimsView(MemberRequiredMixin, ListView):  # type: ignore[type-arg]
    """``/portal/member/claims/``: what the member has claimed, with release and fulfilment forms."""

    model = Case
    scoped_model = Case
    template_name = "portal/cases/member_claims.html"
    context_object_name = "cases"
    paginate_by = CLAIMS_PER_PAGE

    def get_queryset(self) -> QuerySet[Case]:
        return case_selectors.my_claims(user=self.request.user).select_related("place")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        bound: dict[int, dict[str, Any]] = getattr(self, "bound_forms", {})
        context["cases"] = [claim_forms(c, **bound.get(c.pk, {})) for c in context["cases"]]
        context["max_photos"] = MAX_PHOTOS
        context["photo_max_bytes"] = photos_max_bytes()
        context["tab"] = "member"
        return context


class _ClaimActionView(MemberRequiredMixin, View):
    http_method_names = ["post"]
    scoped_model: ClassVar[type[models.Model]] = Case

    def get_case(self, request: HttpRequest, pk: int) -> Case:
        case = case_selectors.my_claims(user=request.user).filter(pk=pk).first()
        if case is None:
            raise Http404
        return case

    def redisplay(self, request: HttpRequest, case: Case, **bound: Any) -> HttpResponse:
        view = MemberClaimsView()
        view.setup(request)
        view.bound_forms = {case.pk: bound}  # type: ignore[attr-defined]
        view.object_list = view.get_queryset()
        context = view.get_context_data()
        context["focus"] = case.pk
        return view.render_to_response(context)


class MemberReleaseView(_ClaimActionView):
    """POST ``/portal/member/claims/<pk>/release/``: give the claim back (with a reason) before its deadline."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = self.get_case(request, pk)
        form = ReleaseForm(request.POST, auto_id=f"c{case.pk}-%s")
        if form.is_valid():
            try:
                case_release(case=case, actor=request.user, reason=form.cleaned_data["reason"], request=request)
            except ApplicationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("You have given it back; it is on the wall again."))
                return redirect("portal:member_claims")
        return self.redisplay(request, case, release_form=form)


class MemberFulfilView(_ClaimActionView):
    """POST ``/portal/member/claims/<pk>/fulfil/``: record what was done, for how many residents, with photos."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = self.get_case(request, pk)
        form = FulfilForm(request.POST, auto_id=f"c{case.pk}-%s")
        photo_errors: list[str] = []
        if form.is_valid():
            try:
                case_fulfil(
                    case=case,
                    actor=request.user,
                    note=form.cleaned_data["note"] or "",
                    residents_served=form.cleaned_data["residents_served"] or 0,
                    photos=request.FILES.getlist("photos"),
                    request=request,
                )
            except ApplicationError as exc:
                photo_errors = form_errors_from(form, exc).get("photos", [])
            else:
                messages.success(request, _("Thank you! The resident will be asked to confirm and rate it."))
                return redirect("portal:member_claims")
        return self.redisplay(request, case, fulfil_form=form, photo_errors=photo_errors)
