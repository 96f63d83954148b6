"""REST API of whistles: the scoped list and detail, blowing a whistle, one POST action per service, and the
departments' scorecards.

Who sees what: street and community staff see the whistles of their scope, department staff the whistles that
called their department (``selectors.whistle_list``); any other id is a 404. Views only parse, fetch through the
selectors and call the one service of each action; the services check the rules, write the timeline and the
audit row, and raise ``ApplicationError`` (400/403/409 with its code).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from grassroots.cases import selectors as case_selectors
from grassroots.cases.models import Case
from grassroots.core.api import ScopedReadOnlyViewSet
from grassroots.core.errors import ApplicationError
from grassroots.organizations.models import Organization
from grassroots.territory.models import Region
from grassroots.whistle import selectors, services
from grassroots.whistle.enums import CallStatus
from grassroots.whistle.forms import callable_departments
from grassroots.whistle.models import Whistle, WhistleCall
from grassroots.whistle.rules import department_ids
from grassroots.whistle.serializers import (
    CallChoiceSerializer,
    CallFeedbackSerializer,
    CallRateSerializer,
    CallReportSerializer,
    ScorecardQuerySerializer,
    ScorecardsQuerySerializer,
    ScoreRowSerializer,
    WhistleCancelSerializer,
    WhistleCloseSerializer,
    WhistleCreateSerializer,
    WhistleDetailSerializer,
    WhistleErrorSerializer,
    WhistleFilterSerializer,
    WhistleListSerializer,
)
from grassroots.whistle.views.common import may_use_whistles, month_from_text, scorecard_department


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(WhistleErrorSerializer, description=description)


NOT_FOUND = _error("No such whistle among those the user may see.")
ACTION_ERRORS = {
    400: _error("Bad input (code whistle_invalid, call_required or call_invalid), with messages per field."),
    403: _error("The user may see the whistle but not do this (code not_allowed)."),
    404: NOT_FOUND,
    409: _error("The whistle's or call's state does not allow it now (code invalid_state)."),
}
BOTH_FORMS = ("application/json", "multipart/form-data")


class MayUseWhistles(BasePermission):
    """Street, community and district staff (view_whistles) and department staff (the calls to them)."""

    message = _("Your role does not give access to this part of the system.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return may_use_whistles(request.user)


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


def _field_error(code: str, field: str, message: str) -> ApplicationError:
    return ApplicationError(code, _("Please correct the errors below."), fields={field: [message]})


def pick_call(*, whistle: Whistle, user: Any, call_id: int | None, action_name: str) -> WhistleCall:
    """The call an action is about: the one named (it must belong to the whistle), or, when none is named, the
    only call of the whistle to the user's department (department staff) or the only live call (rating)."""
    calls = list(whistle.calls.select_related("department").all())
    if call_id is not None:
        for call in calls:
            if call.pk == call_id:
                return call
        raise _field_error("call_invalid", "call", _("This whistle did not call that department."))
    mine = set(department_ids(user))
    candidates = [c for c in calls if c.department_id in mine]
    if not candidates and action_name == "rate":
        candidates = [c for c in calls if c.status != CallStatus.CANCELLED]
    if len(candidates) == 1:
        return candidates[0]
    raise _field_error("call_required", "call", _("Say which department's call this is about."))


def with_calls(queryset: QuerySet[Whistle]) -> QuerySet[Whistle]:
    calls = WhistleCall.objects.select_related("department").order_by("id")
    return queryset.select_related("region", "origin_case").prefetch_related(Prefetch("calls", queryset=calls))


