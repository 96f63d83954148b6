"""The party members' pages: the wall they can claim from, claiming, releasing and fulfilling."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from grassroots.accounts.enums import Role
from grassroots.accounts.services import role_assign, user_create
from grassroots.cases.enums import CaseKind, CaseStatus, Channel, ClaimOutcome, PhotoStage
from grassroots.cases.models import Case, CaseClaim, CasePhoto
from grassroots.cases.services import case_claim
from tests.cases.conftest import cases_world  # noqa: F401
from tests.cases.factories import make_case
from tests.conftest import PASSWORD, World
from tests.factories import make_person

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def client_for(user: Any) -> Client:
    client = Client(**EN)
    client.force_login(user)
    return client


def png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (12, 12), (30, 120, 30)).save(out, format="PNG")
    return SimpleUploadedFile("done.png", out.getvalue(), content_type="image/png")


@pytest.fixture
def beichen_wish(cases_world: World) -> Case:  # noqa: F811
    return make_case(
        cases_world,
        community="beichen",
        actor=cases_world.users["sibling_staff"],
        channel=Channel.WALK_IN,
        requester_name="北辰王芳",
        description="北辰老人想要一台收音机",
        accept=True,
    )


@pytest.fixture
def second_member(cases_world: World) -> Any:  # noqa: F811
    user = user_create(actor=None, username="member2", password=PASSWORD)
    dy = cases_world.communities["dongyue"]
    user.person = make_person(name="东岳党员赵敏", household=dy.household, male=False)
    user.save()
    role_assign(actor=None, user=user, role=Role.PARTY_MEMBER, region=dy.region)
    return user


def test_the_wall_shows_the_members_community_only(cases_world: World, beichen_wish: Case) -> None:  # noqa: F811
    w = cases_world
    wish = make_case(w, accept=True, description="想要一副老花镜")
    difficulty = make_case(w, kind=CaseKind.DIFFICULTY, accept=True, description="楼道堆满杂物")
    pending = make_case(w, description="还没审核的心愿")
    html = client_for(w.users["party_member"]).get("/portal/member/wall/").content.decode()
    assert wish.title in html and difficulty.title in html
    assert pending.title not in html
    assert "北辰" not in html
    assert "东岳张伟" not in html and wish.requester_masked in html  # names masked
    only_wishes = client_for(w.users["party_member"]).get("/portal/member/wall/?kind=micro_wish").content.decode()
    assert wish.title in only_wishes and difficulty.title not in only_wishes


def test_a_claim_of_another_community_is_refused(cases_world: World, beichen_wish: Case) -> None:  # noqa: F811
    response = client_for(cases_world.users["party_member"]).post(f"/portal/member/wall/{beichen_wish.pk}/claim/")
    assert response.status_code == 404
    beichen_wish.refresh_from_db()
    assert beichen_wish.status == CaseStatus.OPEN and beichen_wish.claimer_user is None
    assert not CaseClaim.objects.filter(case=beichen_wish).exists()


def test_claim_then_fulfil_from_the_phone(cases_world: World) -> None:  # noqa: F811
    w = cases_world
    member = w.users["party_member"]
    wish = make_case(w, accept=True)
    client = client_for(member)
    response = client.post(f"/portal/member/wall/{wish.pk}/claim/")
    assert response.status_code == 302 and response["Location"] == "/portal/member/claims/"
    wish.refresh_from_db()
    assert wish.status == CaseStatus.IN_PROGRESS and wish.claimer_user == member
    html = client.get("/portal/member/claims/").content.decode()
    assert wish.title in html and "It is done" in html
    response = client.post(
        f"/portal/member/claims/{wish.pk}/fulfil/", {"note": "送去了老花镜", "residents_served": "2", "photos": [png()]}
    )
    assert response.status_code == 302
    wish.refresh_from_db()
    assert wish.status == CaseStatus.FULFILLED and wish.deed_at is not None and wish.residents_served == 2
    assert CasePhoto.objects.filter(case=wish, stage=PhotoStage.FULFILMENT).count() == 1


def test_a_lost_race_gets_the_friendly_message(cases_world: World, second_member: Any) -> None:  # noqa: F811
    w = cases_world
    wish = make_case(w, accept=True)
    case_claim(case=wish, actor=second_member)
    client = client_for(w.users["party_member"])
    response = client.post(f"/portal/member/wall/{wish.pk}/claim/", follow=True)
    assert "Someone has just claimed this; thank you all the same." in response.content.decode()
    wish.refresh_from_db()
    assert wish.claimer_user == second_member


def test_fulfilment_needs_a_note_and_writes_nothing_without_it(cases_world: World) -> None:  # noqa: F811
    w = cases_world
    member = w.users["party_member"]
    wish = case_claim(case=make_case(w, accept=True), actor=member)
    response = client_for(member).post(
        f"/portal/member/claims/{wish.pk}/fulfil/", {"note": "", "residents_served": "1"}
    )
    assert response.status_code == 200 and "Say what was done." in response.content.decode()
    wish.refresh_from_db()
    assert wish.status == CaseStatus.IN_PROGRESS and wish.deed_at is None


def test_release_needs_a_reason_and_returns_the_wish_to_the_wall(cases_world: World) -> None:  # noqa: F811
    w = cases_world
    member = w.users["party_member"]
    wish = case_claim(case=make_case(w, accept=True), actor=member)
    client = client_for(member)
    response = client.post(f"/portal/member/claims/{wish.pk}/release/", {"reason": ""})
    assert response.status_code == 200 and "Say why the claim is released." in response.content.decode()
    wish.refresh_from_db()
    assert wish.status == CaseStatus.IN_PROGRESS
    response = client.post(f"/portal/member/claims/{wish.pk}/release/", {"reason": "临时出差"})
    assert response.status_code == 302
    wish.refresh_from_db()
    assert wish.status == CaseStatus.OPEN
    assert CaseClaim.objects.get(case=wish).outcome == ClaimOutcome.RELEASED
    assert wish.title in client.get("/portal/member/wall/").content.decode()


def test_another_members_claim_cannot_be_touched(cases_world: World, second_member: Any) -> None:  # noqa: F811
    w = cases_world
    wish = case_claim(case=make_case(w, accept=True), actor=second_member)
    client = client_for(w.users["party_member"])
    assert client.post(f"/portal/member/claims/{wish.pk}/release/", {"reason": "x"}).status_code == 404
    assert client.post(f"/portal/member/claims/{wish.pk}/fulfil/", {"note": "x"}).status_code == 404
    assert wish.title not in client.get("/portal/member/claims/").content.decode()
    wish.refresh_from_db()
    assert wish.status == CaseStatus.IN_PROGRESS and wish.claimer_user == second_member


def test_only_claimers_get_in(cases_world: World) -> None:  # noqa: F811
    w = cases_world
    wish = make_case(w, accept=True)
    anonymous = Client().get("/portal/member/wall/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")
    for persona in ("resident", "community_staff", "grid_worker"):
        client = client_for(w.users[persona])
        assert client.get("/portal/member/wall/").status_code == 403
        assert client.get("/portal/member/claims/").status_code == 403
        assert client.post(f"/portal/member/wall/{wish.pk}/claim/").status_code == 403
    wish.refresh_from_db()
    assert wish.status == CaseStatus.OPEN


def test_the_claim_tab_shows_for_claimers_only(cases_world: World) -> None:  # noqa: F811
    w = cases_world
    assert 'href="/portal/member/wall/"' in client_for(w.users["party_member"]).get("/portal/").content.decode()
    assert 'href="/portal/member/wall/"' not in client_for(w.users["resident"]).get("/portal/").content.decode()


@pytest.mark.parametrize("url", ["/portal/member/wall/", "/portal/member/claims/"])
def test_member_page_queries_do_not_grow(cases_world: World, url: str) -> None:  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = cases_world
    member = w.users["party_member"]
    client = client_for(member)
    counts = []
    for n in (2, 4):
        while Case.objects.count() < n:
            case = make_case(w, accept=True, description=f"心愿{Case.objects.count()}")
            if "claims" in url:
                case_claim(case=case, actor=member)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
