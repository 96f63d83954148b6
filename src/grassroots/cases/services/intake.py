"""Intake: one ``case_submit`` for every channel (portal, grid worker, walk-in, phone, API, Open311, hotline)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.accounts.enums import Capability
from grassroots.accounts.roles import anchors_for
from grassroots.cases import sla
from grassroots.cases.enums import CaseKind, CaseLevel, CaseStatus, Channel, EventKind, NeedGroup, PhotoStage
from grassroots.cases.models import DESCRIPTION_MAX, Case
from grassroots.cases.routing import PLACE_KINDS, route
from grassroots.cases.services.common import event_add, notify_level
from grassroots.cases.services.photos import photos_check, photos_discarded_on_error, photos_store
from grassroots.catalogue.enums import ServiceMode
from grassroots.catalogue.models import ServiceCategory, ServiceItem
from grassroots.core.audit import audit_record
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditAction
from grassroots.core.personal_data import lookup_hash, normalize_mobile
from grassroots.people.models import Person
from grassroots.territory.models import Region

# Channels through which staff take a case in on a resident's behalf: the actor must handle cases there.
STAFF_CHANNELS = frozenset(
    {Channel.GRID_WORKER, Channel.BUILDING_HEAD, Channel.WALK_IN, Channel.PHONE, Channel.HOTLINE}
)
KIND_PREFIX = {CaseKind.MICRO_WISH: "W", CaseKind.DIFFICULTY: "D", CaseKind.APPOINTMENT: "A", CaseKind.GRID_EVENT: "G"}


@dataclass
class CaseInput:
    """What a caller supplies; ``case_submit`` validates all of it before writing anything."""

    kind: str
    place: Region | None
    description: str
    channel: str
    category: ServiceCategory | None = None
    item: ServiceItem | None = None
    title: str = ""
    need_group: str = ""
    requester: Person | None = None
    requester_name: str = ""
    contact_mobile: str = ""
    contact_email: str = ""
    lat: Decimal | float | None = None
    long: Decimal | float | None = None
    address_text: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)
    # Facts the channel gives about the request (a 12345 ticket number, the time of the call), kept as given in
    # the case's ``attributes`` beside the answers to the item's questions; keys must not clash with those.
    reference: dict[str, str] = field(default_factory=dict)
    slot_start: dt.datetime | None = None
    media_url: str = ""
    station: Any = None


def _err(errors: dict[str, list[str]], name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _check_attributes(item: ServiceItem, answers: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for attribute in item.attributes.all():
        value = answers.get(attribute.code)
        if value in (None, "", []):
            if attribute.required:
                _err(
                    errors,
                    f"attribute[{attribute.code}]",
                    _("Please answer: %(question)s") % {"question": attribute.description},
                )
            continue
        keys = {str(k) for k, _name in attribute.values}
        if attribute.datatype == "singlevaluelist" and str(value) not in keys:
            _err(errors, f"attribute[{attribute.code}]", _("Choose one of the listed answers."))
            continue
        if attribute.datatype == "multivaluelist":
            values = value if isinstance(value, list) else [value]
            if not values or not {str(v) for v in values} <= keys:
                _err(errors, f"attribute[{attribute.code}]", _("Choose from the listed answers."))
                continue
            value = [str(v) for v in values]
        if attribute.datatype == "number":
            try:
                value = float(str(value))
            except (TypeError, ValueError):
                _err(errors, f"attribute[{attribute.code}]", _("Enter a number."))
                continue
        clean[attribute.code] = value if isinstance(value, (list, float)) else str(value)[:500]
    return clean


def handles_place(actor: Any, place: Region) -> bool:
    """Whether the actor may take cases in for this place (a handler whose scope covers it)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if getattr(actor, "is_superuser", False):
        return True
    for anchor in anchors_for(actor, Capability.HANDLE_CASES):
        if anchor.level == "grid" and anchor.community_id == place.community_id:
            return True
        if anchor.pk == {
            "district": place.district_id,
            "street": place.street_id,
            "community": place.community_id,
            "compound": place.compound_id,
        }.get(anchor.level):
            return True
    return False


def _api_requester(actor: Any, data: CaseInput) -> Any:
    """Channel "api": a handler of the place takes the case in for someone; anyone else linked to a person
    (a resident) asks for themself and becomes the requester. Returns that requester user, or None."""
    if data.place is not None and handles_place(actor, data.place):
        return None
    return actor if getattr(actor, "is_authenticated", False) and getattr(actor, "person_id", None) else None


def _check_actor(actor: Any, data: CaseInput, errors: dict[str, list[str]]) -> None:
    if data.place is None:
        return
    if data.channel == Channel.API:
        if handles_place(actor, data.place) or _api_requester(actor, data) is not None:
            return
        raise ApplicationError("not_allowed", _("You cannot take in cases for this place."), status=403)
    if data.channel not in STAFF_CHANNELS:
        return
    place = data.place
    if handles_place(actor, place):
        return
    if data.channel == Channel.BUILDING_HEAD and actor is not None and actor.person_id:
        from grassroots.people.models import PersonRole

        if PersonRole.objects.filter(person_id=actor.person_id, compound_id=place.compound_id).exists():
            return
    raise ApplicationError("not_allowed", _("You cannot take in cases for this place."), status=403)


