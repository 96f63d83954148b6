"""Open311 GeoReport v2 views: discovery, services, service definitions, requests (GET and POST), one
request, and tokens — each as ``.xml`` or ``.json`` (the format is fixed per URL pattern).

Views only parse, authenticate and call: writes go through ``cases.services.case_submit`` (one path for
every channel); what the public sees is decided in ``feed``. The policy, in short:

- Reading needs no key and shows only cases the public feed admits (``feed.public_cases``: difficulties
  that came in through Open311, and accepted portal reports), district-wide, with no personal data.
  Micro-wishes, appointments and everything staff took in on a resident's behalf are never listed, so the
  feed is the same for everyone and needs no data scope (the scope matrix lists these views as UNSCOPED).
- Submitting needs an ``api_key`` issued to a client by the district admins (403 otherwise). Every Open311
  submission is a difficulty (a problem at a place), routed like any other case; the answer is realtime
  (``service_request_id`` at once) and the case also gets a token, which ``tokens/{token}`` resolves.
- A description containing HTML is refused (400), not stripped: silently changing what a person wrote
  would be worse than asking the client to send plain text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from grassroots.cases.enums import CaseKind, Channel
from grassroots.cases.models import Case
from grassroots.cases.open311 import feed, locate
from grassroots.cases.open311.parsing import (
    Open311Error,
    check_jurisdiction,
    has_html,
    optional,
    parse_attributes,
    parse_coordinate,
    parse_list_query,
)
from grassroots.cases.open311.render import MIME_TYPES, errors_response, respond
from grassroots.cases.services import CaseInput, case_submit, open311_client_authenticate
from grassroots.catalogue.models import ServiceItem
from grassroots.core.errors import ApplicationError
from grassroots.territory.models import Region

# When this endpoint's discovery document last changed.
CHANGESET = dt.datetime(2026, 11, 27, tzinfo=dt.UTC)
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# Field names of ``case_submit``'s errors → the Open311 parameter at fault.
FIELD_PARAMS = {
    "place": "address_id",
    "item": "service_code",
    "category": "service_code",
    "kind": "service_code",
    "title": "description",
    "contact_mobile": "phone",
    "contact_email": "email",
}

View = Callable[..., HttpResponse]


def open311(view: View) -> View:
    """Check ``jurisdiction_id`` and turn every ``Open311Error`` into the spec's error body."""

    @wraps(view)
    def wrapper(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
        try:
            check_jurisdiction(request.POST if request.method == "POST" else request.GET)
            return view(request, fmt, **kwargs)
        except Open311Error as exc:
            return errors_response(fmt, exc.status, exc.errors)

    return wrapper


@require_http_methods(["GET", "HEAD"])
@open311
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    url = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": fmt})).rsplit("/", 1)[0]
    return respond(
        fmt,
        "discovery",
        {
            "changeset": CHANGESET,
            "contact": settings.OPEN311_CONTACT or _("Contact the administrators of the district's platform."),
            "key_service": _("API keys are issued per client by the district's administrators."),
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": url,
                    "changeset": CHANGESET,
                    "type": "test" if settings.DEBUG else "production",
                    "formats": list(MIME_TYPES),
                }
            ],
        },
    )


@require_http_methods(["GET", "HEAD"])
@open311
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    return respond(fmt, "services", [feed.service_data(item) for item in feed.active_items()])


def _item(code: str) -> ServiceItem:
    item = feed.active_items().filter(code=code).first()
    if item is None:
        raise Open311Error.one(404, "service_code", _("Unknown service_code: %(code)s.") % {"code": code[:40]})
    return item


@require_http_methods(["GET", "HEAD"])
@open311
def service_definition(request: HttpRequest, fmt: str, service_code: str) -> HttpResponse:
    return respond(fmt, "service_definition", feed.definition_data(_item(service_code)))


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@open311
def service_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _submit(request, fmt)
    query = parse_list_query(request.GET, now=timezone.now())
    qs = feed.public_cases()
    if query.ids:
        qs = qs.filter(number__in=query.ids)
    else:
        qs = qs.filter(submitted_at__gte=query.start, submitted_at__lte=query.end)
        if query.service_codes:
            qs = qs.filter(item__code__in=query.service_codes)
        if query.statuses == ["open"]:
            qs = qs.filter(status__in=feed.OPEN_STATUSES)
        elif query.statuses == ["closed"]:
            qs = qs.exclude(status__in=feed.OPEN_STATUSES)
    if query.extensions:
        qs = feed.with_notes(qs)
    start = (query.page - 1) * query.page_size
    page = qs.order_by("-submitted_at", "-id")[start : start + query.page_size]
    return respond(fmt, "service_requests", feed.requests_data(page, extensions=query.extensions))


