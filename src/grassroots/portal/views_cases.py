"""The residents' case pages (ask for help, follow and rate one's requests) and the public wish wall.

Thin views: they parse the form, call ``cases.services`` and put the service's errors back on the form. A resident
reads only their own requests (``selectors.case_get_for_requester``: anyone else's is a 404); the public wall shows
masked names and no place below the compound.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from grassroots.cases import rules
from grassroots.cases import selectors as case_selectors
from grassroots.cases.enums import TERMINAL_STATUSES, CaseKind, CaseStatus, Channel
from grassroots.cases.kpis import month_bounds
from grassroots.cases.models import DESCRIPTION_MAX, Case
from grassroots.cases.services import CaseInput, case_cancel, case_rate, case_submit, similar_open_cases
from grassroots.cases.services.photos import MAX_PHOTOS
from grassroots.cases.services.photos import max_bytes as photos_max_bytes
from grassroots.catalogue.enums import ServiceMode
from grassroots.core.errors import ApplicationError
from grassroots.people.models import Person
from grassroots.portal import selectors
from grassroots.portal.forms_cases import (
    CaseRequestForm,
    RatingForm,
    WithdrawForm,
    appointment_slots,
    attribute_answers,
)
from grassroots.portal.views import CommunityChoiceMixin, ResidentRequiredMixin
from grassroots.territory.models import Region

REQUESTS_PER_PAGE = 20
WISHES_PER_PAGE = 30
POLL_SECONDS = 15


def _htmx(request: HttpRequest) -> bool:
    """Whether htmx sent the request (``django_htmx`` middleware)."""
    return bool(getattr(request, "htmx", False))


def form_errors_from(form: Any, exc: ApplicationError, *, extra: dict[str, str] | None = None) -> dict[str, list[str]]:
    """Put a service error on ``form``: its message above the form, field errors on their fields (``extra``
    renames service field names); the field errors that are not form fields are returned, for the page to show
    where they belong (photos, an item's questions)."""
    rest: dict[str, list[str]] = {}
    form.add_error(None, exc.message)
    for name, errors in exc.fields.items():
        target = (extra or {}).get(name, name)
        if target in form.fields:
            for error in errors:
                form.add_error(target, error)
        else:
            rest[target] = list(errors)
    return rest


# Asking for help


class CaseSubmitView(ResidentRequiredMixin, View):
    """``/portal/requests/new/``: the request form; with htmx, one of its parts (``?part=item|place``)."""

    scoped_model: ClassVar[type[models.Model]] = Case
    template_name = "portal/cases/new.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self.person: Person | None = selectors.resident_person(user=request.user)
        return super().dispatch(request, *args, **kwargs)

    def _form(self, data: Any = None, initial: dict[str, Any] | None = None) -> CaseRequestForm:
        assert self.person is not None and self.person.community is not None
        return CaseRequestForm(
            data, initial=initial, community=self.person.community, part_url=reverse("portal:case_new")
        )

    def _default_place(self) -> dict[str, Any]:
        """The resident's own entrance (and its building and compound) when the registration has it."""
        person = self.person
        assert person is not None
        household = person.household
        if household is None:
            return {"compound": person.compound_id}
        entrance: Region = household.entrance
        building = Region.objects.get_parent(entrance)
        return {
            "compound": entrance.compound_id,
            "building": building.pk if building else None,
            "entrance": entrance.pk,
        }

    def _context(self, form: CaseRequestForm, **extra: Any) -> dict[str, Any]:
        kind = form.value("kind")
        item = form.chosen_item()
        slots: list[Any] = []
        if item is not None and kind == CaseKind.APPOINTMENT and item.mode == ServiceMode.APPOINTMENT:
            slots = appointment_slots(item=item, community_id=self.person.community_id if self.person else None)
        place, category = form.chosen_place(), form.chosen_category()
        similar = similar_open_cases(place=place, category=category) if place is not None and category else []
        answers = attribute_answers(item, form.data) if form.is_bound else {}
        attribute_errors: dict[str, list[str]] = extra.pop("attribute_errors", {})
        questions = [
            {
                "attribute": attribute,
                "key": f"attribute[{attribute.code}]",
                "value": answers.get(attribute.code, [])
                if attribute.datatype == "multivaluelist"
                else answers.get(attribute.code, ""),
                "errors": attribute_errors.get(f"attribute[{attribute.code}]", []),
            }
            for attribute in (item.attributes.all() if item is not None else [])
        ]
        source = form.data if form.is_bound else form.initial
        return {
            "form": form,
            "person": self.person,
            "kind": kind,
            "item": item,
            "questions": questions,
            "slots": slots,
            "chosen_slot": source.get("slot_start") or "",
            "similar": similar,
            "max_photos": MAX_PHOTOS,
            "description_max": DESCRIPTION_MAX,
            "photo_max_bytes": photos_max_bytes(),
            "tab": "requests",
            **extra,
        }

    def get(self, request: HttpRequest) -> HttpResponse:
        if self.person is None or self.person.community is None:
            return render(request, self.template_name, {"person": None, "tab": "requests"})
        part = request.GET.get("part")
        if _htmx(request) and part in ("item", "place"):
            form = self._form(initial=request.GET.dict())
            return render(request, f"portal/cases/_part_{part}.html", self._context(form, oob=True))
        initial = {"kind": request.GET.get("kind") or CaseKind.MICRO_WISH, **self._default_place()}
        return render(request, self.template_name, self._context(self._form(initial=initial)))

    def post(self, request: HttpRequest) -> HttpResponse:
        if self.person is None or self.person.community is None:
            raise Http404
        if "refresh" in request.POST:  # the no-JavaScript way to update the dependent choices
            form = self._form(initial=request.POST.dict())
            return render(request, self.template_name, self._context(form))
        form = self._form(request.POST)
        extra: dict[str, Any] = {}
        if form.is_valid():
            data = form.cleaned_data
            item = data.get("item")
            kind = data["kind"]
            try:
                case = case_submit(
                    actor=request.user,
                    data=CaseInput(
                        kind=kind,
                        place=form.place(),
                        description=data.get("description") or "",
                        channel=Channel.PORTAL,
                        category=data.get("category") or (item.category if item is not None else None),
                        item=item,
                        need_group=(data.get("need_group") or "") if kind == CaseKind.MICRO_WISH else "",
                        requester=self.person,
                        lat=data.get("lat"),
                        long=data.get("long"),
                        attributes=attribute_answers(item, request.POST),
                        slot_start=data.get("slot_start") if kind == CaseKind.APPOINTMENT else None,
                    ),
                    photos=request.FILES.getlist("photos"),
                    request=request,
                )
            except ApplicationError as exc:
                rest = form_errors_from(form, exc, extra={"place": "compound"})
                extra = {
                    "photo_errors": rest.pop("photos", []),
                    "attribute_errors": {k: v for k, v in rest.items() if k.startswith("attribute[")},
                }
                for name, errors in rest.items():
                    if not name.startswith("attribute["):
                        for error in errors:
                            form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Thank you. Your request %(number)s has been sent to your community.") % {"number": case.number},
                )
                return redirect("portal:case_detail", pk=case.pk)
        if request.FILES:
            extra["photos_lost"] = True
        return render(request, self.template_name, self._context(form, **extra), status=200)


