"""The life of a case after intake: accept, reject, claim, release, fulfil, rate, escalate, cancel, note, sweep.

Each function is the one path for its action (pages, API, phone and imports call it): it locks or
conditionally updates the row, checks the transition and the actor, writes the timeline and the audit row,
and notifies after commit. Claims use a conditional UPDATE so that of many simultaneous presses exactly one
wins on PostgreSQL as on SQLite.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.accounts.enums import Role
from grassroots.cases import rules, signals, sla
from grassroots.cases.enums import (
    CLAIMABLE_KINDS,
    CaseStatus,
    ClaimOutcome,
    EventKind,
    PhotoStage,
    Satisfaction,
)
from grassroots.cases.models import Case, CaseClaim
from grassroots.cases.services.common import (
    audit_transition,
    event_add,
    lock,
    notify_level,
    notify_requester,
    staff_url,
)
from grassroots.cases.services.photos import photos_check, photos_discarded_on_error, photos_store
from grassroots.cockpit.rollups.engine import tracking as rollups_tracking
from grassroots.core.errors import ApplicationError
from grassroots.notifications.services import notify
from grassroots.organizations.enums import UNIT_KINDS, OrganizationKind
from grassroots.organizations.models import Organization

CLAIMING_ORG_KINDS = frozenset(
    {
        *UNIT_KINDS,
        OrganizationKind.VOLUNTEER_TEAM,
        OrganizationKind.COMMUNITY_COMMITTEE,
        OrganizationKind.SOCIAL_ORGANIZATION,
        OrganizationKind.BRANCH,
        OrganizationKind.VANGUARD_SQUAD,
        OrganizationKind.PROPERTY_COMPANY,
    }
)


def _minutes(start: dt.datetime | None, end: dt.datetime) -> int | None:
    return None if start is None else max(int((end - start).total_seconds() // 60), 0)


def _policy(case: Case) -> Any:
    return case.item.effective_sla if case.item_id and case.item is not None else case.category.sla_policy


def _after(case: Case, start: dt.datetime, hours: int) -> dt.datetime:
    return sla.add_hours(start, hours, working=_policy(case).hours_kind == "working")


def _state_error(case: Case) -> ApplicationError:
    return ApplicationError(
        "invalid_state",
        _("This case is %(status)s; that cannot be done now.") % {"status": case.get_status_display()},
        status=409,
    )


def _require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise ApplicationError("not_allowed", message or _("You are not allowed to do this."), status=403)


@transaction.atomic
def case_accept(*, case: Case, actor: Any, note: str = "", request: Any = None, now: dt.datetime | None = None) -> Case:
    """Accept (受理) a pending case; a micro-wish accepted here is verified and goes on the wish wall."""
    now = now or timezone.now()
    case = lock(case)
    _require(rules.can_handle(actor, case))
    if case.status != CaseStatus.PENDING:
        raise _state_error(case)
    before = case.status
    case.status = CaseStatus.OPEN if case.kind in CLAIMABLE_KINDS else CaseStatus.IN_PROGRESS
    case.verified_at = now
    if case.responded_at is None:
        case.responded_at = now
        case.response_minutes = _minutes(case.submitted_at, now)
    case.next_escalation_at = case.resolution_due
    case.save()
    event_add(case=case, kind=EventKind.ACCEPTED, actor=actor, at=now, from_status=before, note=note)
    audit_transition(case=case, actor=actor, from_status=before, detail="accept", request=request)
    notify_requester(
        case=case, verb="case_accepted", title=_("Your request %(number)s has been accepted") % {"number": case.number}
    )
    return case


@transaction.atomic
def case_reject(*, case: Case, actor: Any, reason: str, request: Any = None, now: dt.datetime | None = None) -> Case:
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(
            "reason_required",
            _("Give the reason, so the resident knows why."),
            fields={"reason": [_("This field is required.")]},
        )
    case = lock(case)
    _require(rules.can_handle(actor, case))
    if case.status != CaseStatus.PENDING:
        raise _state_error(case)
    before = case.status
    case.status = CaseStatus.REJECTED
    case.reject_reason = reason[:200]
    case.closed_at = now
    case.next_escalation_at = None
    if case.responded_at is None:
        case.responded_at = now
        case.response_minutes = _minutes(case.submitted_at, now)
    case.save()
    event_add(case=case, kind=EventKind.REJECTED, actor=actor, at=now, from_status=before, note=reason)
    audit_transition(case=case, actor=actor, from_status=before, detail="reject", request=request)
    notify_requester(
        case=case,
        verb="case_rejected",
        title=_("Your request %(number)s was not accepted") % {"number": case.number},
        body=reason,
    )
    return case


@dataclass(frozen=True)
class ClaimIdentity:
    person: Any
    org: Organization | None
    label: str


def claim_identity(*, actor: Any, case: Case, on_behalf_of: Organization | None = None) -> ClaimIdentity:
    """Who the claim is recorded against: a named organisation (staff or its admin acting for it),
    else the party member themself."""
    from grassroots.accounts.models import RoleAssignment

    if on_behalf_of is not None:
        if on_behalf_of.kind not in CLAIMING_ORG_KINDS:
            raise ApplicationError("claimer_invalid", _("This organisation cannot claim cases."))
        acting_for = RoleAssignment.objects.filter(user_id=actor.pk, organization=on_behalf_of).exists()
        _require(acting_for or rules.can_handle(actor, case))
        return ClaimIdentity(person=None, org=on_behalf_of, label=str(on_behalf_of))
    anchors = rules.claim_anchors(actor, case)
    if any(a.role == Role.PARTY_MEMBER for a in anchors) and getattr(actor, "person", None) is not None:
        return ClaimIdentity(person=actor.person, org=None, label=str(actor.person))
    org_ids = list(
        RoleAssignment.objects.filter(
            user_id=actor.pk, organization__isnull=False, role__in=[a.role for a in anchors]
        ).values_list("organization_id", flat=True)
    )
    org = Organization.objects.filter(pk__in=org_ids).order_by("pk").first()
    if org is not None:
        return ClaimIdentity(person=None, org=org, label=str(org))
    if getattr(actor, "person", None) is not None and anchors:
        return ClaimIdentity(person=actor.person, org=None, label=str(actor.person))
    raise ApplicationError(
        "claimer_required",
        _("Choose the unit or team the claim is made for."),
        fields={"claimer_org": [_("This field is required.")]},
    )


def case_claim(
    *,
    case: Case,
    actor: Any,
    on_behalf_of: Organization | None = None,
    note: str = "",
    request: Any = None,
    now: dt.datetime | None = None,
) -> Case:
    """Claim (认领) an open wish or difficulty. Exactly one of many simultaneous claims wins."""
    now = now or timezone.now()
    fresh = Case.objects.select_related("category__sla_policy", "item__sla_policy").get(pk=case.pk)
    if fresh.kind not in CLAIMABLE_KINDS:
        raise ApplicationError("not_claimable", _("Only micro-wishes and difficulties can be claimed."))
    if fresh.status != CaseStatus.OPEN:
        raise _already_claimed(fresh)
    _require(rules.can_claim(actor, fresh), _("You can claim only cases of the community you have reported to."))
    identity = claim_identity(actor=actor, case=fresh, on_behalf_of=on_behalf_of)
    with transaction.atomic():
        with rollups_tracking(Case, Q(pk=fresh.pk)):
            won = Case.objects.filter(pk=fresh.pk, status=CaseStatus.OPEN).update(
                status=CaseStatus.IN_PROGRESS,
                claimer_person=identity.person,
                claimer_org=identity.org,
                claimer_user=actor,
                claimed_at=now,
                updated_at=now,
            )
        if won != 1:
            raise _already_claimed(Case.objects.get(pk=fresh.pk))
        claimed = Case.objects.get(pk=fresh.pk)
        CaseClaim.objects.create(
            case=claimed,
            claimer_person=identity.person,
            claimer_org=identity.org,
            claimed_by=actor,
            claimed_at=now,
            release_by=claimed.resolution_due,
        )
        event_add(
            case=claimed,
            kind=EventKind.CLAIMED,
            actor=actor,
            at=now,
            from_status=CaseStatus.OPEN,
            note=note,
            label=identity.label,
        )
        audit_transition(case=claimed, actor=actor, from_status=CaseStatus.OPEN, detail="claim", request=request)
        notify_requester(
            case=claimed,
            verb="case_claimed",
            title=_("%(who)s has taken on your request %(number)s") % {"who": identity.label, "number": claimed.number},
        )
        notify_level(
            case=claimed,
            verb="case_claimed",
            title=_("%(number)s claimed by %(who)s") % {"number": claimed.number, "who": identity.label},
        )
    return claimed


def _already_claimed(case: Case) -> ApplicationError:
    if case.status == CaseStatus.IN_PROGRESS and case.claimer_user_id:
        return ApplicationError(
            "already_claimed", _("Someone has just claimed this; thank you all the same."), status=409
        )
    return _state_error(case)


@transaction.atomic
def case_release(*, case: Case, actor: Any, reason: str, request: Any = None, now: dt.datetime | None = None) -> Case:
    """Give a claim back before its deadline; the case returns to the wall."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(
            "reason_required", _("Say why the claim is released."), fields={"reason": [_("This field is required.")]}
        )
    case = lock(case)
    _require(rules.is_claimer(actor, case) or rules.can_handle(actor, case))
    claim = CaseClaim.objects.filter(case=case, outcome=ClaimOutcome.ACTIVE).first()
    if case.status != CaseStatus.IN_PROGRESS or claim is None:
        raise _state_error(case)
    if claim.release_by is not None and now >= claim.release_by:
        raise ApplicationError(
            "release_too_late",
            _("The deadline has passed; the claim can no longer be released. Ask the community for help instead."),
            status=409,
        )
    before = case.status
    claim.outcome = ClaimOutcome.RELEASED
    claim.released_at = now
    claim.release_reason = reason[:200]
    claim.save()
    case.status = CaseStatus.OPEN
    case.claimer_person = case.claimer_org = case.claimer_user = None
    case.claimed_at = None
    case.save()
    event_add(case=case, kind=EventKind.RELEASED, actor=actor, at=now, from_status=before, note=reason)
    audit_transition(case=case, actor=actor, from_status=before, detail="release", request=request)
    notify_level(
        case=case,
        verb="case_released",
        title=_("%(number)s is open for claiming again") % {"number": case.number},
        body=reason,
    )
    return case


