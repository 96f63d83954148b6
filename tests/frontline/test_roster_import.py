"""The member roster import: rows become pending roster reports, all or nothing, each bad row named."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from grassroots.accounts.enums import Role
from grassroots.accounts.models import User
from grassroots.accounts.services import role_assign, user_create
from grassroots.catalogue.models import ServiceCategory
from grassroots.core.errors import ApplicationError
from grassroots.frontline.enums import ReportChannel, ReportStatus
from grassroots.frontline.models import MemberReport
from grassroots.frontline.services.reporting import member_report_submit
from grassroots.imports.importers import IMPORTERS
from grassroots.imports.importers.member_roster import MemberRosterImporter
from grassroots.imports.models import ImportJob, ImportStatus
from grassroots.imports.services import import_commit, import_commit_request, import_job_create, import_kinds_for
from grassroots.people.models import PartyMembership
from tests.conftest import PASSWORD, World
from tests.factories import make_person
from tests.imports.helpers import checked_job, upload, xlsx

pytestmark = pytest.mark.django_db

KIND = "member_roster"
HEADERS = ["姓名", "身份证号", "单位", "报到社区", "报到小区", "服务岗位", "特长"]


def line(
    person: Any,
    unit: str = "区税务局",
    community: str = "东岳社区",
    compound: str = "",
    posts: str = "政策宣传、平安巡防",
    skills: str = "",
) -> list[str]:
    return [person.name, person.id_number, unit, community, compound, posts, skills]


def commit(job: ImportJob, actor: Any) -> ImportJob:
    import_commit_request(actor=actor, job=job)
    return import_commit(job_id=job.pk)


def errors(job: ImportJob) -> list[tuple[int, str]]:
    return list(job.errors.values_list("row", "message"))


def row_message(row: int, column: str, message: str) -> str:
    with translation.override("zh-hans"):
        detail = _("%(column)s: %(message)s") % {"column": column, "message": message}
        return _("Row %(row)d: %(detail)s") % {"row": row, "detail": detail}


def test_the_importer_is_registered_with_its_chinese_headers() -> None:
    assert IMPORTERS[KIND] is MemberRosterImporter
    assert [c.header for c in MemberRosterImporter.get_columns()] == HEADERS


def test_a_unit_admin_imports_their_members_as_pending_roster_reports(duty_world: World) -> None:
    w = duty_world
    zhao, sun = w.duty.colleagues
    actor = w.users["unit_admin"]
    assert KIND in import_kinds_for(actor)
    rows = [
        line(zhao, posts="政策宣传，平安巡防", skills="会计"),
        line(sun, unit="U-SW", community="4509020101", compound="东岳花园", posts="矛盾调解"),
    ]
    job = checked_job(actor, KIND, HEADERS, rows)
    assert job.status == ImportStatus.VALIDATED, job.message
    assert (job.count_new, job.count_error, job.outcomes) == (2, 0, "nn")
    assert MemberReport.objects.count() == 0  # the dry run wrote nothing

    job = commit(job, actor)
    assert job.status == ImportStatus.DONE, job.message
    reports = {r.person: r for r in MemberReport.objects.all()}
    assert set(reports) == {zhao, sun}
    assert {(r.status, r.channel, r.home_unit_id, r.submitted_by_id) for r in reports.values()} == {
        (ReportStatus.PENDING, ReportChannel.ROSTER, w.duty.unit.pk, actor.pk)
    }
    assert sorted(reports[zhao].posts.values_list("code", flat=True)) == ["policy", "safety"]
    assert reports[zhao].skills == "会计"
    assert reports[zhao].region == w.communities["dongyue"].region
    assert reports[sun].region == w.communities["dongyue"].compound
    assert list(reports[sun].posts.values_list("code", flat=True)) == ["mediation"]


def test_an_unknown_unit_refuses_the_whole_file(duty_world: World) -> None:
    w = duty_world
    zhao, sun = w.duty.colleagues
    actor = w.users["unit_admin"]
    job = checked_job(actor, KIND, HEADERS, [line(zhao), line(sun, unit="区财政局")])
    assert (job.count_new, job.count_error, job.outcomes) == (1, 1, "ne")
    with translation.override("zh-hans"):
        message = _("no unit is called or has the code %(value)s.") % {"value": "区财政局"}
    assert errors(job) == [(3, row_message(3, "单位", message))]
    assert "区财政局" in errors(job)[0][1]
    with pytest.raises(ApplicationError) as exc:
        import_commit_request(actor=actor, job=job)
    assert exc.value.code == "import_has_errors"
    assert MemberReport.objects.count() == 0


def test_a_person_not_in_the_unit_is_an_error(duty_world: World) -> None:
    w = duty_world
    outsider = make_person(name="东岳党员钱多", household=w.communities["dongyue"].household)
    PartyMembership.objects.create(
        person=outsider,
        organization=w.duty.unit_branch,
        joined_on="2010-07-01",
        category="in_service",
        home_unit=w.duty.other_unit,
    )
    resident = w.communities["dongyue"].persons[0]  # registered, not a party member
    job = checked_job(
        w.users["community_staff"], KIND, HEADERS, [line(outsider), line(resident), line(w.duty.colleagues[0])]
    )
    assert job.outcomes == "een"
    with translation.override("zh-hans"):
        expected = [
            (
                2,
                row_message(
                    2,
                    "单位",
                    _("%(name)s is not an in-service party member of %(unit)s.")
                    % {"name": "东岳党员钱多", "unit": "区税务局"},
                ),
            ),
            (
                3,
                row_message(
                    3,
                    "单位",
                    _("%(name)s is not an in-service party member of %(unit)s.")
                    % {"name": resident.name, "unit": "区税务局"},
                ),
            ),
        ]
    assert errors(job) == expected
    assert MemberReport.objects.count() == 0


def test_names_id_numbers_and_posts_are_checked(duty_world: World) -> None:
    w = duty_world
    zhao, sun = w.duty.colleagues
    stranger_id = "450902198001010011"
    rows = [
        ["赵敏敏", zhao.id_number, "区税务局", "东岳社区", "", "政策宣传", ""],
        ["无名", "450902198001010012", "区税务局", "东岳社区", "", "政策宣传", ""],  # wrong check digit
        ["无名", stranger_id, "区税务局", "东岳社区", "", "政策宣传", ""],
        line(sun, posts="政策宣传、飞行表演"),
        line(sun, community="月球社区"),
        line(sun, compound="北辰花园"),
        line(sun, posts="政策宣传、平安巡防、矛盾调解、文明创建"),
    ]
    job = checked_job(w.users["unit_admin"], KIND, HEADERS, rows)
    found = dict(errors(job))
    assert job.outcomes == "eeeeeee"
    assert "赵敏敏" in found[2]
    assert "身份证号" in found[3]
    assert "身份证号" in found[4]
    assert "飞行表演" in found[5]
    assert "月球社区" in found[6]
    assert "北辰花园" in found[7]
    assert "服务岗位" in found[8]
    assert MemberReport.objects.count() == 0


def test_duplicates_and_members_already_reported_are_errors(duty_world: World) -> None:
    w = duty_world
    zhao, sun = w.duty.colleagues
    member_report_submit(
        actor=w.users["community_staff"],
        region=w.communities["dongyue"].region,
        posts=list(ServiceCategory.objects.filter(code="policy")),
        person=sun,
        channel="staff",
    )
    job = checked_job(w.users["unit_admin"], KIND, HEADERS, [line(zhao), line(zhao), line(sun)])
    assert job.outcomes == "nee"
    found = dict(errors(job))
    assert "2" in found[3]
    assert sun.name in found[4]
    assert MemberReport.objects.count() == 1


def test_a_unit_admin_imports_only_their_own_unit(duty_world: World) -> None:
    w = duty_world
    stranger = make_person(name="北辰党员周杰", household=w.communities["beichen"].household)
    PartyMembership.objects.create(
        person=stranger,
        organization=w.duty.unit_branch,
        joined_on="2010-07-01",
        category="in_service",
        home_unit=w.duty.other_unit,
    )
    job = checked_job(
        w.users["unit_admin"],
        KIND,
        HEADERS,
        [line(w.duty.colleagues[0]), line(stranger, unit="北辰机械厂", community="北辰社区")],
    )
    assert job.outcomes == "ne"
    with translation.override("zh-hans"):
        message = _("%(unit)s is not your unit; import only your own unit's members.") % {"unit": "北辰机械厂"}
    assert errors(job) == [(3, row_message(3, "单位", message))]
    # The community's staff may import the same row for their own community.
    job = checked_job(
        w.users["sibling_staff"], KIND, HEADERS, [line(stranger, unit="北辰机械厂", community="北辰社区")]
    )
    assert job.outcomes == "n"
    job = commit(job, w.users["sibling_staff"])
    assert job.status == ImportStatus.DONE, job.message
    assert MemberReport.objects.get().person == stranger


def test_staff_import_only_rows_for_communities_in_their_area(duty_world: World) -> None:
    w = duty_world
    zhao, sun = w.duty.colleagues
    job = checked_job(w.users["sibling_staff"], KIND, HEADERS, [line(zhao, community="北辰社区"), line(sun)])
    assert job.outcomes == "ne"
    with translation.override("zh-hans"):
        message = _("%(name)s is outside the area you may import into.") % {"name": "东岳社区"}
    assert errors(job) == [(3, row_message(3, "报到社区", message))]
    assert MemberReport.objects.count() == 0


def test_who_may_import(duty_world: World) -> None:
    w = duty_world
    for persona in ("party_member", "resident", "grid_worker", "department_staff", "compound_secretary"):
        assert KIND not in import_kinds_for(w.users[persona]), persona
        with pytest.raises(ApplicationError) as exc:
            import_job_create(actor=w.users[persona], kind=KIND, file=upload(xlsx(HEADERS, [line(w.duty.member)])))
        assert exc.value.status == 403
    for persona in ("unit_admin", "community_staff", "street_staff", "district_admin"):
        assert KIND in import_kinds_for(w.users[persona]), persona


def test_a_report_made_between_check_and_commit_rolls_the_whole_file_back(duty_world: World) -> None:
    w = duty_world
    zhao, sun = w.duty.colleagues
    actor = w.users["unit_admin"]
    job = checked_job(actor, KIND, HEADERS, [line(zhao), line(sun)])
    assert job.outcomes == "nn"
    sun_user: User = user_create(actor=None, username="sunlei", password=PASSWORD, person=sun)
    role_assign(actor=None, user=sun_user, role=Role.RESIDENT, region=w.communities["dongyue"].compound)
    member_report_submit(
        actor=sun_user,
        region=w.communities["dongyue"].region,
        posts=list(ServiceCategory.objects.filter(code="policy")),
    )
    job = commit(job, actor)
    assert job.status == ImportStatus.FAILED
    assert "第3行" in job.message
    assert list(MemberReport.objects.values_list("person_id", flat=True)) == [sun.pk]
