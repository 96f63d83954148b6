"""The party member's frontline phone pages: reporting to the community, posts and service, points, campaigns.

Each page reads through the member's own person; other people's reports, bookings and campaigns not meant for
the member are invisible (404), and people who are not party members get a 403."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.translation import gettext, override

from grassroots.accounts.services import user_create
from grassroots.catalogue.models import ServiceCategory
from grassroots.core.models import AuditEvent
from grassroots.frontline.enums import BookingStatus, PlaceKind, ReportStatus
from grassroots.frontline.models import Campaign, MemberReport, Shift, ShiftBooking
from grassroots.frontline.services.campaigns import (
    campaign_create,
    campaign_open,
    place_add,
    shift_add,
    shift_signup,
)
from grassroots.frontline.services.reporting import member_report_decide, member_report_submit
from grassroots.people.models import PartyMembership
from tests.conftest import PASSWORD, World
from tests.factories import make_person
from tests.frontline.conftest import reported_member  # noqa: F401

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
REPORT = "/portal/member/report/"
POSTS = "/portal/member/posts/"
POINTS = "/portal/member/points/"
CAMPAIGNS = "/portal/member/campaigns/"
PAGES = (REPORT, POSTS, POINTS, CAMPAIGNS)

pytestmark = pytest.mark.usefixtures("midday")


def t(message: str) -> str:
    """A UI text as the page shows it (English, HTML-escaped)."""
    with override("en"):
        return html.escape(gettext(message), quote=False)


def client_for(user: Any) -> Client:
    client = Client(**EN)
    client.force_login(user)
    return client


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def post_ids(*codes: str) -> list[int]:
    return list(ServiceCategory.objects.filter(code__in=codes).values_list("pk", flat=True))


def written() -> tuple[int, int, int]:
    return MemberReport.objects.count(), ShiftBooking.objects.count(), AuditEvent.objects.count()


# Who gets in


def test_only_party_members_open_the_pages(duty_world: World) -> None:
    w = duty_world
    for url in PAGES:
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/portal/login/")
        for persona in ("resident", "sibling_staff", "community_staff", "unit_admin"):
            assert client_for(w.users[persona]).get(url).status_code == 403, (persona, url)
        assert client_for(w.users["party_member"]).get(url).status_code == 200


def test_only_in_service_members_report(duty_world: World) -> None:
    w = duty_world
    user = user_create(actor=None, username="retired_member", password=PASSWORD)
    user.person = make_person(name="东岳退休党员周文", household=w.communities["dongyue"].household)
    user.save()
    PartyMembership.objects.create(
        person=user.person, organization=w.duty.unit_branch, joined_on=dt.date(1980, 7, 1), category="resident"
    )
    client = client_for(user)
    assert client.get(REPORT).status_code == 403
    before = written()
    assert (
        client.post(REPORT, {"region": w.communities["dongyue"].region.pk, "posts": post_ids("policy")}).status_code
        == 403
    )
    assert written() == before
    assert client.get(POINTS).status_code == 200  # the other pages are for every party member


# Reporting


def test_a_member_reports_from_the_phone(duty_world: World) -> None:
    w = duty_world
    dy = w.communities["dongyue"]
    client = client_for(w.users["party_member"])
    body = page(client, REPORT)
    assert f'value="{dy.region.pk}"' in body and f'value="{dy.compound.pk}"' in body  # where they live
    assert body.count('name="posts"') == ServiceCategory.objects.filter(is_active=True).count()
    assert "北辰" not in body

    response = client.post(
        REPORT, {"region": dy.region.pk, "posts": post_ids("policy", "safety"), "skills": "税务咨询"}
    )
    assert response.status_code == 302 and response["Location"] == REPORT
    report = MemberReport.objects.get()
    assert report.person == w.duty.member and report.region == dy.region and report.status == ReportStatus.PENDING
    assert report.home_unit == w.duty.unit and set(report.posts.values_list("code", flat=True)) == {"policy", "safety"}

    body = page(client, REPORT)
    assert t("Awaiting confirmation") in body and "税务咨询" in body
    assert t("Withdraw my report") in body and 'id="report-form"' not in body

    before = written()  # a second report (another tab) is refused and the page says why
    response = client.post(REPORT, {"region": dy.region.pk, "posts": post_ids("policy")}, follow=True)
    assert 'class="message error"' in response.content.decode() and written() == before


def test_the_member_may_report_to_their_compound(duty_world: World) -> None:
    w = duty_world
    dy = w.communities["dongyue"]
    client_for(w.users["party_member"]).post(REPORT, {"region": dy.compound.pk, "posts": post_ids("elderly")})
    assert MemberReport.objects.get().region == dy.compound


@pytest.mark.parametrize(
    ("data", "field_error"),
    [
        ({"posts": []}, "Choose one to three service posts."),
        ({"posts": ["policy", "safety", "elderly", "mediation"]}, "Choose one to three service posts."),
        ({"region": "beichen"}, "Choose the community or compound where you live."),
    ],
)
def test_bad_reports_show_the_error_and_write_nothing(
    duty_world: World, data: dict[str, Any], field_error: str
) -> None:
    w = duty_world
    form = {"region": w.communities["dongyue"].region.pk, "posts": post_ids("policy")}
    form.update(data)
    if isinstance(form["posts"], list) and form["posts"] and isinstance(form["posts"][0], str):
        form["posts"] = post_ids(*form["posts"])
    if form["region"] == "beichen":
        form["region"] = w.communities["beichen"].region.pk
    before = written()
    response = client_for(w.users["party_member"]).post(REPORT, form)
    assert response.status_code == 200
    assert t(field_error) in response.content.decode()
    assert written() == before


def test_a_returned_report_shows_the_note_and_may_be_sent_again(duty_world: World) -> None:
    w = duty_world
    dy = w.communities["dongyue"]
    report = member_report_submit(
        actor=w.users["party_member"],
        region=dy.region,
        posts=list(ServiceCategory.objects.filter(code="mediation")),
        skills="法律咨询",
    )
    member_report_decide(report=report, actor=w.users["community_staff"], confirm=False, note="请选择小区报到")
    client = client_for(w.users["party_member"])
    body = page(client, REPORT)
    assert t("Returned") in body and "请选择小区报到" in body
    assert 'id="report-form"' in body and 'value="法律咨询"' in body  # the form starts from the last report
    client.post(REPORT, {"region": dy.compound.pk, "posts": post_ids("policy")})
    assert MemberReport.objects.filter(status=ReportStatus.PENDING, region=dy.compound).count() == 1


def test_the_member_withdraws_their_report(duty_world: World, reported_member: MemberReport) -> None:  # noqa: F811
    w = duty_world
    client = client_for(w.users["party_member"])
    assert t("Confirmed") in page(client, REPORT)
    response = client.post("/portal/member/report/withdraw/", follow=True)
    assert t("Your report has been withdrawn.") in response.content.decode()
    reported_member.refresh_from_db()
    assert reported_member.status == ReportStatus.WITHDRAWN
    response = client.post("/portal/member/report/withdraw/", follow=True)
    assert t("You have no report to withdraw.") in response.content.decode()


def test_the_notification_link_opens_ones_own_report_only(
    duty_world: World,
    reported_member: MemberReport,  # noqa: F811
) -> None:
    w = duty_world
    response = client_for(w.users["party_member"]).get(f"/portal/member/report/{reported_member.pk}/")
    assert response.status_code == 302 and response["Location"] == REPORT
    other = user_create(actor=None, username="member3", password=PASSWORD)
    other.person = w.duty.colleagues[0]
    other.save()
    assert client_for(other).get(f"/portal/member/report/{reported_member.pk}/").status_code == 404


# Posts and points


def test_posts_and_service_summary(duty_world: World, reported_member: MemberReport) -> None:  # noqa: F811
    body = page(client_for(duty_world.users["party_member"]), POSTS)
    for post in reported_member.posts.all():
        assert post.name in body
    assert "税务咨询" in body
    assert '<dd class="figure">5</dd>' in body  # the reporting points of this year


def test_points_page_shows_total_rank_and_ledger(duty_world: World, reported_member: MemberReport) -> None:  # noqa: F811
    w = duty_world
    body = page(client_for(w.users["party_member"]), POINTS)
    assert '<dd class="figure" id="points-total">5</dd>' in body
    with override("en"):
        rank = gettext("No. %(rank)s of %(of)s") % {"rank": 1, "of": 1}
    assert rank in body
    assert t("Reported to the community") in body and "东岳社区" in body
    assert body.count('class="card claim ledger-line"') == 1


def test_the_rank_counts_other_members_without_naming_them(duty_world: World, reported_member: MemberReport) -> None:  # noqa: F811
    w = duty_world
    colleague = w.duty.colleagues[0]
    report = member_report_submit(
        actor=w.users["community_staff"],
        region=w.communities["dongyue"].region,
        posts=list(ServiceCategory.objects.filter(code="policy")),
        person=colleague,
        channel="staff",
    )
    member_report_decide(report=report, actor=w.users["community_staff"], confirm=True)
    body = page(client_for(w.users["party_member"]), POINTS)
    with override("en"):
        assert gettext("No. %(rank)s of %(of)s") % {"rank": 1, "of": 2} in body
    assert colleague.name not in body


# Campaigns


def make_open_campaign(
    w: World, community: str, staff: str, title: str, shifts: list[tuple[dt.datetime, int]]
) -> Campaign:
    today = timezone.localdate()
    campaign = campaign_create(
        actor=w.users[staff],
        region=w.communities[community].region,
        title=title,
        starts_on=today,
        ends_on=today + dt.timedelta(days=7),
    )
    campaign = campaign_open(campaign=campaign, actor=w.users[staff])
    place = place_add(campaign=campaign, actor=w.users[staff], name=f"{title}卡点", kind=PlaceKind.CHECKPOINT)
    for start, needed in shifts:
        shift_add(
            campaign=campaign,
            place=place,
            actor=w.users[staff],
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            needed=needed,
        )
    return campaign


def test_campaigns_sign_up_check_in_and_out(duty_world: World) -> None:
    w = duty_world
    now = timezone.now()
    campaign = make_open_campaign(
        w, "dongyue", "community_staff", "东岳防汛值守", [(now + dt.timedelta(minutes=10), 2)]
    )
    make_open_campaign(w, "beichen", "sibling_staff", "北辰防汛值守", [(now + dt.timedelta(hours=1), 2)])
    shift = Shift.objects.get(campaign=campaign)
    client = client_for(w.users["party_member"])

    body = page(client, CAMPAIGNS)
    assert "东岳防汛值守" in body and "北辰" not in body
    with override("en"):
        assert gettext("%(left)s places left") % {"left": 2} in body
    assert f'action="/portal/member/campaigns/shifts/{shift.pk}/signup/"' in body

    response = client.post(f"/portal/member/campaigns/shifts/{shift.pk}/signup/")
    assert response.status_code == 302 and response["Location"] == CAMPAIGNS
    booking = ShiftBooking.objects.get()
    assert booking.person == w.duty.member and booking.status == BookingStatus.BOOKED
    body = page(client, CAMPAIGNS)
    assert t("You are signed up") in body and f'id="booking-{booking.pk}"' in body
    assert f'action="/portal/member/bookings/{booking.pk}/checkin/"' in body

    client.post(f"/portal/member/bookings/{booking.pk}/checkin/")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_IN
    assert f'action="/portal/member/bookings/{booking.pk}/checkout/"' in page(client, CAMPAIGNS)
    ShiftBooking.objects.filter(pk=booking.pk).update(checked_in_at=now - dt.timedelta(hours=1))
    response = client.post(f"/portal/member/bookings/{booking.pk}/checkout/", follow=True)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_OUT and booking.hours == 1
    with override("en"):
        assert gettext("Checked out: %(hours)s hours served. Thank you!") % {"hours": booking.hours} in (
            response.content.decode()
        )


def test_refusals_are_shown_clearly(duty_world: World) -> None:
    w = duty_world
    now = timezone.now()
    campaign = make_open_campaign(
        w,
        "dongyue",
        "community_staff",
        "东岳防汛值守",
        [(now + dt.timedelta(hours=2), 1), (now + dt.timedelta(hours=3), 1), (now + dt.timedelta(days=1), 1)],
    )
    first, overlapping, full = Shift.objects.filter(campaign=campaign).order_by("starts_at")
    shift_signup(shift=full, actor=w.users["community_staff"], person=w.duty.colleagues[0])
    client = client_for(w.users["party_member"])
    body = page(client, CAMPAIGNS)
    assert t("Full") in body and f"/shifts/{full.pk}/signup/" not in body

    client.post(f"/portal/member/campaigns/shifts/{first.pk}/signup/")
    before = written()
    response = client.post(f"/portal/member/campaigns/shifts/{overlapping.pk}/signup/", follow=True)
    text = response.content.decode()
    assert 'class="message error"' in text and "东岳防汛值守" in text
    response = client.post(f"/portal/member/campaigns/shifts/{full.pk}/signup/", follow=True)
    with override("en"):
        expected = gettext("Not signed up: %(reason)s") % {"reason": gettext("This shift is full.")}
    assert html.escape(expected, quote=False) in response.content.decode()
    assert written() == before


def test_other_peoples_bookings_and_other_communities_shifts_are_404(duty_world: World) -> None:
    w = duty_world
    now = timezone.now()
    make_open_campaign(w, "beichen", "sibling_staff", "北辰防汛值守", [(now + dt.timedelta(hours=1), 2)])
    dongyue = make_open_campaign(w, "dongyue", "community_staff", "东岳防汛值守", [(now + dt.timedelta(hours=1), 2)])
    beichen_shift = Shift.objects.get(campaign__title="北辰防汛值守")
    colleague_booking = shift_signup(
        shift=Shift.objects.get(campaign=dongyue), actor=w.users["community_staff"], person=w.duty.colleagues[0]
    )
    client = client_for(w.users["party_member"])
    before = written()
    assert client.post(f"/portal/member/campaigns/shifts/{beichen_shift.pk}/signup/").status_code == 404
    for action in ("checkin", "checkout", "cancel"):
        assert client.post(f"/portal/member/bookings/{colleague_booking.pk}/{action}/").status_code == 404
    assert written() == before
    assert client.get(f"/portal/member/bookings/{colleague_booking.pk}/cancel/").status_code == 405


def test_the_member_cancels_a_sign_up_before_the_shift(duty_world: World) -> None:
    w = duty_world
    campaign = make_open_campaign(
        w, "dongyue", "community_staff", "东岳防汛值守", [(timezone.now() + dt.timedelta(days=1), 2)]
    )
    booking = shift_signup(shift=Shift.objects.get(campaign=campaign), actor=w.users["party_member"])
    client = client_for(w.users["party_member"])
    body = page(client, CAMPAIGNS)
    assert f'action="/portal/member/bookings/{booking.pk}/cancel/"' in body
    assert f'action="/portal/member/bookings/{booking.pk}/checkin/"' not in body  # the window is not open yet
    client.post(f"/portal/member/bookings/{booking.pk}/cancel/")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert Shift.objects.get(campaign=campaign).booked == 0


def test_the_member_pages_are_linked_from_me_and_the_wall(duty_world: World) -> None:
    w = duty_world
    member = client_for(w.users["party_member"])
    assert 'href="/portal/member/report/"' in page(member, "/portal/me/")
    assert 'href="/portal/member/points/"' in page(member, "/portal/member/wall/")
    resident_user = w.users["resident"]
    resident_user.person = w.communities["dongyue"].persons[0]
    resident_user.save()
    assert 'href="/portal/member/report/"' not in page(client_for(resident_user), "/portal/me/")
