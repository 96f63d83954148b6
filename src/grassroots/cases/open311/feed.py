"""What the public Open311 answers contain: the service list, service definitions and service requests.

Public means personal-data-free. A request carries no requester name, mobile number, e-mail, the address as
the person typed it (it may be a home address), photos, claimer person or rating comment; its ``address``
is the name path of the place (street, community, compound → building → entrance), its
``agency_responsible`` an organisation, grid or region — never a person. Mobile numbers, e-mail addresses
and the requester's own name are masked inside descriptions too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from grassroots.cases.enums import CaseKind, CaseLevel, CaseStatus, Channel
from grassroots.cases.models import Case, CaseEvent
from grassroots.catalogue.models import ServiceAttribute, ServiceItem, SlaPolicy
from grassroots.core.personal_data import mask_mobile, mask_name
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Region

# Kinds of case that are reports about a place. Micro-wishes carry a vulnerable resident's need and
# appointments a person's booking: neither is ever listed.
PUBLIC_KINDS = (CaseKind.DIFFICULTY, CaseKind.GRID_EVENT)
OPEN_STATUSES = frozenset({CaseStatus.PENDING, CaseStatus.OPEN, CaseStatus.IN_PROGRESS})
ADDRESS_KINDS = (RegionKind.STREET, RegionKind.COMMUNITY, RegionKind.COMPOUND, RegionKind.BUILDING, RegionKind.ENTRANCE)
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII)


def public_cases() -> QuerySet[Case]:
    """Every case the public feed may show.

    - what came in through Open311 itself, whatever its state: its client published it, and must be able to
      follow it (a request not accepted shows as closed, with the reason);
    - what a resident reported through the portal, once the community has accepted it (checked it is a real
      report about a place), and never while it is pending or after it was not accepted.

    Cases taken in by staff (walk-in, phone, grid worker, building head, 12345 hotline, API, import) stay
    internal: the resident did not choose a public channel.
    """
    return (
        Case.objects.filter(kind__in=PUBLIC_KINDS, number__isnull=False)
        .filter(Q(channel=Channel.OPEN311) | Q(channel=Channel.PORTAL, verified_at__isnull=False))
        .select_related(
            "item__sla_policy",
            "item__category__sla_policy",
            "category__sla_policy",
            "place",
            "grid",
            "community",
            "street",
            "assignee_org",
            "claimer_org",
        )
    )


def with_notes(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.prefetch_related(
        Prefetch("events", queryset=CaseEvent.objects.filter(public=True).order_by("at", "id"), to_attr="public_events")
    )


def active_items() -> QuerySet[ServiceItem]:
    return (
        ServiceItem.objects.filter(is_active=True, category__is_active=True)
        .select_related("category", "sla_policy", "category__sla_policy")
        .annotate(has_attributes=Exists(ServiceAttribute.objects.filter(item=OuterRef("pk"))))
    )


def service_data(item: ServiceItem) -> dict[str, Any]:
    return {
        "service_code": item.code,
        "service_name": item.name,
        "description": item.description,
        "metadata": bool(item.has_attributes) if hasattr(item, "has_attributes") else item.attributes.exists(),
        "type": "realtime",
        "keywords": item.keywords,
        "group": item.category.name,
    }


def _datatype_description(datatype: str) -> str:
    return {
        "number": _("A number."),
        "datetime": _("A date and time, such as 2026-11-27T10:00:00+08:00."),
        "singlevaluelist": _("One of the listed keys."),
        "multivaluelist": _("One or more of the listed keys, as attribute[code][]."),
    }.get(datatype, "")


def definition_data(item: ServiceItem) -> dict[str, Any]:
    return {
        "service_code": item.code,
        "attributes": [
            {
                "variable": True,
                "code": attribute.code,
                "datatype": attribute.datatype,
                "required": attribute.required,
                "datatype_description": _datatype_description(attribute.datatype),
                "order": attribute.order,
                "description": attribute.description,
                "values": [{"key": str(key), "name": str(name)} for key, name in attribute.values or []],
            }
            for attribute in item.attributes.order_by("order", "code")
        ],
    }


def service_notice(policy: SlaPolicy) -> str:
    values = {"response": policy.response_hours, "resolution": policy.resolution_hours}
    if policy.hours_kind == "working":
        return (
            _(
                "We respond within %(response)d working hours and aim to resolve the request within %(resolution)d working hours."
            )
            % values
        )
    return (
        _("We respond within %(response)d hours and aim to resolve the request within %(resolution)d hours.") % values
    )


def _policy(case: Case) -> SlaPolicy:
    return case.item.effective_sla if case.item is not None else case.category.sla_policy


def addresses(cases: Iterable[Case]) -> dict[int, str]:
    """Each case's place as a name path, general to specific, in one query: 名山街道东岳社区东岳花园1栋1单元
    (a name that repeats the one above it, as 东岳花园1栋 repeats 东岳花园, replaces it)."""
    cases = list(cases)
    paths = {
        case.place.path[: case.place.steplen * depth] for case in cases for depth in range(1, case.place.depth + 1)
    }
    by_path = {r.path: r for r in Region.objects.filter(path__in=paths, kind__in=ADDRESS_KINDS).only("path", "name")}
    result: dict[int, str] = {}
    for case in cases:
        names: list[str] = []
        for depth in range(1, case.place.depth + 1):
            region = by_path.get(case.place.path[: case.place.steplen * depth])
            if region is None:
                continue
            if names and region.name.startswith(names[-1]):
                names[-1] = region.name
            else:
                names.append(region.name)
        result[case.pk] = "".join(names)
    return result


def public_text(case: Case) -> str:
    """The description with mobile numbers, e-mail addresses and the requester's name masked."""
    text = MOBILE.sub(lambda m: mask_mobile(m.group(0)), case.description)
    text = EMAIL.sub(lambda m: "***@" + m.group(0).rsplit("@", 1)[1], text)
    name = case.requester_name.strip()
    if len(name) >= 2:
        text = text.replace(name, mask_name(name))
    return text


