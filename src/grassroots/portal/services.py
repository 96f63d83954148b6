"""Writes of the residents' portal: publishing notices, requesting and checking one-time sign-in codes."""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from grassroots.accounts.enums import Capability, Role
from grassroots.accounts.models import User
from grassroots.accounts.roles import anchors_for
from grassroots.accounts.services import role_assign, user_create
from grassroots.core.audit import audit_record, model_changes
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditAction
from grassroots.core.personal_data import lookup_hash, mask_mobile, normalize_mobile
from grassroots.core.scope import scope_q
from grassroots.people.models import Person
from grassroots.portal.models import Notice, OtpChallenge, OtpRequest
from grassroots.portal.sms import get_sender
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Region

logger = logging.getLogger(__name__)

CODE_LENGTH = 6
CODE_TTL = dt.timedelta(minutes=5)
MAX_ATTEMPTS = 5
SEND_INTERVAL = dt.timedelta(seconds=60)
SENDS_PER_HOUR = 5
SENDS_PER_HOUR_PER_IP = 200  # generous: a whole office or a reverse proxy may share one address
TITLE_MAX = 200


# Notices


@transaction.atomic
def notice_publish(
    *, actor: Any, community: Region, title: str, body: str, request: HttpRequest | None = None
) -> Notice:
    """Publish a notice to the residents of ``community`` (the actor must manage people there)."""
    errors: dict[str, list[str]] = {}
    title = title.strip()
    body = body.strip()
    if community is None or community.kind != RegionKind.COMMUNITY:
        errors["community"] = [_("Choose a community.")]
    if not title:
        errors["title"] = [_("A title is required.")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [_("A title has at most %(max)d characters.") % {"max": TITLE_MAX}]
    if not body:
        errors["body"] = [_("The notice needs a text.")]
    if errors:
        raise ApplicationError("notice_invalid", _("The notice is not valid."), fields=errors)
    if actor is not None and not getattr(actor, "is_superuser", False):
        allowed = Region.objects.filter(scope_q(Region, actor, Capability.MANAGE_PEOPLE), pk=community.pk).exists()
        if not allowed:
            raise ApplicationError(
                "permission_denied", _("You may not publish notices for this community."), status=403
            )
    notice = Notice(title=title, body=body, is_published=True, published_at=timezone.now())
    notice.copy_scope_from(community)
    notice.full_clean()
    notice.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, target=notice, changes=model_changes(notice, None), request=request
    )
    return notice


# Sign-in codes


def _code_hash(salt: str, code: str) -> str:
    return lookup_hash(f"portal-otp:{salt}:{code}")


def demo_shows_code() -> bool:
    return bool(getattr(settings, "PORTAL_DEMO_SHOW_CODE", True))


@dataclass(frozen=True)
class CodeRequested:
    """What the sign-in page needs after a request: never the number in clear, nor whether it is registered.

    ``demo_code`` is filled only in demo mode (``PORTAL_DEMO_SHOW_CODE``) and only when a code was sent.
    """

    mobile_hash: str
    mobile_masked: str
    demo_code: str = ""


def _person_for_mobile(mobile_hash: str) -> Person | None:
    """The registered person with this number; when relatives share one, the one who signed in before, or
    else the first with a compound."""
    persons = list(Person.objects.filter(mobile_hash=mobile_hash).select_related("user").order_by("pk")[:20])
    if not persons:
        return None
    for person in persons:
        if getattr(person, "user", None) is not None:
            return person
    return next((p for p in persons if p.compound_id is not None), persons[0])


def _check_rate(mobile_hash: str, ip_address: str | None, now: dt.datetime) -> None:
    recent = OtpRequest.objects.filter(mobile_hash=mobile_hash, requested_at__gt=now - dt.timedelta(hours=1))
    last = recent.order_by("-requested_at").values_list("requested_at", flat=True).first()
    if last is not None and now - last < SEND_INTERVAL:
        seconds = int((SEND_INTERVAL - (now - last)).total_seconds()) + 1
        raise ApplicationError(
            "otp_rate_limited",
            ngettext(
                "A code was sent just now. Please wait %(seconds)d second before asking again.",
                "A code was sent just now. Please wait %(seconds)d seconds before asking again.",
                seconds,
            )
            % {"seconds": seconds},
            status=429,
        )
    if recent.count() >= SENDS_PER_HOUR:
        raise ApplicationError(
            "otp_rate_limited",
            _("Too many codes were asked for this number in the last hour. Please try again later."),
            status=429,
        )
    if ip_address:
        per_ip = OtpRequest.objects.filter(ip_address=ip_address, requested_at__gt=now - dt.timedelta(hours=1))
        if per_ip.count() >= SENDS_PER_HOUR_PER_IP:
            raise ApplicationError(
                "otp_rate_limited",
                _("Too many codes were asked from this network in the last hour. Please try again later."),
                status=429,
            )


