"""12345 hotline export → cases: dry run with a per-row report, all-or-nothing commit, scope and duplicates."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from grassroots.cases.enums import CaseKind, CaseStatus, Channel, NeedGroup
from grassroots.cases.models import Case
from grassroots.catalogue.services import catalogue_install_defaults
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditEvent
from grassroots.imports.importers.hotline import parse_called_at
from grassroots.imports.models import ImportJob, ImportStatus
from grassroots.imports.services import (
    import_commit,
    import_commit_request,
    import_job_create,
    import_kinds_for,
)
from tests.conftest import World
from tests.imports.helpers import checked_job, upload, xlsx

KIND = "hotline_cases"
HEADERS = ["工单编号", "来电时间", "诉求类型", "诉求分类", "诉求内容", "小区", "楼栋", "单元", "来电人", "联系电话"]


@pytest.fixture
def hotline_world(world: World) -> World:
    catalogue_install_defaults()
    return world


def tickets(world: World, count: int = 4, *, community: str = "dongyue", start: int = 1) -> list[list[Any]]:
    """Rows as a 12345 export writes them: one per ticket at the community's compound, building and entrance."""
    c = world.communities[community]
    rows: list[list[Any]] = []
    types = ["求助", "投诉", "咨询", "微心愿"]
    places = [
        (c.compound.name, "1栋", "1单元"),
        (c.compound.name, "1", ""),
        (c.compound.code, "", ""),
        (c.compound.name, c.building.name, c.entrance.code),
    ]
    for i in range(count):
        compound, building, entrance = places[i % len(places)]
        rows.append(
            [
                f"GX2026{start + i:07d}",
                dt.datetime(2026, 11, 20, 9, 30 + i),
                types[i % len(types)],
                ["摘除马蜂窝", "环境卫生", "环境卫生/楼道清理", "elderly"][i % 4],
                f"来电反映第{start + i}件事，请社区协调处理",
                compound,
                building,
                entrance,
                f"张{i}先生",
                f"1390775{start + i:04d}",
            ]
        )
    return rows


def commit(job: ImportJob, actor: Any) -> ImportJob:
    import_commit_request(actor=actor, job=job)
    return import_commit(job_id=job.pk)


def errors_by_row(job: ImportJob) -> dict[int, str]:
    return dict(job.errors.values_list("row", "message"))


def test_a_good_file_imports_one_case_per_ticket_in_scope(hotline_world: World) -> None:
    world = hotline_world
    actor = world.users["community_staff"]
    dy = world.communities["dongyue"]
    job = checked_job(actor, KIND, HEADERS, tickets(world, 4))
    assert job.status == ImportStatus.VALIDATED
    assert (job.count_new, job.count_error, job.outcomes) == (4, 0, "nnnn"), errors_by_row(job)
    assert job.community_id == dy.region.pk
    assert Case.objects.count() == 0  # the dry run writes nothing

    job = commit(job, actor)
    assert job.status == ImportStatus.DONE, job.message
    cases = list(Case.objects.order_by("id"))
    assert len(cases) == 4
    assert {c.channel for c in cases} == {Channel.HOTLINE}
    assert {c.community_id for c in cases} == {dy.region.pk}
    assert {c.street_id for c in cases} == {world.streets["mingshan"].pk}
    assert [c.attributes["hotline_no"] for c in cases] == [f"GX2026{i:07d}" for i in range(1, 5)]
    assert cases[0].attributes["hotline_called_at"].startswith("2026-11-20T09:30:00")
    # 摘除马蜂窝 asks where the nest is, which a ticket cannot answer: taken in under its category
    assert cases[0].attributes["hotline_category"] == "摘除马蜂窝"
    assert [c.kind for c in cases] == [CaseKind.DIFFICULTY] * 3 + [CaseKind.MICRO_WISH]
    assert cases[3].need_group == NeedGroup.OTHER
    assert [c.place_id for c in cases] == [dy.entrance.pk, dy.building.pk, dy.compound.pk, dy.entrance.pk]
    assert [c.category.code for c in cases] == ["environment", "environment", "environment", "elderly"]
    assert [c.item.code if c.item else None for c in cases] == [None, None, "stairwell-clean", None]
    assert {c.status for c in cases} == {CaseStatus.PENDING}
    assert {c.created_by_id for c in cases} == {actor.pk}
    assert cases[0].requester_name == "张0先生"
    # the number is stored encrypted (and masked wherever it is shown)
    assert cases[0].contact_mobile == "13907750001"
    assert cases[0].contact_mobile_masked == "139****0001"
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_mobile FROM cases_case WHERE id = %s", [cases[0].pk])
        assert "13907750001" not in str(cursor.fetchone()[0])
    assert AuditEvent.objects.filter(action="import", target_id=str(job.pk)).count() == 1
    assert AuditEvent.objects.filter(action="create", target_type__model="case").count() == 4


