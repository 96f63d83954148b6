"""Wish wall management: tabs by stage, scoped; verification from the wall returns to it."""

from __future__ import annotations

from grassroots.cases.enums import CaseKind, CaseStatus
from grassroots.cases.services import case_claim, case_fulfil
from tests.cases.factories import make_case
from tests.conftest import SIBLING_MARK, World
from tests.web.helpers import html


def rows(response: object) -> list[str]:
    return [case.number for case, _can in response.context["rows"]]  # type: ignore[attr-defined]


def test_wish_wall_tabs_are_scoped(cases_world: World) -> None:
    w = cases_world
    staff = w.users["community_staff"]
    pending = make_case(w, title="东岳待核实")
    on_wall = make_case(w, accept=True, title="东岳墙上")
    claimed = case_claim(case=make_case(w, accept=True), actor=w.users["party_member"])
    done = case_fulfil(
        case=case_claim(
            case=make_case(w, accept=True), actor=staff, on_behalf_of=w.communities["dongyue"].organization
        ),
        actor=staff,
        note="已完成",
        residents_served=1,
    )
    make_case(w, kind=CaseKind.DIFFICULTY, category="safety")  # not a wish
    make_case(w, community="beichen", title="北辰待核实")
    client = w.client("community_staff")
    response = client.get("/cases/wishes/")
    assert response.status_code == 200
    assert rows(response) == [pending.number]
    assert [count for _key, _label, count in response.context["tabs"]] == [1, 1, 1, 1]
    assert SIBLING_MARK not in html(response)
    assert f"/cases/{pending.pk}/accept/" in html(response)
    assert rows(client.get("/cases/wishes/", {"tab": "open"})) == [on_wall.number]
    assert rows(client.get("/cases/wishes/", {"tab": "claimed"})) == [claimed.number]
    assert rows(client.get("/cases/wishes/", {"tab": "fulfilled"})) == [done.number]
    assert rows(w.client("sibling_staff").get("/cases/wishes/"))[0].startswith("W")
    assert pending.number not in rows(w.client("sibling_staff").get("/cases/wishes/"))


def test_wish_wall_htmx_partial(cases_world: World) -> None:
    w = cases_world
    make_case(w, accept=True)
    response = w.client("community_staff").get("/cases/wishes/", {"tab": "open"}, headers={"HX-Request": "true"})
    body = html(response)
    assert "<html" not in body and body.lstrip().startswith('<div id="wish-results"')


def test_verify_from_the_wall_and_return_to_it(cases_world: World) -> None:
    w = cases_world
    first, second = make_case(w), make_case(w)
    client = w.client("community_staff")
    response = client.post(f"/cases/{first.pk}/accept/", {"next": "/cases/wishes/?tab=pending"})
    assert response.status_code == 302 and response["Location"] == "/cases/wishes/?tab=pending"
    response = client.post(f"/cases/{second.pk}/reject/", {"next": "/cases/wishes/", "reject-reason": "重复提交"})
    assert response["Location"] == "/cases/wishes/"
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (CaseStatus.OPEN, CaseStatus.REJECTED)
    # An outside ``next`` is ignored.
    third = make_case(w)
    response = client.post(f"/cases/{third.pk}/accept/", {"next": "https://example.com/"})
    assert response["Location"] == f"/cases/{third.pk}/"


def test_a_grid_worker_verifies_in_the_grid_only(cases_world: World) -> None:
    w = cases_world
    mine = make_case(w)
    response = w.client("grid_worker").get("/cases/wishes/")
    assert response.context["rows"] == [(mine, True)]
    assert w.client("party_member").get("/cases/wishes/").status_code == 403