@extend_schema(tags=["whistles"])
@extend_schema_view(
    list=extend_schema(
        summary="List whistles",
        description=(
            "Whistles in the user's scope (street and community staff) or that called the user's department "
            "(department staff), newest first, each with its calls: the department, its task, deadlines, progress "
            "and rating."
        ),
        parameters=[WhistleFilterSerializer],
    ),
    retrieve=extend_schema(
        summary="A whistle with its calls and timeline",
        responses={200: WhistleDetailSerializer, 404: NOT_FOUND},
    ),
)
class WhistleViewSet(ScopedReadOnlyViewSet[Whistle]):
    """Community whistles (吹哨) and the departments called to report on site (报到)."""

    queryset = Whistle.objects.none()
    permission_classes = [IsAuthenticated, MayUseWhistles]
    serializer_class = WhistleDetailSerializer
    list_serializer_class = WhistleListSerializer
    filter_serializer_class = WhistleFilterSerializer

    # -------------------------------------------------------------------------------------------- reads

    def select_list(self, *, user: Any, **filters: Any) -> QuerySet[Whistle]:
        department = filters.pop("department", None)
        return with_calls(selectors.whistle_list(user=user, department_id=department, **filters))

    def select_one(self, *, user: Any, pk: int) -> Whistle:
        try:
            whistle: Whistle = selectors.whistle_get(user=user, pk=pk)
        except Whistle.DoesNotExist as exc:
            raise Http404 from exc
        return whistle

    def respond(self, whistle: Whistle, status_code: int = status.HTTP_200_OK) -> Response:
        """The whistle as it is now (re-read, so the calls and the timeline are fresh)."""
        try:
            shown = with_calls(Whistle.objects.filter(pk=whistle.pk)).get()
        except Whistle.DoesNotExist:  # pragma: no cover - whistles are never deleted
            shown = whistle
        return Response(WhistleDetailSerializer(shown, context=self.get_serializer_context()).data, status=status_code)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.respond(self.get_object())

    # --------------------------------------------------------------------------------------------- blow

    @extend_schema(
        summary="Blow a whistle",
        description=(
            "Community or street staff call one or more departments to a matter, each with its task. Each "
            "department must report on site by the urgency's deadline (urgent 30 minutes, normal 24 hours) and "
            "handle the matter by handle_due. Nothing is written when anything is wrong."
        ),
        request=WhistleCreateSerializer,
        responses={
            201: WhistleDetailSerializer,
            400: _error("Bad input (code whistle_invalid, …), with messages per field."),
            403: _error("The user may not blow a whistle for this region (code not_allowed)."),
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = request.user
        params = parse(WhistleCreateSerializer, request.data, "whistle_invalid")
        region = Region.objects.visible_to(user).filter(pk=params["region"]).first()
        if region is None:
            raise _field_error("whistle_invalid", "region", _("There is no region with this id."))
        origin_case = None
        if params.get("origin_case") is not None:
            try:
                origin_case = case_selectors.case_get(user=user, pk=params["origin_case"])
            except Case.DoesNotExist as exc:
                raise _field_error("whistle_invalid", "origin_case", _("There is no case with this id.")) from exc
        wanted = [c["department"] for c in params["calls"]]
        departments = callable_departments(user).in_bulk(wanted)
        missing = sorted({pk for pk in wanted if pk not in departments})
        if missing:
            raise _field_error(
                "whistle_invalid",
                "calls",
                _("There is no department with the id %(ids)s.") % {"ids": ", ".join(map(str, missing))},
            )
        whistle = services.whistle_blow(
            actor=user,
            region=region,
            title=params["title"],
            description=params["description"],
            urgency=params["urgency"],
            handle_due=params["handle_due"],
            calls=[
                services.CallInput(department=departments[c["department"]], task=c["task"]) for c in params["calls"]
            ],
            origin_case=origin_case,
            request=request._request,
        )
        return self.respond(whistle, status.HTTP_201_CREATED)

    # ------------------------------------------------------------------------------------------ actions

    @extend_schema(
        summary="Acknowledge a call",
        description="The called department says it has the whistle and is on its way.",
        request=CallChoiceSerializer,
        responses={200: WhistleDetailSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: int | None = None) -> Response:
        whistle = self.get_object()
        params = parse(CallChoiceSerializer, request.data, "whistle_invalid")
        call = pick_call(whistle=whistle, user=request.user, call_id=params.get("call"), action_name="acknowledge")
        services.call_acknowledge(call=call, actor=request.user, request=request._request)
        return self.respond(whistle)

    @extend_schema(
        summary="Report on site",
        description=(
            "The called department records that it came on site (报到): who came, a note and a photo "
            "(multipart). Whether it was on time is stored with it."
        ),
        request={form: CallReportSerializer for form in BOTH_FORMS},
        responses={200: WhistleDetailSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def report(self, request: Request, pk: int | None = None) -> Response:
        whistle = self.get_object()
        params = parse(CallReportSerializer, request.data, "whistle_invalid")
        call = pick_call(whistle=whistle, user=request.user, call_id=params.get("call"), action_name="report")
        services.call_report(
            call=call,
            actor=request.user,
            on_site_people=params["on_site_people"],
            note=params.get("note", ""),
            photo=params.get("photo"),
            request=request._request,
        )
        return self.respond(whistle)

    @extend_schema(
        summary="Feed back",
        description="The called department says how it handled the matter; the whistle's staff then rate it.",
        request=CallFeedbackSerializer,
        responses={200: WhistleDetailSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def feedback(self, request: Request, pk: int | None = None) -> Response:
        whistle = self.get_object()
        params = parse(CallFeedbackSerializer, request.data, "whistle_invalid")
        call = pick_call(whistle=whistle, user=request.user, call_id=params.get("call"), action_name="feedback")
        services.call_feedback(call=call, actor=request.user, note=params["note"], request=request._request)
        return self.respond(whistle)

    @extend_schema(
        summary="Rate a department's work",
        description="The whistle's staff rate a call that fed back; a reason is required unless satisfied.",
        request=CallRateSerializer,
        responses={200: WhistleDetailSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def rate(self, request: Request, pk: int | None = None) -> Response:
        whistle = self.get_object()
        params = parse(CallRateSerializer, request.data, "whistle_invalid")
        call = pick_call(whistle=whistle, user=request.user, call_id=params.get("call"), action_name="rate")
        services.call_rate(
            call=call,
            actor=request.user,
            rating=params["rating"],
            reason=params.get("reason", ""),
            request=request._request,
        )
        return self.respond(whistle)

    @extend_schema(
        summary="Close a whistle",
        description=(
            "Close a whistle once every department called has fed back; the case it was blown for closes with it."
        ),
        request=WhistleCloseSerializer,
        responses={200: WhistleDetailSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: int | None = None) -> Response:
        whistle = self.get_object()
        params = parse(WhistleCloseSerializer, request.data, "whistle_invalid")
        services.whistle_close(
            whistle=whistle, actor=request.user, note=params.get("note", ""), request=request._request
        )
        return self.respond(whistle)

    @extend_schema(
        summary="Cancel a whistle",
        description="Call the departments off, saying why.",
        request=WhistleCancelSerializer,
        responses={200: WhistleDetailSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: int | None = None) -> Response:
        whistle = self.get_object()
        params = parse(WhistleCancelSerializer, request.data, "whistle_invalid")
        services.whistle_cancel(
            whistle=whistle, actor=request.user, reason=params.get("reason", ""), request=request._request
        )
        return self.respond(whistle)


@extend_schema(tags=["whistles"])
class DepartmentScorecardViewSet(viewsets.GenericViewSet[Organization]):
    """How the departments answer whistles: a monthly ranking, and one department month by month.

    Figures count only the calls the user may see (a community's staff: the whistles of their community).
    """

    queryset = Organization.objects.none()
    permission_classes = [IsAuthenticated, MayUseWhistles]
    serializer_class = ScoreRowSerializer
    pagination_class = None
    filter_backends: list[Any] = []
    lookup_value_converter = "int"

    @extend_schema(
        summary="Departments ranked for a month",
        parameters=[ScorecardsQuerySerializer],
        responses={200: ScoreRowSerializer(many=True), 400: _error("Bad month (code invalid).")},
    )
    @action(detail=False, methods=["get"])
    def scorecards(self, request: Request) -> Response:
        params = parse(ScorecardsQuerySerializer, request.query_params, "invalid")
        month = month_from_text(params.get("month")) or timezone.localdate().replace(day=1)
        rows = selectors.department_scorecards(user=request.user, month=month)
        return Response(ScoreRowSerializer(rows, many=True).data)

    @extend_schema(
        summary="A department's figures month by month",
        parameters=[ScorecardQuerySerializer],
        responses={200: ScoreRowSerializer(many=True), 404: _error("No such department.")},
    )
    @action(detail=True, methods=["get"])
    def scorecard(self, request: Request, pk: int | None = None) -> Response:
        department = scorecard_department(user=request.user, pk=int(pk or 0))
        params = parse(ScorecardQuerySerializer, request.query_params, "invalid")
        rows = selectors.department_scorecard(user=request.user, department_id=department.pk, months=params["months"])
        return Response(ScoreRowSerializer(rows, many=True).data)


def register(router: SimpleRouter) -> None:
    """Add this app's viewsets to ``router``."""
    router.register("whistles", WhistleViewSet, basename="whistle")
    router.register("departments", DepartmentScorecardViewSet, basename="department")