# Following one's requests


class MyRequestsView(ResidentRequiredMixin, ListView):  # type: ignore[type-arg]
    model = Case
    scoped_model = Case
    template_name = "portal/my_requests.html"
    context_object_name = "cases"
    paginate_by = REQUESTS_PER_PAGE

    def get_queryset(self) -> QuerySet[Case]:
        return case_selectors.my_requests(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["tab"] = "requests"
        return context


class RequesterCaseMixin(ResidentRequiredMixin):
    """The signed-in resident's own case, or 404."""

    request: HttpRequest
    kwargs: dict[str, Any]

    def get_case(self) -> Case:
        try:
            return case_selectors.case_get_for_requester(user=self.request.user, pk=self.kwargs["pk"])
        except Case.DoesNotExist as exc:
            raise Http404 from exc


def detail_context(case: Case, user: Any, **extra: Any) -> dict[str, Any]:
    """What the request page shows: the live part, the photos and the actions the status allows."""
    actions = rules.actions_for(user, case)
    return {
        **live_context(case),
        "photos": list(case.photos.all()),
        "can_withdraw": "cancel" in actions,
        "can_rate": "rate" in actions,
        "withdraw_form": WithdrawForm(),
        "rating_form": RatingForm(),
        "tab": "requests",
        **extra,
    }


def live_context(case: Case) -> dict[str, Any]:
    return {
        "case": case,
        "events": list(case_selectors.timeline(case=case, public_only=True)),
        "poll": case.status not in TERMINAL_STATUSES,
        "poll_seconds": POLL_SECONDS,
    }


class CaseDetailView(RequesterCaseMixin, View):
    """``/portal/requests/<pk>/``; with htmx, the live part (status and timeline), polled every 15 s. When the
    status has changed since the page was drawn, htmx reloads the page so that the right actions appear."""

    scoped_model: ClassVar[type[models.Model]] = Case
    template_name = "portal/cases/detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = self.get_case()
        if _htmx(request):
            shown = request.GET.get("status")
            if shown and shown != case.status:
                response = HttpResponse()
                response["HX-Refresh"] = "true"
                return response
            return render(request, "portal/cases/_live.html", live_context(case))
        return render(request, self.template_name, detail_context(case, request.user))


class CaseWithdrawView(RequesterCaseMixin, View):
    http_method_names = ["post"]
    scoped_model: ClassVar[type[models.Model]] = Case

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = self.get_case()
        form = WithdrawForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        try:
            case_cancel(case=case, actor=request.user, reason=reason, request=request)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your request has been withdrawn."))
        return redirect("portal:case_detail", pk=case.pk)


class CaseRateView(RequesterCaseMixin, View):
    http_method_names = ["post"]
    scoped_model: ClassVar[type[models.Model]] = Case

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = self.get_case()
        form = RatingForm(request.POST)
        if form.is_valid():
            try:
                case = case_rate(
                    case=case,
                    actor=request.user,
                    stars=form.cleaned_data["stars"] or 0,
                    satisfaction=form.cleaned_data["satisfaction"] or "",
                    resolved=form.resolved_value(),
                    comment=form.cleaned_data["comment"] or "",
                    request=request,
                )
            except ApplicationError as exc:
                form_errors_from(form, exc)
            else:
                if case.status == CaseStatus.CLOSED:
                    messages.success(request, _("Thank you for your rating."))
                else:
                    messages.success(request, _("Thank you. We are sorry it is not right yet: it has been reopened."))
                return redirect("portal:case_detail", pk=case.pk)
        return render(request, CaseDetailView.template_name, detail_context(case, request.user, rating_form=form))


# The public wish wall


class WishWallView(CommunityChoiceMixin, ListView):  # type: ignore[type-arg]
    """``/portal/wishes/``: a community's open micro-wishes for anyone to read; names masked, no address."""

    model = Case
    scoped_model = Case
    template_name = "portal/cases/wishes.html"
    context_object_name = "wishes"
    paginate_by = WISHES_PER_PAGE

    def get_queryset(self) -> QuerySet[Case]:
        self.community = self.chosen_community()
        if self.community is None:
            return Case.objects.none()
        return case_selectors.wish_wall_public(community_id=self.community.pk).only(
            "pk", "title", "requester_name", "need_group", "kind", "verified_at", "category__name", "compound__name"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.picker_context(self.community))
        if self.community is not None:
            today = timezone.localdate()
            since, _end = month_bounds(today.year, today.month)
            context["fulfilled_this_month"] = case_selectors.wishes_fulfilled_public(
                community_id=self.community.pk, since=since
            ).count()
        context["tab"] = "home"
        return context