@photos_discarded_on_error()
@transaction.atomic
def case_fulfil(
    *,
    case: Case,
    actor: Any,
    note: str,
    residents_served: int = 1,
    photos: Sequence[UploadedFile] = (),
    request: Any = None,
    now: dt.datetime | None = None,
) -> Case:
    """Record what was done. The first fulfilment counts the case as a deed and adds the residents served."""
    now = now or timezone.now()
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if not note:
        errors["note"] = [_("Say what was done.")]
    if not isinstance(residents_served, int) or residents_served < 1 or residents_served > 10000:
        errors["residents_served"] = [_("Enter how many residents were served (1 to 10000).")]
    if errors:
        raise ApplicationError("fulfilment_invalid", _("Please correct the errors below."), fields=errors)
    checked = photos_check(photos)
    case = lock(case)
    _require(rules.is_claimer(actor, case) or rules.can_handle(actor, case))
    if case.status != CaseStatus.IN_PROGRESS:
        raise _state_error(case)
    before = case.status
    case.status = CaseStatus.FULFILLED
    case.fulfilment_note = note
    case.fulfilled_at = now
    case.resolution_minutes = _minutes(case.submitted_at, now)
    case.next_escalation_at = None
    if case.deed_at is None:
        case.deed_at = now
        case.residents_served = residents_served
    case.save()
    CaseClaim.objects.filter(case=case, outcome=ClaimOutcome.ACTIVE).update(outcome=ClaimOutcome.FULFILLED)
    photos_store(case=case, photos=checked, stage=PhotoStage.FULFILMENT, actor=actor)
    signals.case_fulfilled.send(sender=Case, case=case, actor=actor, at=now)
    event_add(
        case=case,
        kind=EventKind.FULFILLED,
        actor=actor,
        at=now,
        from_status=before,
        note=note,
        data={"residents_served": residents_served, "photos": len(checked)},
    )
    audit_transition(case=case, actor=actor, from_status=before, detail="fulfil", request=request)
    notify_requester(
        case=case,
        verb="case_fulfilled",
        title=_("Your request %(number)s is done — please rate it") % {"number": case.number},
    )
    return case