def case_validate(*, actor: Any, data: CaseInput, now: dt.datetime) -> dict[str, Any]:
    """Check every field; raise one ``case_invalid`` error listing all problems. Returns cleaned values."""
    errors: dict[str, list[str]] = {}
    if data.kind not in CaseKind.values:
        _err(errors, "kind", _("Choose what kind of request this is."))
    if data.channel not in Channel.values:
        _err(errors, "channel", _("Unknown channel."))
    description = (data.description or "").strip()
    if not description:
        _err(errors, "description", _("Describe what is needed."))
    elif len(description) > DESCRIPTION_MAX:
        _err(
            errors,
            "description",
            _("The description can be at most %(max)d characters (it has %(n)d).")
            % {"max": DESCRIPTION_MAX, "n": len(description)},
        )
    title = (data.title or "").strip() or (description.splitlines()[0][:30] if description else "")
    if len(title) > 100:
        _err(errors, "title", _("The title can be at most 100 characters."))
    place = data.place
    if place is None:
        _err(errors, "place", _("Choose where: a compound, building or entrance."))
    elif place.kind not in PLACE_KINDS:
        _err(errors, "place", _("The place must be a compound, building or entrance."))
    item, category = data.item, data.category
    if item is not None:
        if not item.is_active:
            _err(errors, "item", _("This service is not offered at the moment."))
        if category is not None and item.category_id != category.pk:
            _err(errors, "item", _("The service does not belong to the chosen category."))
        category = item.category
    if category is None:
        _err(errors, "category", _("Choose a category."))
    elif not category.is_active:
        _err(errors, "category", _("This category is not in use."))
    if data.need_group and data.need_group not in NeedGroup.values:
        _err(errors, "need_group", _("Unknown resident group."))
    if data.kind == CaseKind.MICRO_WISH and not data.need_group:
        _err(errors, "need_group", _("Say whom the wish is for (elderly living alone, disabled, …)."))
    slot_end = None
    if data.kind == CaseKind.APPOINTMENT:
        if item is None or item.mode != ServiceMode.APPOINTMENT:
            _err(errors, "item", _("Choose a service that takes appointments."))
        elif data.slot_start is None:
            _err(errors, "slot_start", _("Choose a time for the appointment."))
        elif data.slot_start <= now:
            _err(errors, "slot_start", _("The appointment time must be in the future."))
        else:
            slot_end = data.slot_start + dt.timedelta(minutes=item.slot_minutes or 30)
            if place is not None and item.slot_capacity:
                booked = (
                    Case.objects.filter(
                        kind=CaseKind.APPOINTMENT,
                        item=item,
                        community_id=place.community_id,
                        slot_start=data.slot_start,
                    )
                    .exclude(status__in=[CaseStatus.CANCELLED, CaseStatus.REJECTED])
                    .count()
                )
                if booked >= item.slot_capacity:
                    _err(errors, "slot_start", _("This time is fully booked; choose another."))
    mobile = ""
    if data.contact_mobile:
        try:
            mobile = normalize_mobile(data.contact_mobile)
        except ValidationError as exc:
            _err(errors, "contact_mobile", str(exc.messages[0]))
    email = (data.contact_email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            _err(errors, "contact_email", _("Enter a valid e-mail address."))
    lat, long = data.lat, data.long
    if (lat is None) != (long is None):
        _err(errors, "lat", _("Give both latitude and longitude, or neither."))
    elif lat is not None and long is not None:
        try:
            lat, long = (
                Decimal(str(lat)).quantize(Decimal("0.000001")),
                Decimal(str(long)).quantize(Decimal("0.000001")),
            )
            if not (-90 <= lat <= 90 and -180 <= long <= 180):
                raise ValueError
        except (ValueError, ArithmeticError):
            _err(errors, "lat", _("The map point is not a valid latitude and longitude."))
    answers = _check_attributes(item, data.attributes or {}, errors) if item is not None else {}
    if errors:
        raise ApplicationError("case_invalid", _("Please correct the errors below."), fields=errors)
    _check_actor(actor, data, errors)
    return {
        "title": title,
        "description": description,
        "category": category,
        "mobile": mobile,
        "email": email,
        "lat": lat,
        "long": long,
        "answers": answers,
        "slot_end": slot_end,
    }


def deadlines(
    *, category: ServiceCategory, item: ServiceItem | None, start: dt.datetime
) -> tuple[dt.datetime, dt.datetime]:
    policy = item.effective_sla if item is not None else category.sla_policy
    working = policy.hours_kind == "working"
    return (
        sla.add_hours(start, policy.response_hours, working=working),
        sla.add_hours(start, policy.resolution_hours, working=working),
    )


def case_submit(
    *,
    actor: Any,
    data: CaseInput,
    photos: Sequence[UploadedFile] = (),
    open311_client: Any = None,
    accept: bool = False,
    request: Any = None,
    now: dt.datetime | None = None,
) -> Case:
    """Take a case in: validate everything, route it, set its deadlines, write its first timeline rows.

    Nothing is written when anything is wrong. ``accept`` lets a handler who takes a case in accept it at once.
    """
    now = now or timezone.now()
    clean = case_validate(actor=actor, data=data, now=now)
    checked = photos_check(photos)
    with photos_discarded_on_error(), transaction.atomic():
        place = data.place
        assert place is not None
        category: ServiceCategory = clean["category"]
        routed = route(place=place, category=category)
        response_due, resolution_due = deadlines(category=category, item=data.item, start=now)
        if data.channel == Channel.API:
            requester_user = _api_requester(actor, data)
        else:
            requester_user = (
                actor if data.channel in (Channel.PORTAL,) and getattr(actor, "is_authenticated", False) else None
            )
        requester = data.requester
        if requester is None and requester_user is not None:
            requester = getattr(requester_user, "person", None)
        case = Case(
            kind=data.kind,
            status=CaseStatus.PENDING,
            channel=data.channel,
            need_group=data.need_group,
            category=category,
            item=data.item,
            title=clean["title"],
            description=clean["description"],
            attributes={**data.reference, **clean["answers"]},
            place=place,
            grid=routed.grid,
            lat=clean["lat"],
            long=clean["long"],
            address_text=data.address_text[:200],
            station=data.station,
            requester=requester,
            requester_user=requester_user,
            requester_name=(data.requester_name or (requester.name if requester else ""))[:50],
            contact_mobile=clean["mobile"] or None,
            contact_mobile_hash=lookup_hash(clean["mobile"]) if clean["mobile"] else "",
            contact_email=clean["email"] or None,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            level=routed.level,
            assignee_org=routed.assignee_org,
            slot_start=data.slot_start if data.kind == CaseKind.APPOINTMENT else None,
            slot_end=clean["slot_end"],
            submitted_at=now,
            response_due=response_due,
            resolution_due=resolution_due,
            next_escalation_at=response_due,
            open311_client=open311_client,
            open311_token=secrets.token_hex(12) if open311_client is not None else None,
            media_url=data.media_url[:500],
        )
        case.copy_scope_from(place)
        case.save()
        case.number = f"{KIND_PREFIX[CaseKind(data.kind)]}{timezone.localtime(now):%Y%m%d}{case.pk:06d}"
        case.save(update_fields=["number"])
        photos_store(case=case, photos=checked, stage=PhotoStage.INTAKE, actor=actor)
        event_add(
            case=case,
            kind=EventKind.SUBMITTED,
            actor=actor,
            at=now,
            data={"channel": data.channel, "photos": len(checked)},
            label=case.requester_masked if requester_user is not None else None,
        )
        if routed.assignee_org is not None:
            handler = str(routed.assignee_org)
        elif routed.level == CaseLevel.GRID and routed.grid is not None:
            handler = str(routed.grid)
        else:
            handler = Region.objects.filter(pk=place.community_id).values_list("name", flat=True).first() or ""
        event_add(
            case=case,
            kind=EventKind.ROUTED,
            actor=None,
            at=now,
            label=_("System"),
            note=_("Routed to %(level)s %(handler)s") % {"level": case.get_level_display(), "handler": handler},
            data={
                "level": routed.level,
                "grid": routed.grid.pk if routed.grid else None,
                "org": routed.assignee_org.pk if routed.assignee_org else None,
            },
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            target=case,
            changes={"kind": case.kind, "channel": case.channel, "category": category.code},
            request=request,
        )
        notify_level(
            case=case,
            verb="case_new",
            title=_("New case %(number)s: %(title)s") % {"number": case.number, "title": case.title},
        )
        if accept:
            from grassroots.cases.services.flow import case_accept

            case = case_accept(case=case, actor=actor, now=now, request=request)
    return case


def similar_open_cases(
    *, place: Region, category: ServiceCategory | None, text: str = "", limit: int = 5
) -> list[Case]:
    """Open cases at the same building (or compound) in the same category, most alike first.

    For duplicate suggestions at intake; callers show only what the user may see.
    """
    import difflib

    area = {"building": place.pk} if place.kind == "building" else {}
    qs = Case.objects.active().filter(compound_id=place.compound_id)
    if category is not None:
        qs = qs.filter(category=category)
    if place.kind == "entrance":
        qs = qs.filter(place__path__startswith=place.path[: place.steplen * (place.depth - 1)])
    elif area:
        qs = qs.filter(place__path__startswith=place.path)
    candidates = list(qs.order_by("-submitted_at")[:50])
    if text:
        candidates.sort(key=lambda c: -difflib.SequenceMatcher(None, text, c.description[:400]).ratio())
    return candidates[:limit]
