"""Unit reports (单位报到) and member reports (个人报到): scoped lists and details, submission and decisions.

Community and street staff see the reports to their communities; a unit's admin sees its own unit's reports
and members; a party member sees their own reports. Submitting and deciding go through the reporting services.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.accounts.enums import Capability, Role
from grassroots.accounts.roles import organizations_for
from grassroots.core.api import ScopedReadOnlyViewSet
from grassroots.core.errors import ApplicationError
from grassroots.core.scope import scope_q
from grassroots.frontline.api.common import ACTION_ERRORS, CREATE_ERRORS, NOT_FOUND, parse, resolve, resolve_optional
from grassroots.frontline.enums import ReportChannel
from grassroots.frontline.models import MemberReport, UnitReport
from grassroots.frontline.rules.reporting import covers
from grassroots.frontline.selectors import reporting as selectors
from grassroots.frontline.serializers import (
    MemberDecisionSerializer,
    MemberReportCreateSerializer,
    MemberReportFilterSerializer,
    MemberReportSerializer,
    ReportFilterSerializer,
    UnitDecisionSerializer,
    UnitReportCreateSerializer,
    UnitReportDetailSerializer,
    UnitReportListSerializer,
)
from grassroots.frontline.services.reporting import (
    CommitmentInput,
    ResourceInput,
    member_report_decide,
    member_report_submit,
    member_report_withdraw,
    unit_report_decide,
    unit_report_submit,
    unit_report_withdraw,
)
from grassroots.organizations.models import Organization
from grassroots.people.models import Person
from grassroots.territory.models import Region


def nameable_persons(user: Any) -> QuerySet[Person]:
    """The persons a user may report for: people of their frontline scope and their units' in-service members."""
    units = organizations_for(user, Role.UNIT_ADMIN)
    return Person.objects.filter(
        scope_q(Person, user, Capability.MANAGE_FRONTLINE) | Q(party_membership__home_unit_id__in=units)
    )


