"""Member reports (个人报到): an in-service party member reports to the community or compound where they live;
confirmation gives their login the ``party_member`` role at the community and the reporting points."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.accounts.enums import Role
from grassroots.accounts.models import RoleAssignment
from grassroots.catalogue.models import ServiceCategory
from grassroots.core.audit import audit_record
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditAction
from grassroots.frontline.enums import LIVE_REPORT_STATUSES, ReportChannel, ReportStatus
from grassroots.frontline.models import MemberReport
from grassroots.frontline.rules import reporting as rules
from grassroots.frontline.services.reporting.common import (
    MAX_POSTS,
    MAX_SKILLS,
    MEMBER_REGION_KINDS,
    community_of,
    community_staff,
    decide,
    denied,
    invalid,
    link,
    state_error,
    user_of,
)
from grassroots.notifications.services import notify
from grassroots.people.enums import MemberCategory
from grassroots.people.models import PartyMembership, Person
from grassroots.territory.models import Region


def _posts_errors(posts: Iterable[ServiceCategory]) -> tuple[list[ServiceCategory], list[str]]:
    unique = list({p.pk: p for p in posts}.values())
    if not 1 <= len(unique) <= MAX_POSTS:
        return unique, [_("Choose one to %(max)d service posts.") % {"max": MAX_POSTS}]
    active = set(
        ServiceCategory.objects.filter(pk__in=[p.pk for p in unique], is_active=True).values_list("pk", flat=True)
    )
    if len(active) != len(unique):
        return unique, [_("Choose service posts that are in use.")]
    return unique, []


def _live_member_report_exists(person: Person) -> ApplicationError:
    return ApplicationError(
        "member_report_exists",
        _("%(person)s has already reported to a community (awaiting confirmation or confirmed).") % {"person": person},
        status=409,
    )


@transaction.atomic
def member_report_submit(
    *,
    actor: Any,
    region: Region,
    posts: Sequence[ServiceCategory],
    skills: str = "",
    person: Person | None = None,
    channel: str = ReportChannel.SELF,
    request: Any = None,
    now: dt.datetime | None = None,
) -> MemberReport:
    """An in-service party member reports to a community or compound: themself, by their unit's roster, or by
    the staff. The home unit comes from the party membership."""
    now = now or timezone.now()
    if person is None:
        person = getattr(actor, "person", None) if getattr(actor, "is_authenticated", False) else None
        if person is None:
            raise ApplicationError("no_person", _("Your login is not linked to a person."), status=403)
    if channel not in ReportChannel.values:
        raise ApplicationError("channel_unknown", _("Unknown way of reporting."))
    membership = PartyMembership.objects.filter(person=person, category=MemberCategory.IN_SERVICE).first()
    home_unit_id = membership.home_unit_id if membership is not None else None
    if not rules.can_submit_member_report(
        actor, channel=channel, person_id=person.pk, home_unit_id=home_unit_id, region=region
    ):
        raise denied()
    if membership is None:
        raise ApplicationError(
            "not_in_service_member",
            _("%(person)s is not an in-service party member.") % {"person": person},
            fields={"person": [_("Only in-service party members report to a community.")]},
        )
    errors: dict[str, list[str]] = {}
    if region.kind not in MEMBER_REGION_KINDS:
        errors["region"] = [_("Choose a community or a compound.")]
    unique_posts, post_errors = _posts_errors(posts)
    if post_errors:
        errors["posts"] = post_errors
    if len(skills.strip()) > MAX_SKILLS:
        errors["skills"] = [_("At most %(max)d characters.") % {"max": MAX_SKILLS}]
    if errors:
        raise invalid(errors)
    if MemberReport.objects.filter(person=person, status__in=LIVE_REPORT_STATUSES).exists():
        raise _live_member_report_exists(person)
    report = MemberReport(
        person=person,
        home_unit_id=home_unit_id,
        region=region,
        skills=skills.strip(),
        channel=channel,
        submitted_at=now,
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:
        raise _live_member_report_exists(person) from exc
    report.posts.set(unique_posts)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=report,
        changes={"person": person.pk, "channel": channel, "posts": sorted(p.pk for p in unique_posts)},
        request=request,
    )
    notify(
        recipients=community_staff(region),
        verb="member_report_submitted",
        title=_("%(person)s has reported to %(region)s; please confirm") % {"person": person, "region": region},
        url=link("frontline:member_report_detail", report.pk),
        channels=("sms",),
    )
    return report


@transaction.atomic
def member_report_decide(
    *,
    report: MemberReport,
    actor: Any,
    confirm: bool,
    note: str = "",
    request: Any = None,
    now: dt.datetime | None = None,
) -> MemberReport:
    """The community confirms a member's report (giving the ``party_member`` role at the community and the
    reporting points) or returns it with a note."""
    now = now or timezone.now()
    report = MemberReport.objects.select_for_update().select_related("person", "region").get(pk=report.pk)
    decide(report, actor=actor, accept=confirm, note=note, now=now, request=request)
    user = user_of(report.person)
    community = community_of(report.region)
    if confirm:
        from grassroots.accounts.services import role_assign
        from grassroots.frontline.services.points import points_award_for_report

        if user is not None:
            role_assign(actor=actor, user=user, role=Role.PARTY_MEMBER, region=community)
        points_award_for_report(report=report)
        title = _("%(community)s has confirmed your report; welcome") % {"community": community}
    else:
        title = _("%(community)s has returned your report") % {"community": community}
    if user is not None:
        notify(
            recipients=[user],
            verb="member_report_confirmed" if confirm else "member_report_rejected",
            title=title,
            body=report.decision_note,
            url=link("portal:my_report", report.pk),
            channels=("sms",),
        )
    return report


@transaction.atomic
def member_report_withdraw(
    *, report: MemberReport, actor: Any, request: Any = None, now: dt.datetime | None = None
) -> MemberReport:
    """The member (or the community's staff) ends a live report; a confirmed one also ends the member's
    ``party_member`` role at that community."""
    report = MemberReport.objects.select_for_update().select_related("person", "region").get(pk=report.pk)
    if not rules.is_own_report(actor, report) and not rules.covers(actor, report):
        raise denied()
    if report.status not in LIVE_REPORT_STATUSES:
        raise state_error(report.status)
    before = report.status
    report.status = ReportStatus.WITHDRAWN
    report.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=report,
        changes={"status": [before, ReportStatus.WITHDRAWN]},
        detail="withdraw",
        request=request,
    )
    user = user_of(report.person)
    if before == ReportStatus.CONFIRMED:
        from grassroots.frontline.services.points import points_award_for_report

        points_award_for_report(report=report)  # takes back the reporting points, as a recomputation would
    if before == ReportStatus.CONFIRMED and user is not None:
        community = community_of(report.region)
        for assignment in RoleAssignment.objects.filter(user=user, role=Role.PARTY_MEMBER, region=community):
            audit_record(
                actor=actor,
                action=AuditAction.DELETE,
                target=assignment,
                changes={"role": Role.PARTY_MEMBER},
                scope_region=community,
                request=request,
            )
            assignment.delete()
        user.refresh_scope()
    if user is not None and not rules.is_own_report(actor, report):
        notify(
            recipients=[user],
            verb="member_report_withdrawn",
            title=_("Your report to %(region)s has been withdrawn by the community") % {"region": report.region},
            url=link("portal:my_report", report.pk),
            channels=("sms",),
        )
    return report