def agency(case: Case) -> str:
    """Who handles it, as an organisation or a place: never a person's name."""
    if case.claimer_org is not None:
        return case.claimer_org.name
    if case.assignee_org is not None:
        return case.assignee_org.name
    if case.level == CaseLevel.GRID and case.grid is not None:
        return case.grid.name
    if case.level == CaseLevel.STREET and case.street is not None:
        return case.street.name
    return case.community.name if case.community is not None else ""


def status_notes(case: Case) -> str:
    label = str(case.get_status_display())
    if case.status == CaseStatus.REJECTED and case.reject_reason:
        return _("%(status)s: %(reason)s") % {"status": label, "reason": case.reject_reason}
    return label


def request_data(case: Case, *, address: str, extensions: bool = False) -> dict[str, Any]:
    is_open = case.status in OPEN_STATUSES
    updated = case.updated_at if is_open else (case.closed_at or case.fulfilled_at or case.updated_at)
    data: dict[str, Any] = {
        "service_request_id": case.number,
        "status": "open" if is_open else "closed",
        "status_notes": status_notes(case),
        "service_name": case.item.name if case.item is not None else case.category.name,
        "service_code": case.item.code if case.item is not None else "",
        "description": public_text(case),
        "agency_responsible": agency(case),
        "service_notice": service_notice(_policy(case)),
        "requested_datetime": case.submitted_at,
        "updated_datetime": updated,
        "expected_datetime": case.resolution_due,
        "address": address,
        "address_id": case.place.code,
        "zipcode": None,
        "lat": float(case.lat) if case.lat is not None else None,
        "long": float(case.long) if case.long is not None else None,
        "media_url": case.media_url or None,
    }
    if extensions:
        data["extended_attributes"] = {
            "status": case.status,
            "status_label": str(case.get_status_display()),
            "kind": case.kind,
            "level": CaseLevel(case.level).name.lower(),
            "overdue": case.is_overdue,
        }
        data["notes"] = [
            {"datetime": event.at, "description": str(event.get_kind_display()), "type": event.kind}
            for event in getattr(case, "public_events", [])
        ]
    return data


def requests_data(cases: Iterable[Case], *, extensions: bool = False) -> list[dict[str, Any]]:
    cases = list(cases)
    names = addresses(cases)
    return [request_data(case, address=names[case.pk], extensions=extensions) for case in cases]
