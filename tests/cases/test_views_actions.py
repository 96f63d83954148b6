"""The case page's actions: each POST calls its service, writes a timeline row and an audit row; bad input
shows the error and changes nothing; another community's case is a 404."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from grassroots.cases.enums import CaseKind, CaseStatus, EventKind, Satisfaction
from grassroots.cases.models import Case, CasePhoto
from grassroots.cases.services import case_claim, case_fulfil
from grassroots.core.models import AuditEvent
from tests.cases.factories import make_case
from tests.conftest import World
from tests.web.helpers import html


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (6, 6), "blue").save(buffer, "PNG")
    return SimpleUploadedFile("done.png", buffer.getvalue(), content_type="image/png")


def audits(case: Case, detail: str) -> int:
    """Audit rows of one action on the case (an escalation's detail also names the levels: "escalate 1->2")."""
    rows = AuditEvent.objects.filter(target_id=str(case.pk), action="update")
    return rows.filter(detail=detail).count() + rows.filter(detail__startswith=f"{detail} ").count()


def post(w: World | Client, case: Case, action: str, data: dict[str, Any], persona: str = "community_staff") -> Any:
    fields = {f"{action}-{name}": value for name, value in data.items()}
    client = w if isinstance(w, Client) else w.client(persona)
    return client.post(f"/cases/{case.pk}/{action}/", fields)


def in_progress(w: World) -> Case:
    case = make_case(w, accept=True)
    return case_claim(case=case, actor=w.users["community_staff"], on_behalf_of=w.communities["dongyue"].organization)


@pytest.mark.parametrize(
    ("action", "data", "status", "event"),
    [
        ("accept", {"note": "已核实"}, CaseStatus.OPEN, EventKind.ACCEPTED),
        ("reject", {"reason": "不属于社区服务范围"}, CaseStatus.REJECTED, EventKind.REJECTED),
        ("escalate", {"reason": "需要社区协调"}, CaseStatus.PENDING, EventKind.ESCALATED),
        ("cancel", {"reason": "居民已自行解决"}, CaseStatus.CANCELLED, EventKind.CANCELLED),
        ("note", {"note": "已电话联系居民", "public": "on"}, CaseStatus.PENDING, EventKind.NOTE),
    ],
)
def test_actions_on_a_pending_case(
    cases_world: World, action: str, data: dict[str, Any], status: str, event: str
) -> None:
    w = cases_world
    case = make_case(w)
    level = case.level
    client = w.client("community_staff")
    response = post(client, case, action, data)
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    case.refresh_from_db()
    assert case.status == status
    assert case.events.filter(kind=event).count() == 1
    assert audits(case, action) == 1
    assert case.level == (level + 1 if action == "escalate" else level)
    page = html(client.get(f"/cases/{case.pk}/"))
    assert "message-success" in page


def test_claim_release_fulfil_and_rate(cases_world: World) -> None:
    w = cases_world
    dy = w.communities["dongyue"]
    case = make_case(w, accept=True)

    assert post(w, case, "claim", {"organization": dy.organization.pk, "note": ""}).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS and case.claimer_org == dy.organization
    assert audits(case, "claim") == 1

    assert post(w, case, "release", {"reason": "人手不够"}).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and case.claimer_org is None
    assert audits(case, "release") == 1

    post(w, case, "claim", {"organization": dy.organization.pk})
    response = post(w, case, "fulfil", {"note": "已换好灯泡", "residents_served": "2", "photos": png()})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.FULFILLED and case.residents_served == 2
    assert CasePhoto.objects.filter(case=case, stage="fulfilment").count() == 1
    assert audits(case, "fulfil") == 1

    response = post(w, case, "rate", {"stars": "5", "satisfaction": Satisfaction.SATISFIED, "comment": "回访满意"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.rating_stars == 5 and case.rating_resolved is True
    assert [e for e in case.events.values_list("kind", flat=True)][-1] == EventKind.RATED
    assert audits(case, "rate") == 1


def test_claim_for_an_organisation_outside_the_scope_is_refused(cases_world: World) -> None:
    w = cases_world
    case = make_case(w, accept=True)
    response = post(w, case, "claim", {"organization": w.communities["beichen"].organization.pk})
    assert response.status_code == 400
    assert response.context["action_forms"][0]["form"].errors["organization"]
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and case.claimer_org is None


def test_reject_without_a_reason_shows_the_error_and_changes_nothing(cases_world: World) -> None:
    w = cases_world
    case = make_case(w)
    events = case.events.count()
    response = post(w, case, "reject", {"reason": ""})
    assert response.status_code == 400
    forms = {a["name"]: a["form"] for a in response.context["action_forms"]}
    assert forms["reject"].errors["reason"]
    assert "message-error" in html(response)
    case.refresh_from_db()
    assert case.status == CaseStatus.PENDING and case.events.count() == events
    assert audits(case, "reject") == 0


def test_fulfil_with_a_text_file_as_photo_changes_nothing(cases_world: World) -> None:
    w = cases_world
    case = in_progress(w)
    events = case.events.count()
    text = SimpleUploadedFile("notes.png", b"this is not a photo", content_type="image/png")
    response = post(w, case, "fulfil", {"note": "做好了", "residents_served": "1", "photos": text})
    assert response.status_code == 400
    forms = {a["name"]: a["form"] for a in response.context["action_forms"]}
    assert forms["fulfil"].errors["photos"]
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS and case.deed_at is None
    assert case.events.count() == events and not case.photos.exists()


def test_an_action_that_no_longer_fits_is_a_message(cases_world: World) -> None:
    w = cases_world
    case = make_case(w, accept=True)  # open: cannot be accepted again
    client = w.client("community_staff")
    response = post(client, case, "accept", {})
    assert response.status_code == 302
    page = html(client.get(response["Location"]))
    assert "message-error" in page
    assert case.events.filter(kind=EventKind.ACCEPTED).count() == 1


def test_rating_a_dissatisfied_call_reopens(cases_world: World) -> None:
    w = cases_world
    case = in_progress(w)
    case_fulfil(case=case, actor=w.users["community_staff"], note="做了", residents_served=1)
    response = post(w, case, "rate", {"stars": "1", "satisfaction": Satisfaction.DISSATISFIED, "resolved": "no"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS and case.reopen_count == 1 and case.rating_resolved is False


def test_internal_notes_are_not_shown_to_a_claimer_outside_the_staff(cases_world: World) -> None:
    w = cases_world
    member = w.users["party_member"]
    case = case_claim(case=make_case(w, accept=True), actor=member)
    post(w, case, "note", {"note": "内部：居民情绪激动"})
    post(w, case, "note", {"note": "公开：明天上门", "public": "on"})
    page = html(w.client("party_member").get(f"/cases/{case.pk}/"))
    assert "公开：明天上门" in page and "内部：居民情绪激动" not in page
    assert "内部：居民情绪激动" in html(w.client("community_staff").get(f"/cases/{case.pk}/"))


@pytest.mark.parametrize("action", ["accept", "reject", "claim", "fulfil", "rate", "escalate", "cancel", "note"])
def test_actions_on_another_communitys_case_are_404(cases_world: World, action: str) -> None:
    w = cases_world
    case = make_case(w, community="beichen")
    response = post(
        w, case, action, {"reason": "x", "note": "x", "organization": w.communities["dongyue"].organization.pk}
    )
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == CaseStatus.PENDING
    assert AuditEvent.objects.filter(target_id=str(case.pk), action="update").count() == 0


def test_get_on_an_action_is_not_allowed(cases_world: World) -> None:
    case = make_case(cases_world, kind=CaseKind.DIFFICULTY, category="safety")
    assert cases_world.client("community_staff").get(f"/cases/{case.pk}/accept/").status_code == 405