@require_http_methods(["GET", "HEAD"])
@open311
def service_request(request: HttpRequest, fmt: str, service_request_id: str) -> HttpResponse:
    extensions = optional(request.GET, "extensions").lower() == "true"
    qs = feed.public_cases().filter(number=service_request_id)
    cases = list(feed.with_notes(qs) if extensions else qs)
    if not cases:
        raise Open311Error.one(
            404, "service_request_id", _("No public service request has the id %(id)s.") % {"id": service_request_id}
        )
    return respond(fmt, "service_requests", feed.requests_data(cases, extensions=extensions))


@require_http_methods(["GET", "HEAD"])
@open311
def token(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    number = Case.objects.filter(open311_token=token, channel=Channel.OPEN311).values_list("number", flat=True).first()
    if number is None:
        raise Open311Error.one(404, "token", _("Unknown token."))
    return respond(fmt, "service_requests", [{"service_request_id": number, "token": token}])


def _location(params: QueryDict, errors: list[tuple[str, str]]) -> tuple[Region | None, float | None, float | None]:
    """The place and the map point of a submission, from ``address_id``, ``lat``+``long`` or
    ``address_string`` (tried in that order); problems are added to ``errors``."""
    lat_raw, long_raw = optional(params, "lat"), optional(params, "long")
    lat = lon = None
    try:
        if lat_raw or long_raw:
            if not (lat_raw and long_raw):
                raise Open311Error.one(400, "lat" if not lat_raw else "long", _("Give both lat and long."))
            lat = parse_coordinate(lat_raw, name="lat", limit=90)
            lon = parse_coordinate(long_raw, name="long", limit=180)
        if address_id := optional(params, "address_id"):
            return locate.place_by_id(address_id), lat, lon
        if lat is not None and lon is not None:
            return locate.place_by_point(lat, lon), lat, lon
        if address_string := optional(params, "address_string"):
            return locate.place_by_text(address_string), lat, lon
        if not (lat_raw or long_raw):
            errors.append(("location", _("Give the location: address_id, lat and long, or address_string.")))
    except Open311Error as exc:
        errors.extend(exc.errors)
    return None, lat, lon


def _requester_name(first: str, last: str) -> str:
    """家名在前: 张 + 伟 → 张伟; Latin names keep "first last"."""
    if (first + last).isascii():
        return f"{first} {last}".strip()
    return f"{last}{first}"


def _submit(request: HttpRequest, fmt: str) -> HttpResponse:
    params = request.POST
    client = open311_client_authenticate(key=optional(params, "api_key"))
    if client is None:
        raise Open311Error.one(403, "api_key", _("A valid api_key is required to submit a service request."))
    code = optional(params, "service_code")
    if not code:
        raise Open311Error.one(400, "service_code", _("service_code is required."))
    item = _item(code)
    errors: list[tuple[str, str]] = []
    place, lat, lon = _location(params, errors)
    description = optional(params, "description") or item.name
    if has_html(description):
        errors.append(("description", _("The description must be plain text, without HTML.")))
    media_url = optional(params, "media_url")
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
            if len(media_url) > 500:
                raise ValidationError("too long")
        except ValidationError:
            errors.append(("media_url", _("media_url must be an http or https link of at most 500 characters.")))
    if errors:
        raise Open311Error(400, errors)
    data = CaseInput(
        kind=CaseKind.DIFFICULTY,
        place=place,
        description=description,
        channel=Channel.OPEN311,
        item=item,
        requester_name=_requester_name(optional(params, "first_name"), optional(params, "last_name"))[:50],
        contact_mobile=optional(params, "phone"),
        contact_email=optional(params, "email"),
        lat=lat,
        long=lon,
        address_text=optional(params, "address_string")[:200],
        attributes=parse_attributes(params),
        media_url=media_url,
    )
    try:
        case = case_submit(actor=None, data=data, open311_client=client, request=request)
    except ApplicationError as exc:
        listed = [
            (FIELD_PARAMS.get(name, name), message) for name, messages in exc.fields.items() for message in messages
        ]
        raise Open311Error(
            exc.status if exc.status in (403, 404) else 400, listed or [(exc.code, exc.message)]
        ) from exc
    return respond(
        fmt,
        "service_requests",
        [{"service_request_id": case.number, "service_notice": feed.service_notice(item.effective_sla)}],
    )