def test_one_bad_row_writes_nothing_and_each_row_says_why(hotline_world: World) -> None:
    world = hotline_world
    actor = world.users["community_staff"]
    already = checked_job(actor, KIND, HEADERS, tickets(world, 1, start=90))
    assert commit(already, actor).status == ImportStatus.DONE
    before = Case.objects.count()

    rows = tickets(world, 8)
    rows[1][5] = "不存在花园"  # row 3: unknown compound
    rows[2][9] = "1234567"  # row 4: bad phone
    rows[3][4] = "长" * 4001  # row 5: too long
    rows[4][5] = world.communities["beichen"].compound.name  # row 6: another community's compound
    rows[5][0] = rows[0][0]  # row 7: the ticket of row 2 again
    rows[6][0] = "GX20260000090"  # row 8: imported before
    rows[7][6] = "9栋"  # row 9: no such building
    job = checked_job(actor, KIND, HEADERS, rows)
    assert job.status == ImportStatus.VALIDATED
    assert (job.count_new, job.count_error) == (1, 7)
    assert job.outcomes == "neeeeeee"
    errors = errors_by_row(job)
    assert sorted(errors) == [3, 4, 5, 6, 7, 8, 9]
    assert "小区" in errors[3] and "不存在花园" in errors[3]
    assert "联系电话 123****" not in errors[4]  # too short to mask in part: fully hidden
    assert "联系电话 *******" in errors[4]
    assert "诉求内容" in errors[5] and "4001" in errors[5]
    assert "小区" in errors[6] and "北辰花园" in errors[6]
    assert "工单编号" in errors[7] and "2" in errors[7].split("：", 1)[-1]
    assert "工单编号" in errors[8] and "GX20260000090" in errors[8]
    assert "楼栋" in errors[9] and "9栋" in errors[9]
    assert all(message.startswith(f"第{row}行") for row, message in errors.items())

    with pytest.raises(ApplicationError) as exc:
        import_commit_request(actor=actor, job=job)
    assert exc.value.code == "import_has_errors"
    assert Case.objects.count() == before


def test_a_bad_phone_is_shown_masked_in_the_row_report(hotline_world: World) -> None:
    world = hotline_world
    rows = tickets(world, 1)
    rows[0][9] = "12012345678"  # eleven digits, but no mobile number starts with 120
    job = checked_job(world.users["community_staff"], KIND, HEADERS, rows)
    message = errors_by_row(job)[2]
    assert "120****5678" in message
    assert "12012345678" not in message


def test_a_ticket_imported_meanwhile_fails_the_whole_commit(hotline_world: World) -> None:
    world = hotline_world
    actor = world.users["community_staff"]
    first = checked_job(actor, KIND, HEADERS, tickets(world, 2, start=1))
    second = checked_job(actor, KIND, HEADERS, tickets(world, 3, start=2))  # ticket 2 is in both
    assert second.count_error == 0
    assert commit(first, actor).status == ImportStatus.DONE
    second = commit(second, actor)
    assert second.status == ImportStatus.FAILED
    assert "GX20260000002" in second.message
    assert Case.objects.count() == 2


