"""REST API of persons (read-only, scoped, masked) and the one explicit, audited unmask action."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.accounts.enums import Capability
from grassroots.core.api import ScopedReadOnlyViewSet
from grassroots.people import selectors
from grassroots.people.models import Person, PersonRole
from grassroots.people.serializers import (
    PersonDetailSerializer,
    PersonFilterSerializer,
    PersonListSerializer,
    UnmaskedNumbersSerializer,
    UnmaskSerializer,
)
from grassroots.people.services import UNMASKABLE, person_unmask


@extend_schema(tags=["people"])
@extend_schema_view(
    list=extend_schema(summary="List persons (numbers masked)", parameters=[PersonFilterSerializer]),
    retrieve=extend_schema(summary="A person (numbers masked)"),
)
class PersonViewSet(ScopedReadOnlyViewSet[Person]):
    """Persons within the user's scope. ID and mobile numbers are always masked; ``unmask`` shows them."""

    queryset = Person.objects.none()
    capability = Capability.VIEW_PEOPLE
    serializer_class = PersonDetailSerializer
    list_serializer_class = PersonListSerializer
    filter_serializer_class = PersonFilterSerializer

    def select_list(self, *, user: Any, **filters: Any) -> QuerySet[Person]:
        # The address is not listed: leave it undecrypted.
        return selectors.person_list(user=user, **filters).defer("address")

    def select_one(self, *, user: Any, pk: int) -> Person:
        person = selectors.person_get(user=user, pk=pk)
        prefetch_related_objects(
            [person], "party_membership__organization", Prefetch("roles", queryset=PersonRole.objects.order_by("pk"))
        )
        return person

    @extend_schema(
        summary="Show one person's ID and mobile numbers in clear (audited)",
        request=UnmaskSerializer,
        responses={
            200: UnmaskedNumbersSerializer,
            403: OpenApiResponse(description="The role may see this person but not unmask numbers."),
            404: OpenApiResponse(description="No such person within the user's scope."),
        },
    )
    @action(detail=True, methods=["post"])
    def unmask(self, request: Request, pk: int | None = None) -> Response:
        person = self.get_object()
        params = UnmaskSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        fields = params.validated_data.get("fields") or UNMASKABLE
        values = person_unmask(actor=request.user, person=person, fields=fields, request=request._request)
        return Response(values)