STARS_FOR = {Satisfaction.SATISFIED: (4, 5), Satisfaction.BASIC: (3, 4), Satisfaction.DISSATISFIED: (1, 2, 3)}


@transaction.atomic
def case_rate(
    *,
    case: Case,
    actor: Any,
    stars: int,
    satisfaction: str,
    resolved: bool | None = None,
    comment: str = "",
    request: Any = None,
    now: dt.datetime | None = None,
) -> Case:
    """The resident confirms and rates; staff may record a rating taken on a follow-up call.

    Satisfied or basically satisfied closes the case; dissatisfied reopens it for its handler with a new
    resolution deadline.
    """
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if not isinstance(stars, int) or not 1 <= stars <= 5:
        errors["stars"] = [_("Give 1 to 5 stars.")]
    if satisfaction not in Satisfaction.values:
        errors["satisfaction"] = [_("Choose satisfied, basically satisfied or dissatisfied.")]
    if len(comment or "") > 500:
        errors["comment"] = [_("The comment can be at most 500 characters.")]
    if errors:
        raise ApplicationError("rating_invalid", _("Please correct the errors below."), fields=errors)
    case = lock(case)
    _require(rules.is_requester(actor, case) or rules.can_handle(actor, case))
    if case.status != CaseStatus.FULFILLED:
        raise _state_error(case)
    before = case.status
    case.rating_stars = stars
    case.satisfaction = satisfaction
    case.rating_resolved = resolved if resolved is not None else satisfaction != Satisfaction.DISSATISFIED
    case.rating_comment = (comment or "").strip()
    case.rated_at = now
    by_resident = rules.is_requester(actor, case)
    if satisfaction == Satisfaction.DISSATISFIED:
        case.status = CaseStatus.IN_PROGRESS
        case.reopen_count += 1
        case.fulfilled_at = None
        case.resolution_due = _after(case, now, _policy(case).resolution_hours)
        case.next_escalation_at = case.resolution_due
        CaseClaim.objects.filter(case=case, outcome=ClaimOutcome.FULFILLED).update(outcome=ClaimOutcome.ACTIVE)
    else:
        case.status = CaseStatus.CLOSED
        case.closed_at = now
    case.save()
    event_add(
        case=case,
        kind=EventKind.RATED,
        actor=actor,
        at=now,
        from_status=before,
        note=case.rating_comment,
        data={"stars": stars, "satisfaction": satisfaction, "by_resident": by_resident},
    )
    if case.status == CaseStatus.IN_PROGRESS:
        event_add(
            case=case,
            kind=EventKind.REOPENED,
            actor=None,
            at=now,
            from_status=CaseStatus.FULFILLED,
            label=_("System"),
            note=_("The resident is not satisfied; the case is reopened."),
        )
        recipients = [u for u in [case.claimer_user] if u is not None]
        notify(
            recipients=recipients,
            verb="case_reopened",
            title=_("%(number)s was reopened: the resident is not satisfied") % {"number": case.number},
            url=staff_url(case),
            channels=("sms",),
        )
        notify_level(
            case=case,
            verb="case_reopened",
            title=_("%(number)s was reopened: the resident is not satisfied") % {"number": case.number},
        )
    signals.case_rated.send(sender=Case, case=case, actor=actor, at=now, satisfaction=satisfaction)
    audit_transition(case=case, actor=actor, from_status=before, detail="rate", request=request)
    return case


