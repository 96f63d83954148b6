"""Import pages: upload, the job page with progress (htmx partial) and rows, commit, templates, scope."""

from __future__ import annotations

import datetime as dt
import io

from django.urls import reverse
from openpyxl import load_workbook

from grassroots.core.models import AuditEvent
from grassroots.imports.models import ImportJob, ImportStatus
from grassroots.people.models import Person
from tests.conftest import World
from tests.factories import make_id_number
from tests.imports.helpers import PERSON_HEADERS, checked_job, upload, xlsx
from tests.web.helpers import html


def _rows(world: World, count: int = 3) -> list[list[str]]:
    entrance = world.communities["dongyue"].entrance.code
    return [
        [f"页面{i}", "女", "汉", make_id_number(dt.date(1990, 2, 1 + i), male=False), "", "", entrance, "301"]
        for i in range(count)
    ]


def test_template_download_has_the_chinese_headers(world: World) -> None:
    response = world.client("community_staff").get(reverse("imports:template", args=["persons"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert [c.value for c in sheet[1]] == PERSON_HEADERS
    # community staff may not import regions, so that template is not offered
    assert world.client("community_staff").get(reverse("imports:template", args=["regions"])).status_code == 404


def test_upload_checks_the_rows_and_the_page_shows_the_error(world: World) -> None:
    client = world.client("community_staff")
    rows = _rows(world)
    good = rows[1][3]
    rows[1][3] = good[:17] + ("0" if good[17] != "0" else "1")
    before = Person.objects.count()
    response = client.post(
        reverse("imports:job_create"), {"kind": "persons", "file": upload(xlsx(PERSON_HEADERS, rows))}
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:job_detail", args=[job.pk])
    assert job.status == ImportStatus.VALIDATED  # the task ran at once (huey immediate mode in tests)
    page = html(client.get(response["Location"]))
    assert "第3行：" in page
    assert html(client.get(response["Location"] + "?errors=1")).count("第3行：") == 1
    response = client.post(reverse("imports:job_commit", args=[job.pk]))
    assert response.status_code == 302
    assert Person.objects.count() == before
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.VALIDATED

    rows[1][3] = good
    client.post(reverse("imports:job_create"), {"kind": "persons", "file": upload(xlsx(PERSON_HEADERS, rows))})
    job = ImportJob.objects.order_by("-pk").first()
    assert job is not None and job.count_new == 3
    client.post(reverse("imports:job_commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert Person.objects.count() == before + 3
    assert AuditEvent.objects.filter(action="import", target_id=str(job.pk)).count() == 1


def test_wrong_files_are_form_errors(world: World) -> None:
    client = world.client("community_staff")
    url = reverse("imports:job_create")
    response = client.post(url, {"kind": "persons", "file": upload(b"name,id\n", "roster.csv")})
    assert response.status_code == 200 and response.context["form"].errors["file"]
    response = client.post(url, {"kind": "persons", "file": upload(b"not a zip", "roster.xlsx")})
    assert response.status_code == 200 and response.context["form"].errors["file"]
    response = client.post(url, {"kind": "persons", "file": upload(xlsx(["姓名"], []), "roster.xlsx")})
    assert response.status_code == 200
    assert "身份证号" in response.context["form"].errors["file"][0]
    response = client.post(url, {"kind": "regions", "file": upload(xlsx(["姓名"], []))})
    assert "kind" in response.context["form"].errors  # not a kind community staff may import
    assert not ImportJob.objects.exists()


def test_progress_partial_for_htmx(world: World) -> None:
    job = checked_job(world.users["community_staff"], "persons", PERSON_HEADERS, _rows(world))
    client = world.client("community_staff")
    url = reverse("imports:job_progress", args=[job.pk])
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.VALIDATING, rows_done=1)
    response = client.get(url, HTTP_HX_REQUEST="true")
    body = html(response)
    assert body.lstrip().startswith('<div id="import-progress"')
    assert 'hx-trigger="every 1s"' in body and "<html" not in body
    assert 'http-equiv="refresh"' in body  # without JavaScript the page refreshes itself
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.VALIDATED)
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"
    assert "hx-trigger" not in html(response)
    assert "<html" in html(client.get(url))  # without htmx: the whole page


def test_another_communitys_job_is_a_404(world: World) -> None:
    rows = _rows(world, 1)
    rows[0][6] = world.communities["beichen"].entrance.code
    job = checked_job(world.users["sibling_staff"], "persons", PERSON_HEADERS, rows)
    assert job.community_id == world.communities["beichen"].region.pk
    client = world.client("community_staff")
    for name in ("imports:job_detail", "imports:job_progress"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert client.post(reverse("imports:job_commit", args=[job.pk])).status_code == 404
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.VALIDATED
    listing = html(client.get(reverse("imports:job_list")))
    assert reverse("imports:job_detail", args=[job.pk]) not in listing
    # the sibling worker and the street above both see it
    assert world.client("sibling_staff").get(reverse("imports:job_detail", args=[job.pk])).status_code == 200
    assert world.client("street_staff").get(reverse("imports:job_detail", args=[job.pk])).status_code == 200


def test_roles_without_people_rights_cannot_upload(world: World) -> None:
    assert world.client("grid_worker").get(reverse("imports:job_create")).status_code == 403
    assert world.client("resident").get(reverse("imports:job_list")).status_code == 403
    assert world.client("community_staff").get(reverse("imports:job_list")).status_code == 200