def test_beichen_staff_cannot_import_into_dongyue(hotline_world: World) -> None:
    world = hotline_world
    sibling = world.users["sibling_staff"]
    job = checked_job(sibling, KIND, HEADERS, tickets(world, 3))
    assert (job.count_new, job.count_error) == (0, 3)
    assert all("东岳花园" in m or world.communities["dongyue"].compound.code in m for m in errors_by_row(job).values())
    assert job.community_id == world.communities["beichen"].region.pk
    with pytest.raises(ApplicationError):
        import_commit_request(actor=sibling, job=job)
    assert Case.objects.count() == 0
    # the district admin may import into either community
    rows = tickets(world, 1) + tickets(world, 1, community="beichen", start=5)
    job = checked_job(world.users["district_admin"], KIND, HEADERS, rows)
    assert commit(job, world.users["district_admin"]).status == ImportStatus.DONE
    assert sorted(Case.objects.values_list("community__name", flat=True)) == ["东岳社区", "北辰社区"]


def test_who_may_import_hotline_tickets(hotline_world: World) -> None:
    world = hotline_world
    for persona in ("district_admin", "street_staff", "community_staff", "sibling_staff"):
        assert KIND in import_kinds_for(world.users[persona]), persona
    # handlers below the community and roles without case handling may not
    for persona in ("grid_worker", "compound_secretary", "party_member", "resident", "department_staff"):
        assert KIND not in import_kinds_for(world.users[persona]), persona
    with pytest.raises(ApplicationError) as exc:
        import_job_create(actor=world.users["grid_worker"], kind=KIND, file=upload(xlsx(HEADERS, tickets(world, 1))))
    assert exc.value.code == "permission_denied"
    assert not ImportJob.objects.exists()


def test_template_and_missing_columns(hotline_world: World) -> None:
    world = hotline_world
    response = world.client("community_staff").get(reverse("imports:template", args=[KIND]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert [c.value for c in sheet[1]][: len(HEADERS)] == HEADERS
    assert world.client("grid_worker").get(reverse("imports:template", args=[KIND])).status_code in (403, 404)
    with pytest.raises(ApplicationError) as exc:
        import_job_create(
            actor=world.users["community_staff"],
            kind=KIND,
            file=upload(xlsx(HEADERS[:5], [r[:5] for r in tickets(world, 1)])),
        )
    assert exc.value.code == "import_columns_missing"


def test_the_page_runs_the_dry_run_and_the_commit(hotline_world: World) -> None:
    world = hotline_world
    client = world.client("community_staff")
    response = client.post(
        reverse("imports:job_create"), {"kind": KIND, "file": upload(xlsx(HEADERS, tickets(world, 2)))}
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert job.status == ImportStatus.VALIDATED and job.count_new == 2
    response = client.post(reverse("imports:job_commit", args=[job.pk]))
    assert response.status_code == 302
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.DONE
    assert Case.objects.filter(channel=Channel.HOTLINE).count() == 2
    # another community's worker cannot see or commit the job
    assert world.client("sibling_staff").get(reverse("imports:job_detail", args=[job.pk])).status_code == 404


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-27 09:30", dt.datetime(2026, 11, 27, 9, 30)),
        ("2026/11/27 9:30:15", dt.datetime(2026, 11, 27, 9, 30, 15)),
        ("2026年11月27日 09:30", dt.datetime(2026, 11, 27, 9, 30)),
        ("2026-11-27T09:30:00", dt.datetime(2026, 11, 27, 9, 30)),
        ("2026-11-27", dt.datetime(2026, 11, 27)),
    ],
)
def test_call_times_as_exports_write_them(text: str, expected: dt.datetime, db: Any) -> None:
    from django.utils import timezone

    assert timezone.make_naive(parse_called_at(text)) == expected