def otp_request(*, mobile: str, ip_address: str | None = None) -> CodeRequested:
    """Ask for a sign-in code for ``mobile``.

    The answer and the rate limit are the same whether the number is registered or not; only for a registered
    person is a challenge stored (the code's keyed hash, never the code) and a code sent.
    """
    try:
        number = normalize_mobile(mobile)
    except ValidationError as exc:
        raise ApplicationError("mobile_invalid", exc.messages[0], fields={"mobile": exc.messages}) from exc
    mobile_hash = lookup_hash(number)
    now = timezone.now()
    code = ""
    with transaction.atomic():
        _check_rate(mobile_hash, ip_address, now)
        OtpRequest.objects.create(mobile_hash=mobile_hash, ip_address=ip_address or None, requested_at=now)
        person = _person_for_mobile(mobile_hash)
        if person is not None:
            code = f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"
            salt = secrets.token_hex(8)
            OtpChallenge.objects.create(
                person=person,
                mobile_hash=mobile_hash,
                salt=salt,
                code_hash=_code_hash(salt, code),
                created_at=now,
                expires_at=now + CODE_TTL,
            )
    if code:
        get_sender().send(number, code)
    else:
        logger.info("Portal sign-in code asked for an unregistered number %s", mask_mobile(number))
    return CodeRequested(
        mobile_hash=mobile_hash,
        mobile_masked=mask_mobile(number),
        demo_code=code if demo_shows_code() else "",
    )


def wrong_code_error(remaining: int) -> ApplicationError:
    """The one answer to a wrong code, for registered and unregistered numbers alike."""
    if remaining <= 0:
        return too_many_attempts_error()
    return ApplicationError(
        "otp_wrong",
        ngettext(
            "The code is not correct. You have %(count)d more try.",
            "The code is not correct. You have %(count)d more tries.",
            remaining,
        )
        % {"count": remaining},
        fields={"code": [_("The code is not correct.")]},
    )


def too_many_attempts_error() -> ApplicationError:
    return ApplicationError("otp_too_many_attempts", _("Too many wrong codes. Please ask for a new code."), status=429)


def expired_error() -> ApplicationError:
    return ApplicationError("otp_expired", _("The code has expired. Please ask for a new code."))


def otp_verify(*, mobile_hash: str, code: str, request: HttpRequest | None = None) -> User:
    """Check ``code`` against the newest open challenge for the number and return the resident's user.

    A wrong code is counted (and the count is committed even though an error is raised); the resident's user is
    created on first sign-in, with no usable password and the resident role at the person's compound.
    """
    now = timezone.now()
    code = code.strip()
    failure: ApplicationError | None = None
    with transaction.atomic():
        challenge = (
            OtpChallenge.objects.select_for_update()
            .filter(mobile_hash=mobile_hash, used_at__isnull=True)
            .order_by("-created_at", "-pk")
            .first()
        )
        if challenge is None:
            failure = wrong_code_error(MAX_ATTEMPTS - 1)
        elif challenge.expires_at <= now:
            failure = expired_error()
        elif challenge.attempts >= MAX_ATTEMPTS:
            failure = too_many_attempts_error()
        elif not hmac.compare_digest(challenge.code_hash, _code_hash(challenge.salt, code)):
            challenge.attempts += 1
            challenge.save(update_fields=["attempts"])
            failure = wrong_code_error(MAX_ATTEMPTS - challenge.attempts)
        else:
            challenge.used_at = now
            challenge.save(update_fields=["used_at"])
    if failure is not None:
        raise failure
    assert challenge is not None
    return resident_sign_in(person=challenge.person, request=request)


@transaction.atomic
def resident_sign_in(*, person: Person, request: HttpRequest | None = None) -> User:
    """The portal user of ``person`` (created on first sign-in), with an audit row for the sign-in."""
    if person.compound_id is None:
        raise ApplicationError(
            "portal_no_compound",
            _(
                "Your registration has no residential compound yet, so you cannot sign in. "
                "Please ask your community's staff to complete it."
            ),
        )
    user = User.objects.filter(person=person).first()
    if user is None:
        user = user_create(
            actor=None,
            username=_free_username(f"resident-{person.pk}"),
            password="",
            person=person,
            check_password=False,
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
    else:
        if not user.is_active:
            raise ApplicationError("portal_account_disabled", _("This account is disabled."), status=403)
        if user.is_staff or user.is_superuser or any(a.role != Role.RESIDENT for a in anchors_for(user)):
            # A staff account does not open with a text-message code: it has a password (and 2FA).
            raise ApplicationError(
                "portal_staff_account",
                _("This number belongs to a staff account. Please sign in on the staff login page."),
                status=403,
            )
    role_assign(actor=None, user=user, role=Role.RESIDENT, region=person.compound)
    audit_record(
        actor=user,
        action=AuditAction.LOGIN,
        target=user,
        detail="portal",
        request=request,
        scope_region=person.compound,
    )
    return user


def _free_username(base: str) -> str:
    name, n = base, 1
    while User.objects.filter(username=name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def otp_purge(*, older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Delete code requests and challenges older than ``older_than`` (the rate limit looks back one hour).

    Idempotent; meant for a periodic task. Returns the number of rows deleted.
    """
    cutoff = timezone.now() - older_than
    with transaction.atomic():
        requests, _unused = OtpRequest.objects.filter(requested_at__lt=cutoff).delete()
        challenges, _unused = OtpChallenge.objects.filter(created_at__lt=cutoff).delete()
    return requests + challenges
