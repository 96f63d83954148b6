"""Unit and member reports through the services: submit, confirm, return, withdraw, projects; refusals write nothing."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from grassroots.accounts.enums import Role
from grassroots.accounts.models import RoleAssignment, User
from grassroots.accounts.services import role_assign, user_create
from grassroots.cases.enums import CaseStatus
from grassroots.cases.services import case_claim
from grassroots.catalogue.models import ServiceCategory
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditEvent
from grassroots.frontline.enums import ProjectStatus, ReportChannel, ReportStatus
from grassroots.frontline.models import MemberReport, PointsEntry, UnitProject, UnitReport
from grassroots.frontline.selectors.reporting import commitment_progress
from grassroots.frontline.services.reporting import (
    CommitmentInput,
    ResourceInput,
    member_report_decide,
    member_report_submit,
    member_report_withdraw,
    unit_project_add,
    unit_project_update,
    unit_report_decide,
    unit_report_submit,
    unit_report_withdraw,
)
from grassroots.notifications.models import Notification
from grassroots.people.models import PartyMembership
from tests.cases.factories import make_case
from tests.conftest import PASSWORD, World
from tests.factories import make_person

pytestmark = pytest.mark.django_db

START, END = dt.date(2026, 1, 1), dt.date(2028, 12, 31)


def posts(*codes: str) -> list[ServiceCategory]:
    return list(ServiceCategory.objects.filter(code__in=codes))


def submit_unit(w: World, actor: Any = None, **overrides: Any) -> UnitReport:
    data: dict[str, Any] = {
        "actor": actor or w.users["unit_admin"],
        "unit": w.duty.unit,
        "community": w.communities["dongyue"].region,
        "agreement_title": "区税务局与东岳社区共驻共建协议",
        "agreement_start": START,
        "agreement_end": END,
        "commitments": [CommitmentInput("每年为社区办实事3件", 3), CommitmentInput("每季度开展一次税法宣传", 4)],
        "resources": [ResourceInput("venue", "三楼会议室", "1间")],
        "contact_name": "刘主任",
    }
    data.update(overrides)
    return unit_report_submit(**data)


def audits(obj: Any, action: str) -> int:
    target_type = ContentType.objects.get_for_model(obj)
    return AuditEvent.objects.filter(target_type=target_type, target_id=str(obj.pk), action=action).count()


def refused(code: str, fn: Any, **kwargs: Any) -> ApplicationError:
    with pytest.raises(ApplicationError) as exc:
        fn(**kwargs)
    assert exc.value.code == code, exc.value
    return exc.value


# --- unit reports --------------------------------------------------------------------------------------------


def test_a_unit_reports_and_the_community_confirms(duty_world: World) -> None:
    w = duty_world
    report = submit_unit(w)
    assert report.status == ReportStatus.PENDING
    assert report.community_id == w.communities["dongyue"].region.pk
    assert report.street_id == w.streets["mingshan"].pk
    assert [(c.text, c.yearly_target) for c in report.commitments.order_by("id")] == [
        ("每年为社区办实事3件", 3),
        ("每季度开展一次税法宣传", 4),
    ]
    assert list(report.resources.values_list("kind", "description", "quantity")) == [("venue", "三楼会议室", "1间")]
    assert audits(report, "create") == 1
    assert Notification.objects.filter(recipient=w.users["community_staff"], verb="unit_report_submitted").exists()
    assert not Notification.objects.filter(recipient=w.users["sibling_staff"]).exists()

    refused("not_allowed", unit_report_decide, report=report, actor=w.users["sibling_staff"], accept=True)
    refused("not_allowed", unit_report_decide, report=report, actor=w.users["unit_admin"], accept=True)
    report = unit_report_decide(report=report, actor=w.users["community_staff"], accept=True, note="欢迎")
    assert (report.status, report.decided_by, report.decision_note) == (
        ReportStatus.CONFIRMED,
        w.users["community_staff"],
        "欢迎",
    )
    assert Notification.objects.filter(recipient=w.users["unit_admin"], verb="unit_report_confirmed").exists()
    error = refused("invalid_state", unit_report_decide, report=report, actor=w.users["community_staff"], accept=False)
    assert error.status == 409
    refused("invalid_state", unit_report_withdraw, report=report, actor=w.users["unit_admin"])


def test_community_staff_may_report_a_unit_but_not_to_another_community(duty_world: World) -> None:
    w = duty_world
    report = submit_unit(w, actor=w.users["community_staff"])
    assert report.submitted_by == w.users["community_staff"]
    before = UnitReport.objects.count()
    error = refused("not_allowed", submit_unit, w=w, actor=w.users["sibling_staff"], unit=w.duty.other_unit)
    assert error.status == 403
    refused("not_allowed", submit_unit, w=w, actor=w.users["party_member"], unit=w.duty.other_unit)
    assert UnitReport.objects.count() == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"agreement_end": dt.date(2025, 12, 31)}, "agreement_end"),
        ({"commitments": []}, "commitments"),
        ({"commitments": [CommitmentInput("", 1)]}, "commitments"),
        ({"agreement_title": " "}, "agreement_title"),
        ({"resources": [ResourceInput("spaceship", "飞船")]}, "resources"),
    ],
)
def test_bad_unit_reports_are_refused_and_write_nothing(
    duty_world: World, overrides: dict[str, Any], field: str
) -> None:
    audits = AuditEvent.objects.count()
    error = refused("report_invalid", submit_unit, w=duty_world, **overrides)
    assert field in error.fields
    assert UnitReport.objects.count() == 0
    assert AuditEvent.objects.count() == audits


def test_only_units_report_and_only_to_communities(duty_world: World) -> None:
    w = duty_world
    committee = w.communities["dongyue"].organization
    refused("not_a_unit", submit_unit, w=w, actor=w.users["district_admin"], unit=committee)
    refused("not_a_community", submit_unit, w=w, community=w.communities["dongyue"].compound)
    refused("not_a_community", submit_unit, w=w, community=w.streets["mingshan"])
    assert submit_unit(w, actor=w.users["district_admin"], unit=w.duty.department).unit == w.duty.department
    assert UnitReport.objects.count() == 1


def test_one_live_report_per_unit_and_community(duty_world: World) -> None:
    w = duty_world
    first = submit_unit(w)
    error = refused("unit_report_exists", submit_unit, w=w)
    assert error.status == 409
    assert "区税务局" in error.message
    # Another community is another report.
    submit_unit(w, actor=w.users["sibling_staff"], community=w.communities["beichen"].region)
    # A returned or withdrawn report frees the pair.
    refused("not_allowed", unit_report_withdraw, report=first, actor=w.users["community_staff"])
    withdrawn = unit_report_withdraw(report=first, actor=w.users["unit_admin"])
    assert withdrawn.status == ReportStatus.WITHDRAWN
    second = submit_unit(w)
    rejected = unit_report_decide(report=second, actor=w.users["street_staff"], accept=False, note="协议未盖章")
    assert (rejected.status, rejected.decision_note) == (ReportStatus.REJECTED, "协议未盖章")
    note = Notification.objects.get(recipient=w.users["unit_admin"], verb="unit_report_rejected")
    assert note.body == "协议未盖章"
    assert submit_unit(w).status == ReportStatus.PENDING


def test_projects_count_against_commitments(duty_world: World) -> None:
    w = duty_world
    report = submit_unit(w)
    refused("invalid_state", unit_project_add, report=report, actor=w.users["unit_admin"], title="修缮活动室")
    report = unit_report_decide(report=report, actor=w.users["community_staff"], accept=True)
    shishi, xuanchuan = list(report.commitments.order_by("id"))
    refused("not_allowed", unit_project_add, report=report, actor=w.users["sibling_staff"], title="x")
    a = unit_project_add(report=report, actor=w.users["unit_admin"], title="修缮活动室", commitment=shishi)
    b = unit_project_add(
        report=report, actor=w.users["community_staff"], title="安装路灯", commitment=shishi, started_on=START
    )
    c = unit_project_add(report=report, actor=w.users["unit_admin"], title="税法讲座", commitment=xuanchuan)
    assert (a.status, b.status) == (ProjectStatus.PLANNED, ProjectStatus.IN_PROGRESS)

    other = submit_unit(w, actor=w.users["sibling_staff"], community=w.communities["beichen"].region)
    foreign = other.commitments.first()
    error = refused(
        "report_invalid", unit_project_add, report=report, actor=w.users["unit_admin"], title="x", commitment=foreign
    )
    assert "commitment" in error.fields

    error = refused("report_invalid", unit_project_update, project=a, actor=w.users["unit_admin"], status="done")
    assert "done_on" in error.fields
    assert UnitProject.objects.get(pk=a.pk).status == ProjectStatus.PLANNED
    now = dt.datetime(2026, 11, 30, 10, tzinfo=dt.UTC)
    a = unit_project_update(
        project=a, actor=w.users["unit_admin"], status="done", done_on=dt.date(2026, 6, 1), residents_served=40, now=now
    )
    assert (a.status, a.done_on, a.residents_served, a.started_on) == (
        "done",
        dt.date(2026, 6, 1),
        40,
        dt.date(2026, 6, 1),
    )
    assert audits(a, "update") == 1
    unit_project_update(
        project=b, actor=w.users["community_staff"], status="done", done_on=dt.date(2026, 7, 1), now=now
    )
    unit_project_update(project=c, actor=w.users["unit_admin"], status="done", done_on=dt.date(2025, 12, 1), now=now)
    refused(
        "not_allowed",
        unit_project_update,
        project=c,
        actor=w.users["sibling_staff"],
        status="in_progress",
    )

    progress = commitment_progress(report=report, year=2026)
    assert [(p.commitment.pk, p.target, p.done) for p in progress] == [(shishi.pk, 3, 2), (xuanchuan.pk, 4, 0)]
    assert progress[0].rate == pytest.approx(2 / 3)
    assert [p.done for p in commitment_progress(report=report, year=2025)] == [0, 1]


# --- member reports ------------------------------------------------------------------------------------------


def test_a_member_reports_and_the_community_confirms(duty_world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    w = duty_world
    awarded: list[MemberReport] = []
    import grassroots.frontline.services.points as points

    monkeypatch.setattr(points, "points_award_for_report", lambda *, report: awarded.append(report) or 1)
    member = w.users["party_member"]
    report = member_report_submit(
        actor=member, region=w.communities["dongyue"].compound, posts=posts("policy", "safety"), skills="税务咨询"
    )
    assert (report.status, report.channel, report.home_unit, report.person) == (
        ReportStatus.PENDING,
        ReportChannel.SELF,
        w.duty.unit,
        w.duty.member,
    )
    assert report.community_id == w.communities["dongyue"].region.pk
    assert report.compound_id == w.communities["dongyue"].compound.pk
    assert sorted(report.posts.values_list("code", flat=True)) == ["policy", "safety"]
    assert Notification.objects.filter(recipient=w.users["community_staff"], verb="member_report_submitted").exists()

    refused("not_allowed", member_report_decide, report=report, actor=w.users["sibling_staff"], confirm=True)
    refused("not_allowed", member_report_decide, report=report, actor=w.users["unit_admin"], confirm=True)
    assert awarded == []
    report = member_report_decide(report=report, actor=w.users["community_staff"], confirm=True)
    assert report.status == ReportStatus.CONFIRMED
    assert awarded == [report]
    # The role is anchored at the community (not the compound), once.
    assert RoleAssignment.objects.filter(user=member, role=Role.PARTY_MEMBER).count() == 1
    assert RoleAssignment.objects.get(user=member, role=Role.PARTY_MEMBER).region == w.communities["dongyue"].region
    assert Notification.objects.filter(recipient=member, verb="member_report_confirmed").exists()
    refused("invalid_state", member_report_decide, report=report, actor=w.users["community_staff"], confirm=True)


def test_confirmation_lets_the_member_claim_a_wish_in_the_community(duty_world: World) -> None:
    w = duty_world
    colleague = w.duty.colleagues[0]
    user = user_create(actor=None, username="zhaomin", password=PASSWORD, person=colleague)
    wish = make_case(w, accept=True)
    assert wish.status == CaseStatus.OPEN
    error = refused("not_allowed", case_claim, case=wish, actor=user)
    assert error.status == 403

    report = member_report_submit(actor=user, region=w.communities["dongyue"].region, posts=posts("elderly"))
    member_report_decide(report=report, actor=w.users["community_staff"], confirm=True)
    user = User.objects.get(pk=user.pk)
    assert RoleAssignment.objects.filter(
        user=user, role=Role.PARTY_MEMBER, region=w.communities["dongyue"].region
    ).exists()
    claimed = case_claim(case=wish, actor=user)
    assert (claimed.status, claimed.claimer_person) == (CaseStatus.IN_PROGRESS, colleague)


def test_a_returned_report_tells_the_member_why_and_they_may_report_again(duty_world: World) -> None:
    w = duty_world
    member = w.users["party_member"]
    RoleAssignment.objects.filter(user=member, role=Role.PARTY_MEMBER).delete()
    report = member_report_submit(actor=member, region=w.communities["dongyue"].region, posts=posts("policy"))
    report = member_report_decide(report=report, actor=w.users["community_staff"], confirm=False, note="请选择居住小区")
    assert (report.status, report.decision_note) == (ReportStatus.REJECTED, "请选择居住小区")
    assert not RoleAssignment.objects.filter(user=member, role=Role.PARTY_MEMBER).exists()
    note = Notification.objects.get(recipient=member, verb="member_report_rejected")
    assert note.body == "请选择居住小区"
    again = member_report_submit(actor=member, region=w.communities["dongyue"].compound, posts=posts("policy"))
    assert again.status == ReportStatus.PENDING


def test_one_live_report_per_member(duty_world: World) -> None:
    w = duty_world
    member = w.users["party_member"]
    member_report_submit(actor=member, region=w.communities["dongyue"].region, posts=posts("policy"))
    error = refused(
        "member_report_exists",
        member_report_submit,
        actor=w.users["sibling_staff"],
        region=w.communities["beichen"].region,
        posts=posts("policy"),
        person=w.duty.member,
        channel="staff",
    )
    assert error.status == 409
    assert "东岳党员王强" in error.message
    assert MemberReport.objects.count() == 1


def test_who_may_report_whom(duty_world: World) -> None:
    w = duty_world
    dongyue = w.communities["dongyue"].region
    zhao, sun = w.duty.colleagues
    # A unit's admin reports their own members (roster); staff report anyone to their own community (staff).
    by_unit = member_report_submit(
        actor=w.users["unit_admin"], region=dongyue, posts=posts("safety"), person=zhao, channel="roster"
    )
    assert (by_unit.channel, by_unit.submitted_by) == ("roster", w.users["unit_admin"])
    by_staff = member_report_submit(
        actor=w.users["community_staff"], region=dongyue, posts=posts("safety"), person=sun, channel="staff"
    )
    assert by_staff.channel == "staff"

    stranger = make_person(name="北辰党员周杰", household=w.communities["beichen"].household)
    PartyMembership.objects.create(
        person=stranger,
        organization=w.duty.unit_branch,
        joined_on=dt.date(2010, 7, 1),
        category="in_service",
        home_unit=w.duty.other_unit,
    )
    beichen = w.communities["beichen"].region
    before = MemberReport.objects.count()
    refused(
        "not_allowed",
        member_report_submit,
        actor=w.users["unit_admin"],
        region=beichen,
        posts=posts("policy"),
        person=stranger,
        channel="roster",
    )
    refused(
        "not_allowed",
        member_report_submit,
        actor=w.users["community_staff"],
        region=beichen,
        posts=posts("policy"),
        person=stranger,
        channel="staff",
    )
    refused(
        "not_allowed",
        member_report_submit,
        actor=w.users["party_member"],
        region=beichen,
        posts=posts("policy"),
        person=stranger,
    )
    refused("no_person", member_report_submit, actor=w.users["resident"], region=beichen, posts=posts("policy"))
    assert MemberReport.objects.count() == before
    assert (
        member_report_submit(
            actor=w.users["sibling_staff"], region=beichen, posts=posts("policy"), person=stranger, channel="staff"
        ).home_unit
        == w.duty.other_unit
    )


def test_only_in_service_members_report(duty_world: World) -> None:
    w = duty_world
    resident_member = make_person(name="东岳居民党员", household=w.communities["dongyue"].household)
    PartyMembership.objects.create(
        person=resident_member,
        organization=w.communities["dongyue"].organization,
        joined_on=dt.date(2001, 7, 1),
        category="resident",
    )
    for person in (resident_member, w.communities["dongyue"].persons[0]):
        refused(
            "not_in_service_member",
            member_report_submit,
            actor=w.users["community_staff"],
            region=w.communities["dongyue"].region,
            posts=posts("policy"),
            person=person,
            channel="staff",
        )
    assert MemberReport.objects.count() == 0


@pytest.mark.parametrize(
    ("codes", "skills", "region", "field"),
    [
        ((), "", "community", "posts"),
        (("policy", "safety", "mediation", "civility"), "", "community", "posts"),
        (("policy",), "长" * 201, "community", "skills"),
        (("policy",), "", "street", "region"),
        (("policy",), "", "building", "region"),
    ],
)
def test_bad_member_reports_are_refused(
    duty_world: World, codes: tuple[str, ...], skills: str, region: str, field: str
) -> None:
    w = duty_world
    place = {
        "community": w.communities["dongyue"].region,
        "street": w.streets["mingshan"],
        "building": w.communities["dongyue"].building,
    }[region]
    error = refused(
        "report_invalid",
        member_report_submit,
        actor=w.users["party_member"],
        region=place,
        posts=posts(*codes),
        skills=skills,
    )
    assert field in error.fields
    assert MemberReport.objects.count() == 0


def test_an_inactive_post_cannot_be_taken(duty_world: World) -> None:
    ServiceCategory.objects.filter(code="policy").update(is_active=False)
    error = refused(
        "report_invalid",
        member_report_submit,
        actor=duty_world.users["party_member"],
        region=duty_world.communities["dongyue"].region,
        posts=posts("policy"),
    )
    assert "posts" in error.fields


def test_withdrawing_a_confirmed_report_ends_the_party_member_role_there(
    reported_member: MemberReport, duty_world: World
) -> None:
    w = duty_world
    member = w.users["party_member"]
    dongyue = w.communities["dongyue"].region
    assert RoleAssignment.objects.filter(user=member, role=Role.PARTY_MEMBER, region=dongyue).exists()
    refused("not_allowed", member_report_withdraw, report=reported_member, actor=w.users["sibling_staff"])
    refused("not_allowed", member_report_withdraw, report=reported_member, actor=w.users["unit_admin"])
    assert PointsEntry.objects.filter(member_report=reported_member).count() == 1
    report = member_report_withdraw(report=reported_member, actor=member)
    assert report.status == ReportStatus.WITHDRAWN
    assert not PointsEntry.objects.filter(member_report=reported_member).exists()  # as a recomputation would
    assert not RoleAssignment.objects.filter(user=member, role=Role.PARTY_MEMBER, region=dongyue).exists()
    assert AuditEvent.objects.filter(action="delete", changes__role=Role.PARTY_MEMBER).count() == 1
    member.refresh_scope()
    wish = make_case(w, accept=True)
    refused("not_allowed", case_claim, case=wish, actor=User.objects.get(pk=member.pk))
    refused("invalid_state", member_report_withdraw, report=report, actor=member)


def test_staff_withdraw_a_pending_report_and_the_member_is_told(duty_world: World) -> None:
    w = duty_world
    member = w.users["party_member"]
    report = member_report_submit(actor=member, region=w.communities["dongyue"].region, posts=posts("policy"))
    report = member_report_withdraw(report=report, actor=w.users["street_staff"])
    assert report.status == ReportStatus.WITHDRAWN
    # A pending withdrawal leaves roles alone (the world gave this login its role).
    assert RoleAssignment.objects.filter(user=member, role=Role.PARTY_MEMBER).exists()
    assert Notification.objects.filter(recipient=member, verb="member_report_withdrawn").exists()


def test_confirming_again_keeps_one_role(duty_world: World) -> None:
    """``role_assign`` is idempotent: a member who already holds the role there keeps one assignment."""
    w = duty_world
    member = w.users["party_member"]
    role_assign(actor=None, user=member, role=Role.PARTY_MEMBER, region=w.communities["dongyue"].region)
    report = member_report_submit(actor=member, region=w.communities["dongyue"].region, posts=posts("policy"))
    member_report_decide(report=report, actor=w.users["community_staff"], confirm=True)
    assert RoleAssignment.objects.filter(user=member, role=Role.PARTY_MEMBER).count() == 1


@pytest.fixture
def reference_data(transactional_db: Any) -> None:
    """An earlier transactional test may have flushed the data migrations' rows: put the ethnic groups back."""
    from grassroots.people.data.ethnicities import ETHNICITIES
    from grassroots.people.models import Ethnicity

    Ethnicity.objects.bulk_create(
        [Ethnicity(code=code, name=name) for code, name in ETHNICITIES], ignore_conflicts=True
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_reports_of_one_member_leave_one_live_report(reference_data: None, duty_world: World) -> None:
    """The partial unique constraint decides the race; the losers get the same 409 as a late submission."""
    if connection.vendor != "postgresql":
        pytest.skip("Races only show on PostgreSQL: SQLite serialises writers.")
    w = duty_world
    presses = 8
    barrier = threading.Barrier(presses)
    outcomes: list[str] = []
    lock = threading.Lock()
    post_ids = list(ServiceCategory.objects.filter(code="policy").values_list("pk", flat=True))

    def press() -> None:
        try:
            user = User.objects.select_related("person").get(pk=w.users["party_member"].pk)
            barrier.wait(timeout=10)
            try:
                member_report_submit(
                    actor=user,
                    region=w.communities["dongyue"].region,
                    posts=list(ServiceCategory.objects.filter(pk__in=post_ids)),
                )
                outcome = "won"
            except ApplicationError as exc:
                outcome = exc.code
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=press) for _ in range(presses)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["member_report_exists"] * (presses - 1) + ["won"]
    assert MemberReport.objects.filter(person=w.duty.member).count() == 1
