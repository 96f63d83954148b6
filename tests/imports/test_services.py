"""Import jobs through the services: dry run, row errors, scope, all-or-nothing commit."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import IntegrityError
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditEvent
from grassroots.imports.importers import IMPORTERS
from grassroots.imports.importers import base as importer_base
from grassroots.imports.models import ImportJob, ImportStatus
from grassroots.imports.services import import_commit, import_commit_request, import_job_create
from grassroots.organizations.models import Organization
from grassroots.people.models import PartyMembership, Person
from grassroots.territory.models import Grid, Household, Region
from tests.conftest import World
from tests.factories import make_id_number
from tests.imports.helpers import PERSON_HEADERS, checked_job, upload, xlsx


def roster(world: World, count: int = 3, *, community: str = "dongyue") -> list[list[str]]:
    entrance = world.communities[community].entrance.code
    return [
        [f"导入{i}", "", "汉族", make_id_number(dt.date(1985, 1, 1 + i)), f"1390775{i:04d}", "", entrance, f"{200 + i}"]
        for i in range(count)
    ]


def commit(job: ImportJob, actor: object) -> ImportJob:
    import_commit_request(actor=actor, job=job)
    return import_commit(job_id=job.pk)


def test_every_template_has_its_chinese_headers() -> None:
    for kind, importer in IMPORTERS.items():
        sheet = load_workbook(io.BytesIO(importer.template())).active
        assert sheet is not None
        headers = [c.value for c in sheet[1]]
        assert headers == [c.header for c in importer.get_columns()], kind
        assert all(c.font.bold for c in sheet[1])
    persons = load_workbook(io.BytesIO(IMPORTERS["persons"].template())).active
    assert persons is not None
    assert [c.value for c in persons[1]] == PERSON_HEADERS


def test_a_bad_check_digit_is_reported_by_row_and_blocks_the_commit(world: World) -> None:
    actor = world.users["community_staff"]
    rows = roster(world)
    bad = rows[1][3]
    rows[1][3] = bad[:17] + ("0" if bad[17] != "0" else "1")  # Excel row 3
    before = Person.objects.count()
    job = checked_job(actor, "persons", PERSON_HEADERS, rows)
    assert job.status == ImportStatus.VALIDATED
    assert (job.count_new, job.count_update, job.count_error) == (2, 0, 1)
    assert job.outcomes == "nen"
    assert list(job.errors.values_list("row", "message")) == [(3, "第3行：身份证号校验位错误。")]
    with pytest.raises(ApplicationError) as exc:
        import_commit_request(actor=actor, job=job)
    assert exc.value.code == "import_has_errors"
    assert Person.objects.count() == before
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.VALIDATED

    # The corrected file imports exactly its rows, once, with one audit row.
    rows[1][3] = bad
    job = checked_job(actor, "persons", PERSON_HEADERS, rows)
    assert (job.count_new, job.count_error) == (3, 0)
    households_before = Household.objects.count()
    job = commit(job, actor)
    assert job.status == ImportStatus.DONE, job.message
    assert Person.objects.count() == before + 3
    created = Person.objects.filter(name__startswith="导入").order_by("name")
    assert [p.name for p in created] == ["导入0", "导入1", "导入2"]
    dongyue = world.communities["dongyue"]
    assert {p.community_id for p in created} == {dongyue.region.pk}
    assert {p.grid_id for p in created} == {dongyue.grid.pk}
    assert created[0].gender == "male" and created[0].birth_date == dt.date(1985, 1, 1)
    assert Household.objects.count() == households_before + 3
    audit = AuditEvent.objects.get(action="import", target_id=str(job.pk))
    assert audit.changes == {"kind": "persons", "rows": 3, "new": 3, "update": 0}
    assert audit.community_id == dongyue.region.pk


def test_a_known_person_is_an_update(world: World) -> None:
    actor = world.users["community_staff"]
    zhang = world.communities["dongyue"].persons[0]
    rows = roster(world, 1)
    rows[0][0], rows[0][3] = "东岳张伟改", zhang.id_number
    job = checked_job(actor, "persons", PERSON_HEADERS, rows)
    assert (job.count_new, job.count_update, job.count_error) == (0, 1, 0)
    job = commit(job, actor)
    assert job.status == ImportStatus.DONE
    zhang.refresh_from_db()
    assert zhang.name == "东岳张伟改"


def test_duplicate_id_numbers_in_the_file_are_errors(world: World) -> None:
    rows = roster(world, 3)
    rows[2][3] = rows[0][3]
    job = checked_job(world.users["community_staff"], "persons", PERSON_HEADERS, rows)
    assert job.outcomes == "nne"
    with translation.override("zh-hans"):
        expected = _("Row %(row)d: %(detail)s") % {
            "row": 4,
            "detail": _("The ID number is also on row %(row)d.") % {"row": 2},
        }
    assert job.errors.get().message == expected
    assert expected.startswith("第4行：")


def test_regions_outside_the_actors_scope_are_errors(world: World) -> None:
    rows = roster(world, 2)
    rows[1][6] = world.communities["beichen"].entrance.code
    rows[0][6] = "999"
    job = checked_job(world.users["community_staff"], "persons", PERSON_HEADERS, rows)
    assert job.outcomes == "ee"
    messages = list(job.errors.values_list("message", flat=True))
    assert "999" in messages[0]
    with translation.override("zh-hans"):
        outside = _("%(code)s is outside the area you may import into.") % {"code": rows[1][6]}
    assert messages[1] == f"第3行：{outside}"
    # A person registered in another community cannot be overwritten from here.
    sibling = world.communities["beichen"].persons[0]
    rows = roster(world, 1)
    rows[0][3] = sibling.id_number
    job = checked_job(world.users["community_staff"], "persons", PERSON_HEADERS, rows)
    assert job.outcomes == "e"


def test_missing_columns_are_refused_at_upload(world: World) -> None:
    content = xlsx([h for h in PERSON_HEADERS if h != "身份证号"], [])
    with pytest.raises(ApplicationError) as exc:
        import_job_create(actor=world.users["community_staff"], kind="persons", file=upload(content))
    assert exc.value.code == "import_columns_missing"
    with translation.override("zh-hans"):
        assert exc.value.message == _("Missing columns: %(columns)s") % {"columns": "身份证号"}  # 缺少列：身份证号


def test_a_failure_during_the_commit_writes_nothing(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    actor = world.users["community_staff"]
    monkeypatch.setattr(importer_base, "BATCH_SIZE", 2)
    monkeypatch.setattr("grassroots.imports.services.BATCH_SIZE", 2)
    job = checked_job(actor, "persons", PERSON_HEADERS, roster(world, 5))
    assert job.count_new == 5
    persons, households, audits = Person.objects.count(), Household.objects.count(), AuditEvent.objects.count()
    real = Person.objects.bulk_create
    calls = []

    def failing(objs: list[Person], *args: object, **kwargs: object) -> list[Person]:
        calls.append(len(objs))
        if len(calls) == 2:
            raise IntegrityError("UNIQUE constraint failed: simulated")
        return real(objs, *args, **kwargs)

    monkeypatch.setattr(Person.objects, "bulk_create", failing)
    job = commit(job, actor)
    assert calls == [2, 2]
    assert job.status == ImportStatus.FAILED
    assert "simulated" in job.message
    assert (Person.objects.count(), Household.objects.count()) == (persons, households)
    assert AuditEvent.objects.count() == audits


def test_party_memberships(world: World) -> None:
    actor = world.users["community_staff"]
    dongyue = world.communities["dongyue"]
    zhang, li = dongyue.persons
    headers = ["身份证号", "党组织编码", "入党日期", "党员类别", "工作单位编码"]
    rows = [
        [zhang.id_number, dongyue.organization.code, "2005-07-01", "居民党员", ""],
        [li.id_number, dongyue.organization.code, "2005-07-01", "在职党员", ""],  # no home unit
        [world.communities["beichen"].persons[0].id_number, dongyue.organization.code, "2005-07-01", "居民党员", ""],
    ]
    job = checked_job(actor, "party_memberships", headers, rows)
    assert job.outcomes == "nee"
    assert PartyMembership.objects.count() == 0  # the dry run wrote nothing
    messages = list(job.errors.values_list("message", flat=True))
    with translation.override("zh-hans"):
        assert messages == [
            _("Row %(row)d: %(detail)s") % {"row": 3, "detail": _("An in-service party member needs a home unit.")},
            _("Row %(row)d: %(detail)s")
            % {"row": 4, "detail": _("No person with this ID number is registered in your area.")},
        ]
    job = checked_job(actor, "party_memberships", headers, rows[:1])
    job = commit(job, actor)
    assert job.status == ImportStatus.DONE, job.message
    assert PartyMembership.objects.get().person == zhang


def test_regions_grids_and_organisations(world: World) -> None:
    admin = world.users["district_admin"]
    dongyue = world.communities["dongyue"].region
    job = checked_job(
        admin,
        "regions",
        ["上级编码", "类型", "名称", "编码"],
        [
            [dongyue.code, "小区", "新东岳小区", f"{dongyue.code}09"],
            [f"{dongyue.code}09", "楼栋", "新东岳1栋", f"{dongyue.code}0901"],
            [dongyue.code, "楼栋", "错层", f"{dongyue.code}08"],  # a building under a community
        ],
    )
    assert job.outcomes == "nne"
    job = checked_job(
        admin,
        "regions",
        ["上级编码", "类型", "名称", "编码"],
        [
            [dongyue.code, "小区", "新东岳小区", f"{dongyue.code}09"],
            [f"{dongyue.code}09", "楼栋", "新东岳1栋", f"{dongyue.code}0901"],
        ],
    )
    job = commit(job, admin)
    assert job.status == ImportStatus.DONE, job.message
    building = Region.objects.get(code=f"{dongyue.code}0901")
    assert building.community_id == dongyue.pk

    job = checked_job(
        admin,
        "grids",
        ["社区编码", "网格编码", "网格名称", "覆盖区域编码"],
        [[dongyue.code, "GNEW1", "新网格", f"{dongyue.code}09"], [dongyue.code, "GNEW1", "重复", ""]],
    )
    assert job.outcomes == "ne"
    job = checked_job(
        admin,
        "grids",
        ["社区编码", "网格编码", "网格名称", "覆盖区域编码"],
        [[dongyue.code, "GNEW1", "新网格", f"{dongyue.code}09"]],
    )
    assert commit(job, admin).status == ImportStatus.DONE
    assert list(Grid.objects.get(code="GNEW1").areas.values_list("code", flat=True)) == [f"{dongyue.code}09"]

    headers = ["组织类型", "组织名称", "组织编码", "所在区域编码", "上级组织编码", "统一社会信用代码"]
    job = checked_job(
        admin,
        "organizations",
        headers,
        [["党支部", "新东岳党支部", "ONEW1", dongyue.code, world.communities["dongyue"].organization.code, ""]],
    )
    assert job.outcomes == "n", list(job.errors.values_list("message", flat=True))
    assert commit(job, admin).status == ImportStatus.DONE
    assert Organization.objects.get(code="ONEW1").community_id == dongyue.pk


def test_community_staff_cannot_import_territory(world: World) -> None:
    with pytest.raises(ApplicationError) as exc:
        import_job_create(
            actor=world.users["community_staff"], kind="regions", file=upload(xlsx(["类型", "名称", "编码"], []))
        )
    assert exc.value.code == "permission_denied"


def test_organisation_rows_follow_the_organisation_service_rules(world: World) -> None:
    """The importer writes through organization_create, so its rules (credit code, one owners' committee) apply."""
    admin = world.users["district_admin"]
    dy = world.communities["dongyue"]
    headers = ["组织类型", "组织名称", "组织编码", "所在区域编码", "上级组织编码", "统一社会信用代码"]
    before = Organization.objects.count()
    job = checked_job(
        admin,
        "organizations",
        headers,
        [
            ["业主委员会", "东岳花园业委会", "OWC1", dy.compound.code, "", ""],
            ["业主委员会", "第二个业委会", "OWC2", dy.compound.code, "", ""],
            ["企业", "乱码公司", "ENT1", dy.region.code, "", "123"],
        ],
    )
    assert job.outcomes == "nee"
    assert Organization.objects.count() == before