@transaction.atomic
def case_cancel(
    *, case: Case, actor: Any, reason: str = "", request: Any = None, now: dt.datetime | None = None
) -> Case:
    """The resident withdraws a request that nobody has started on yet."""
    now = now or timezone.now()
    case = lock(case)
    _require(rules.is_requester(actor, case) or rules.can_handle(actor, case))
    if case.status not in (CaseStatus.PENDING, CaseStatus.OPEN):
        raise _state_error(case)
    before = case.status
    case.status = CaseStatus.CANCELLED
    case.closed_at = now
    case.next_escalation_at = None
    case.save()
    event_add(case=case, kind=EventKind.CANCELLED, actor=actor, at=now, from_status=before, note=reason)
    audit_transition(case=case, actor=actor, from_status=before, detail="cancel", request=request)
    return case


@transaction.atomic
def case_note_add(
    *, case: Case, actor: Any, note: str, public: bool = False, request: Any = None, now: dt.datetime | None = None
) -> Case:
    now = now or timezone.now()
    note = (note or "").strip()
    if not note:
        raise ApplicationError("note_required", _("Write the note."), fields={"note": [_("This field is required.")]})
    case = lock(case)
    _require(rules.can_handle(actor, case) or rules.is_claimer(actor, case))
    event_add(case=case, kind=EventKind.NOTE, actor=actor, at=now, from_status=case.status, note=note, public=public)
    audit_transition(case=case, actor=actor, from_status=case.status, detail="note", request=request)
    return case
