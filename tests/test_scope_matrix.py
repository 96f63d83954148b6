"""The scope matrix: every URL pattern of the project, tried by a user of another community.

Patterns are enumerated from the URL resolver, so an endpoint added later is covered without editing this test:
each pattern must either be found to serve a scoped model (a DRF view's queryset, a class-based view's ``model``,
a function view's ``scoped_model``, or a ModelAdmin) or be listed in ``UNSCOPED`` with the reason.

For a scoped object endpoint the 东岳社区 worker asks for an object of 北辰社区 (by GET and by POST) and must get
403/404 (or a redirect away, for the admin) and never the object's name; for every list endpoint the page must
not contain "北辰". The 东岳 worker is made ``is_staff`` here so that the admin's scoping is exercised too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from grassroots.core.models import AuditEvent
from tests.conftest import SIBLING_MARK, World

# Patterns that serve no territory data, by name (or route prefix), and why.
UNSCOPED: dict[str, str] = {
    "login": "the login form",
    "logout": "logs out",
    "set_language": "language switch",
    "javascript-catalog": "translations",
    "schema": "the OpenAPI document describes routes, not data",
    "swagger-ui": "API documentation page",
    "redoc": "API documentation page",
    "api-token": "token login",
    "metric-list": "metric definitions: no territory data",
    "metric-values": "values for the region asked, only if Region.visible_to(user) holds it (tests/cockpit)",
    "admin:index": "admin index: lists only models the user may see",
    "admin:login": "admin login",
    "admin:logout": "admin logout",
    "admin:password_change": "the user's own password",
    "admin:password_change_done": "the user's own password",
    "admin:jsi18n": "translations",
    "admin:view_on_site": "redirects to the object's page, which is itself scoped",
    "admin:autocomplete": "autocomplete goes through each ModelAdmin's scoped queryset",
    "admin:app_list": "lists only models the user may see",
    "favicon": "redirects to the static icon",
    "portal:help": "a static placeholder page",
    "portal:login": "resident sign-in form (mobile number)",
    "portal:verify": "sign-in code form; the number is kept in the session, never in the URL",
    "portal:logout": "logs out",
    "portal:me": "the signed-in resident's own record only (read through request.user.person)",
    "portal:board": "public community boards: street and community names only (tests/portal/test_board.py)",
    "portal:board_detail": "a public community board: aggregate figures and public service info, no personal data",
    "open311:discovery": "Open311 discovery document: no data",
    "open311:services": "Open311 service list: the district-wide catalogue, no territory rows",
    "open311:service_definition": "Open311 service definition: catalogue questions, no territory rows",
    "open311:requests": "Open311 public feed: only cases the public may see (Open311 and accepted portal reports), no personal data; POST needs an api_key",
    "open311:request": "Open311 public feed: one public case, no personal data",
    "open311:token": "Open311 token → public request id only",
    "notifications:inbox": "the signed-in user's own notifications only (recipient = request.user)",
    "notifications:read": "marks one of the user's own notifications read; another user's is a 404",
    "notifications:read_all": "marks the user's own notifications read",
    "catalogue:open311_client_list": "Open311 keys: district-wide configuration, no territory rows (manage_catalogue)",
    "catalogue:open311_client_create": "issues an Open311 key: no territory rows (manage_catalogue)",
    "catalogue:open311_client_deactivate": "withdraws an Open311 key: no territory rows (manage_catalogue)",
}


@dataclass
class Endpoint:
    route: str
    name: str
    callback: Any
    kwargs: list[str]

    def model(self) -> type[models.Model] | None:
        cb = self.callback
        if getattr(cb, "model_admin", None) is not None:
            return cb.model_admin.model  # type: ignore[no-any-return]
        for holder in (getattr(cb, "cls", None), getattr(cb, "view_class", None), cb):
            if holder is None:
                continue
            scoped = getattr(holder, "scoped_model", None) or getattr(holder, "model", None)
            if isinstance(scoped, type) and issubclass(scoped, models.Model):
                return scoped
            queryset = getattr(holder, "queryset", None)
            if queryset is not None:
                return queryset.model  # type: ignore[no-any-return]
        return None


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Endpoint]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            kwargs = list(p.pattern.regex.groupindex)
            yield Endpoint(route, f"{namespace}{p.name}" if p.name else "", p.callback, kwargs)


ENDPOINTS = list(_walk(get_resolver().url_patterns))


# Patterns without a name, by route.
UNSCOPED_ROUTES: dict[str, str] = {
    "admin/(?P<url>.*)$": "the admin's catch-all: redirects to login or answers 404",
}


def _is_unscoped(ep: Endpoint) -> bool:
    return (
        ep.name in UNSCOPED
        or ep.route in UNSCOPED_ROUTES
        or ep.route.startswith(("static/", "media/", "^static/", "^media/"))
    )


def _url(route: str, values: dict[str, Any]) -> str:
    """Fill a route (path converters or regex groups) with values."""
    url = re.sub(r"\\\.\(\?P<format>[^)]*\)\??", "", route)
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values.get(m.group(1), 1)), url)
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values.get(m.group(1), 1)), url)
    url = url.replace("^", "").replace("$", "").replace("\\", "")
    url = re.sub(r"\(\?:[^)]*\)\??", "", url)
    return "/" + url.lstrip("/")


def _sibling_object(model: type[models.Model], world: World) -> models.Model | None:
    fields: dict[str, str] = getattr(model, "SCOPE_FIELDS", {})
    lookup = fields.get("community")
    beichen = world.communities["beichen"].region
    if lookup:
        return model._default_manager.filter(**{f"{lookup}_id": beichen.pk}).order_by("pk").first()
    return None


def test_every_pattern_is_classified() -> None:
    unknown = [ep.route for ep in ENDPOINTS if not _is_unscoped(ep) and ep.model() is None]
    assert not unknown, f"URL patterns with no scoped model and not listed in UNSCOPED: {unknown}"


def test_the_matrix_covers_the_foundation_endpoints() -> None:
    routes = " ".join(ep.route for ep in ENDPOINTS)
    for needle in (
        "api/v1/regions/",
        "api/v1/grids/",
        "api/v1/organizations/",
        "api/v1/persons/",
        "persons/",
        "admin/",
    ):
        assert needle in routes


@pytest.fixture
def sibling_records(world: World) -> None:
    """Rows of later apps in 北辰社区, so that their endpoints are exercised too (names carry "北辰")."""
    from grassroots.cases.enums import CaseKind, Channel, NeedGroup
    from grassroots.cases.services import CaseInput, case_fulfil, case_submit
    from grassroots.catalogue.models import ServiceCategory
    from grassroots.catalogue.services import catalogue_install_defaults

    catalogue_install_defaults()
    bc = world.communities["beichen"]
    for kind, title in ((CaseKind.MICRO_WISH, "北辰老人的微心愿"), (CaseKind.DIFFICULTY, "北辰楼道堆物")):
        case = case_submit(
            actor=world.users["sibling_staff"],
            data=CaseInput(
                kind=kind,
                place=bc.entrance,
                title=title,
                description=f"{title}：请帮忙",
                channel=Channel.WALK_IN,
                category=ServiceCategory.objects.get(code="elderly"),
                need_group=NeedGroup.ELDERLY_ALONE if kind == CaseKind.MICRO_WISH else "",
                requester_name="北辰居民",
                contact_mobile="13900000001",
            ),
            accept=True,
        )
    from grassroots.cases.services import case_claim

    case = case_claim(case=case, actor=world.users["sibling_staff"], on_behalf_of=bc.organization)
    case_fulfil(case=case, actor=world.users["sibling_staff"], note="北辰已处理", residents_served=1)


@pytest.fixture
def outsider(world: World, sibling_records: None) -> Client:
    user = world.users["community_staff"]
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(user)
    return client


def test_object_endpoints_refuse_another_communitys_objects(world: World, outsider: Client) -> None:
    checked = 0
    unmask_before = AuditEvent.objects.filter(action="unmask").count()
    problems: list[str] = []
    for ep in ENDPOINTS:
        model = ep.model()
        if _is_unscoped(ep) or model is None or not ep.kwargs:
            continue
        obj = _sibling_object(model, world)
        if obj is None:
            continue  # models without a community (e.g. users) are covered by the list check below
        values = {k: obj.pk for k in ep.kwargs}
        url = _url(ep.route, values)
        for method in ("get", "post"):
            response = getattr(outsider, method)(url)
            denied = response.status_code in (403, 404, 405) or (
                response.status_code == 302 and str(obj.pk) not in response.get("Location", "").split("?")[0]
            )
            if not denied or str(obj).encode() in response.content:
                problems.append(f"{method.upper()} {url} ({ep.name}) → {response.status_code}")
        checked += 1
    assert not problems, problems
    assert checked >= 8
    assert AuditEvent.objects.filter(action="unmask").count() == unmask_before
    # nothing of 北辰 was changed or deleted by the POSTs
    assert world.communities["beichen"].persons[0].__class__.objects.filter(name__startswith=SIBLING_MARK).count() == 2


def test_list_endpoints_show_no_row_of_another_community(world: World, outsider: Client) -> None:
    problems: list[str] = []
    listed = 0
    for ep in ENDPOINTS:
        if ep.kwargs or "(?P<" in ep.route or "<" in ep.route:
            continue
        url = _url(ep.route, {})
        response = outsider.get(url)
        if response.status_code == 200:
            listed += 1
            body = response.content.decode(errors="replace")
            if SIBLING_MARK in body or SIBLING_MARK.encode("unicode_escape").decode() in body:
                problems.append(f"{url} ({ep.name}) shows {SIBLING_MARK}")
    assert not problems, problems
    assert listed >= 8
