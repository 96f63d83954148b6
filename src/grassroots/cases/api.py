"""REST API of cases: the scoped list and detail, intake, and one POST action per service of the case flow.

Who sees what: a handler sees the cases in their scope (``selectors.case_list``); everybody also sees the
cases they asked for and the cases they claimed (``selectors.case_visibility_q``). ``status=open`` lists
exactly what the user can claim now: the open cases of their handling scope and the wall of every community
they may claim in (``selectors.claim_area_q``, the rows of ``selectors.claimable_for``). A claimer may open a
case of that wall (shown as the wall shows it) and claim it; anything else outside these rows is a 404.

Views only parse, fetch through the selectors and call the one service of each action; the services check the
rules, write the timeline and the audit row, and raise ``ApplicationError`` (400/403/409 with its code).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.accounts.enums import Capability
from grassroots.cases import selectors
from grassroots.cases.enums import CLAIMABLE_KINDS, CaseStatus, Channel
from grassroots.cases.models import Case, CaseQuerySet
from grassroots.cases.serializers import (
    OWN,
    STAFF,
    WALL,
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseErrorSerializer,
    CaseFilterSerializer,
    CaseListSerializer,
    ClaimSerializer,
    FulfilSerializer,
    NoteSerializer,
    RateSerializer,
    ReasonSerializer,
)
from grassroots.cases.services import (
    CaseInput,
    case_accept,
    case_claim,
    case_escalate,
    case_fulfil,
    case_rate,
    case_reject,
    case_release,
    case_submit,
)
from grassroots.core.api import ScopedReadOnlyViewSet
from grassroots.core.errors import ApplicationError
from grassroots.core.scope import scope_q
from grassroots.organizations.models import Organization
from grassroots.territory.models import Region


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(CaseErrorSerializer, description=description)


NOT_FOUND = _error("No such case among those the user may see.")
ACTION_ERRORS = {
    400: _error("Bad input, with messages per field (code e.g. reason_required)."),
    403: _error("The user may see the case but not do this to it (code not_allowed)."),
    404: NOT_FOUND,
    409: _error("The case's state does not allow it now (code invalid_state, already_claimed, …)."),
}
BOTH_FORMS = ("application/json", "multipart/form-data")


def _messages(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [m for v in value.values() for m in _messages(v)]
    if isinstance(value, list):
        return [m for v in value for m in _messages(v)]
    return [str(value)]


def parse(serializer_class: type[serializers.Serializer[Any]], data: Any, code: str) -> dict[str, Any]:
    """Validate an action's input; malformed input is an ``ApplicationError`` with the action's own code."""
    params = serializer_class(data=data)
    if not params.is_valid():
        fields = {name: _messages(errors) for name, errors in params.errors.items()}
        raise ApplicationError(code, _("Please correct the errors below."), fields=fields)
    return dict(params.validated_data)


def open_for(user: Any) -> CaseQuerySet:
    """What the user can claim now: open cases they handle, and the wall of the communities they claim in."""
    return Case.objects.filter(
        selectors.claim_area_q(user) | scope_q(Case, user, Capability.HANDLE_CASES),
        status=CaseStatus.OPEN,
        kind__in=CLAIMABLE_KINDS,
    )


@extend_schema(tags=["cases"])
@extend_schema_view(
    list=extend_schema(
        summary="List cases",
        description=(
            "Cases in the user's handling scope, plus the cases they asked for or claimed. With status=open: "
            "exactly the cases the user can claim now (for party members and units, the wall of every community "
            "they may claim in). Requesters' names are masked."
        ),
        parameters=[CaseFilterSerializer],
    ),
    retrieve=extend_schema(
        summary="A case with its timeline",
        description=(
            "The case with its place, masked contact number, deadlines, overdue flag, level, handler, claimer, "
            "photos and timeline. Requesters and claimers see the public events only; a case of the wall, opened "
            "by a claimer before claiming it, shows the compound only and the requester's name masked."
        ),
        responses={200: CaseDetailSerializer, 404: NOT_FOUND},
    ),
)
class CaseViewSet(ScopedReadOnlyViewSet[Case]):
    """Resident needs: micro-wishes, difficulties, service appointments and grid events."""

    queryset = Case.objects.none()
    # Every signed-in user may ask for help and see their own cases; the rows are scoped by the selectors.
    permission_classes = [IsAuthenticated]
    serializer_class = CaseDetailSerializer
    list_serializer_class = CaseListSerializer
    filter_serializer_class = CaseFilterSerializer

    # -------------------------------------------------------------------------------------------- reads

    def select_list(self, *, user: Any, **filters: Any) -> QuerySet[Case]:
        if filters.get("status") == CaseStatus.OPEN:
            base = open_for(user)
        else:
            base = Case.objects.filter(selectors.case_visibility_q(user))
        return selectors.case_list(user=user, base=base, **filters).select_related("community", "compound")

    def select_one(self, *, user: Any, pk: int) -> Case:
        try:
            return selectors.case_get(user=user, pk=pk)
        except Case.DoesNotExist:
            pass
        if self.action == "claim":
            # A claimer pressing "claim" on a wall case that someone else has just taken hears so (409).
            rows: QuerySet[Case] = Case.objects.filter(selectors.claim_area_q(user), kind__in=CLAIMABLE_KINDS)
        elif self.action == "retrieve":
            rows = selectors.claimable_for(user=user)
        else:
            raise Http404
        return get_object_or_404(rows.select_related(*selectors.LIST_RELATED), pk=pk)

    def view_of(self, case: Case) -> str:
        user = self.request.user
        if Case.objects.filter(scope_q(Case, user, Capability.VIEW_CASES), pk=case.pk).exists():
            return STAFF
        if user.pk is not None and user.pk in (case.requester_user_id, case.claimer_user_id):
            return OWN
        return WALL

    def respond(self, case: Case, status_code: int = status.HTTP_200_OK) -> Response:
        """The case as the user may now see it (after a release the claimer sees the wall's view)."""
        try:
            shown = selectors.case_get(user=self.request.user, pk=case.pk)
        except Case.DoesNotExist:
            shown = case
        context = {**self.get_serializer_context(), "view": self.view_of(shown)}
        return Response(CaseDetailSerializer(shown, context=context).data, status=status_code)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.respond(self.get_object())

    # ------------------------------------------------------------------------------------------- intake

    @extend_schema(
        summary="Submit a case",
        description=(
            "Take a case in through the API channel. A handler of the place takes it in for the resident named; "
            "any other user linked to a resident asks for themself. Photos are sent as multipart form data (the "
            "answers to the item's questions then as a JSON string). Nothing is written when anything is wrong."
        ),
        request={form: CaseCreateSerializer for form in BOTH_FORMS},
        responses={
            201: CaseDetailSerializer,
            400: _error("Bad input (code case_invalid or photo_invalid), with messages per field."),
            403: _error("The user may not take cases in for this place (code not_allowed)."),
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        params = parse(CaseCreateSerializer, request.data, "case_invalid")
        place = None
        if params.get("place") is not None:
            place = Region.objects.filter(pk=params["place"]).first()
            if place is None:
                raise ApplicationError(
                    "case_invalid",
                    _("Please correct the errors below."),
                    fields={"place": [_("There is no place with this id.")]},
                )
        data = CaseInput(
            kind=params["kind"],
            place=place,
            description=params.get("description", ""),
            channel=Channel.API,
            category=params.get("category"),
            item=params.get("item"),
            title=params.get("title", ""),
            need_group=params.get("need_group", ""),
            requester_name=params.get("requester_name", ""),
            contact_mobile=params.get("contact_mobile", ""),
            lat=params.get("lat"),
            long=params.get("long"),
            slot_start=params.get("slot_start"),
            attributes=params.get("attributes") or {},
        )
        case = case_submit(actor=request.user, data=data, photos=params.get("photos") or [], request=request._request)
        return self.respond(case, status.HTTP_201_CREATED)

    # ------------------------------------------------------------------------------------------ actions

    @extend_schema(
        summary="Accept a pending case",
        description="Accept (受理) a pending case; an accepted micro-wish or difficulty goes on the wall.",
        request=NoteSerializer,
        responses={200: CaseDetailSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: int | None = None) -> Response:
        case = self.get_object()
        params = parse(NoteSerializer, request.data, "invalid")
        return self.respond(
            case_accept(case=case, actor=request.user, note=params.get("note", ""), request=request._request)
        )

    @extend_schema(
        summary="Decline a pending case",
        description="Decline a pending case, giving the resident the reason.",
        request=ReasonSerializer,
        responses={200: CaseDetailSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: int | None = None) -> Response:
        case = self.get_object()
        params = parse(ReasonSerializer, request.data, "invalid")
        return self.respond(
            case_reject(case=case, actor=request.user, reason=params.get("reason", ""), request=request._request)
        )

    @extend_schema(
        summary="Claim an open case",
        description=(
            "Claim (认领) an open micro-wish or difficulty, for yourself or (staff, unit admins) for an "
            "organisation. Of many simultaneous claims exactly one wins; the others get 409 already_claimed."
        ),
        request=ClaimSerializer,
        responses={200: CaseDetailSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def claim(self, request: Request, pk: int | None = None) -> Response:
        case = self.get_object()
        params = parse(ClaimSerializer, request.data, "invalid")
        org = None
        if params.get("claimer_org") is not None:
            org = Organization.objects.filter(pk=params["claimer_org"]).first()
            if org is None:
                raise ApplicationError(
                    "claimer_invalid",
                    _("There is no such organisation."),
                    fields={"claimer_org": [_("There is no such organisation.")]},
                )
        claimed = case_claim(
            case=case, actor=request.user, on_behalf_of=org, note=params.get("note", ""), request=request._request
        )
        return self.respond(claimed)

    @extend_schema(
        summary="Release a claim",
        description="Give a claim back before its deadline, saying why; the case returns to the wall.",
        request=ReasonSerializer,
        responses={200: CaseDetailSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def release(self, request: Request, pk: int | None = None) -> Response:
        case = self.get_object()
        params = parse(ReasonSerializer, request.data, "invalid")
        return self.respond(
            case_release(case=case, actor=request.user, reason=params.get("reason", ""), request=request._request)
        )

    @extend_schema(
        summary="Record fulfilment",
        description=(
            "The claimer or handler records what was done, how many residents were served and photos (multipart). "
            "The first fulfilment counts the case as a practical deed."
        ),
        request={form: FulfilSerializer for form in BOTH_FORMS},
        responses={200: CaseDetailSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def fulfil(self, request: Request, pk: int | None = None) -> Response:
        case = self.get_object()
        params = parse(FulfilSerializer, request.data, "fulfilment_invalid")
        fulfilled = case_fulfil(
            case=case,
            actor=request.user,
            note=params.get("note", ""),
            residents_served=params["residents_served"],
            photos=params.get("photos") or [],
            request=request._request,
        )
        return self.respond(fulfilled)

    @extend_schema(
        summary="Rate a fulfilled case",
        description=(
            "The resident confirms and rates (staff may record a rating taken by phone). Satisfied or basically "
            "satisfied closes the case; dissatisfied reopens it."
        ),
        request=RateSerializer,
        responses={200: CaseDetailSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def rate(self, request: Request, pk: int | None = None) -> Response:
        case = self.get_object()
        params = parse(RateSerializer, request.data, "rating_invalid")
        rated = case_rate(
            case=case,
            actor=request.user,
            stars=params["stars"],
            satisfaction=params["satisfaction"],
            resolved=params.get("resolved"),
            comment=params.get("comment", ""),
            request=request._request,
        )
        return self.respond(rated)

    @extend_schema(
        summary="Escalate a case",
        description="Move an active case one rung up the ladder (grid → community → street), saying why.",
        request=ReasonSerializer,
        responses={200: CaseDetailSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def escalate(self, request: Request, pk: int | None = None) -> Response:
        case = self.get_object()
        params = parse(ReasonSerializer, request.data, "invalid")
        return self.respond(
            case_escalate(case=case, actor=request.user, reason=params.get("reason", ""), request=request._request)
        )