@extend_schema(tags=["frontline"])
@extend_schema_view(
    list=extend_schema(
        summary="List unit reports",
        description=(
            "Reports of units to the communities in the user's scope; a unit's admin sees their unit's reports."
        ),
        parameters=[ReportFilterSerializer],
    ),
    retrieve=extend_schema(
        summary="A unit report with its commitments, resources and projects",
        responses={200: UnitReportDetailSerializer, 404: NOT_FOUND},
    ),
)
class UnitReportViewSet(ScopedReadOnlyViewSet[UnitReport]):
    """A unit's party organisation reports to a community under a co-construction agreement."""

    queryset = UnitReport.objects.none()
    permission_classes = [IsAuthenticated]  # rows are scoped by the selectors (staff by region, admins by unit)
    serializer_class = UnitReportDetailSerializer
    list_serializer_class = UnitReportListSerializer
    filter_serializer_class = ReportFilterSerializer

    def select_list(self, *, user: Any, **filters: Any) -> QuerySet[UnitReport]:
        return selectors.unit_report_list(user=user, **filters)

    def select_one(self, *, user: Any, pk: int) -> UnitReport:
        try:
            return selectors.unit_report_get(user=user, pk=pk)
        except ObjectDoesNotExist:
            raise Http404 from None

    def respond(self, report: UnitReport, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = UnitReport.objects.select_related("unit", "region").get(pk=report.pk)
        return Response(UnitReportDetailSerializer(fresh).data, status=status_code)

    @extend_schema(
        summary="Report a unit to a community",
        description=(
            "The unit's admin (or staff in scope) reports the unit to a community with the agreement, its "
            "commitments and its resources. Nothing is written when anything is wrong."
        ),
        request=UnitReportCreateSerializer,
        responses={201: UnitReportDetailSerializer, **CREATE_ERRORS},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        params = parse(UnitReportCreateSerializer, request.data, "unit_report_invalid")
        unit_id = params.get("unit")
        if unit_id is None:
            units = organizations_for(request.user, Role.UNIT_ADMIN)
            if len(units) != 1:
                raise ApplicationError(
                    "unit_report_invalid",
                    _("Please correct the errors below."),
                    fields={"unit": [_("Say which unit is reporting.")]},
                )
            unit_id = units[0]
        unit = resolve(
            Organization.objects.all(),
            unit_id,
            code="unit_report_invalid",
            field="unit",
            message=_("There is no such organisation."),
        )
        community = resolve(
            Region.objects.all(),
            params["community"],
            code="unit_report_invalid",
            field="community",
            message=_("There is no community with this id."),
        )
        report = unit_report_submit(
            actor=request.user,
            unit=unit,
            community=community,
            agreement_title=params["agreement_title"],
            agreement_start=params["agreement_start"],
            agreement_end=params["agreement_end"],
            commitments=[CommitmentInput(c["text"], c["yearly_target"]) for c in params.get("commitments") or []],
            resources=[
                ResourceInput(r["kind"], r["description"], r.get("quantity", "")) for r in params.get("resources") or []
            ],
            contact_name=params.get("contact_name", ""),
            request=request._request,
        )
        return self.respond(report, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Confirm or return a unit report",
        description="Community or street staff confirm the report (accept=true) or return it with a note.",
        request=UnitDecisionSerializer,
        responses={200: UnitReportDetailSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: int | None = None) -> Response:
        report = self.get_object()
        params = parse(UnitDecisionSerializer, request.data, "invalid")
        decided = unit_report_decide(
            report=report, actor=request.user, accept=params["accept"], note=params["note"], request=request._request
        )
        return self.respond(decided)

    @extend_schema(
        summary="Withdraw a unit report",
        description="The unit's admin withdraws a report that is awaiting confirmation or confirmed.",
        request=None,
        responses={200: UnitReportDetailSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: int | None = None) -> Response:
        report = self.get_object()
        return self.respond(unit_report_withdraw(report=report, actor=request.user, request=request._request))


@extend_schema(tags=["frontline"])
@extend_schema_view(
    list=extend_schema(
        summary="List member reports",
        description=(
            "Reports of in-service party members to the communities and compounds in the user's scope; a unit's "
            "admin sees their unit's members; a member sees their own."
        ),
        parameters=[MemberReportFilterSerializer],
    ),
    retrieve=extend_schema(summary="A member report", responses={200: MemberReportSerializer, 404: NOT_FOUND}),
)
class MemberReportViewSet(ScopedReadOnlyViewSet[MemberReport]):
    """An in-service party member reports to the community or compound where they live, taking service posts."""

    queryset = MemberReport.objects.none()
    permission_classes = [IsAuthenticated]
    serializer_class = MemberReportSerializer
    filter_serializer_class = MemberReportFilterSerializer

    def select_list(self, *, user: Any, **filters: Any) -> QuerySet[MemberReport]:
        return selectors.member_report_list(user=user, **filters)

    def select_one(self, *, user: Any, pk: int) -> MemberReport:
        try:
            return selectors.member_report_get(user=user, pk=pk)
        except ObjectDoesNotExist:
            raise Http404 from None

    def respond(self, report: MemberReport, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = MemberReport.objects.select_related("person", "home_unit", "region").get(pk=report.pk)
        return Response(MemberReportSerializer(fresh).data, status=status_code)

    @extend_schema(
        summary="Report a party member to a community",
        description=(
            "An in-service party member reports themself (person omitted) to the community or compound where "
            "they live, taking one to three service posts; community staff may report a member for them."
        ),
        request=MemberReportCreateSerializer,
        responses={201: MemberReportSerializer, **CREATE_ERRORS},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        params = parse(MemberReportCreateSerializer, request.data, "member_report_invalid")
        region = resolve(
            Region.objects.all(),
            params["region"],
            code="member_report_invalid",
            field="region",
            message=_("There is no community or compound with this id."),
        )
        person = resolve_optional(
            nameable_persons(request.user),
            params.get("person"),
            code="member_report_invalid",
            field="person",
            message=_("There is no such person among those you may report."),
        )
        channel = ReportChannel.SELF
        if person is not None:
            channel = ReportChannel.STAFF if covers(request.user, region) else ReportChannel.ROSTER
        report = member_report_submit(
            actor=request.user,
            region=region,
            posts=list(params["posts"]),
            skills=params.get("skills", ""),
            person=person,
            channel=channel,
            request=request._request,
        )
        return self.respond(report, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Confirm or return a member report",
        description=(
            "Community staff confirm the report (confirm=true: the member may then claim the community's wishes "
            "and earns the reporting points) or return it with a note."
        ),
        request=MemberDecisionSerializer,
        responses={200: MemberReportSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: int | None = None) -> Response:
        report = self.get_object()
        params = parse(MemberDecisionSerializer, request.data, "invalid")
        decided = member_report_decide(
            report=report, actor=request.user, confirm=params["confirm"], note=params["note"], request=request._request
        )
        return self.respond(decided)

    @extend_schema(
        summary="Withdraw a member report",
        description="The member (or staff) withdraws a report that is awaiting confirmation or confirmed.",
        request=None,
        responses={200: MemberReportSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: int | None = None) -> Response:
        report = self.get_object()
        return self.respond(member_report_withdraw(report=report, actor=request.user, request=request._request))
