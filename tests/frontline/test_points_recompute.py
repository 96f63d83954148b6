"""Recomputing the ledger from the source records gives exactly the ledger the awards built, with a fixed
number of reads however many records there are."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from grassroots.cases.enums import CaseKind, Satisfaction
from grassroots.catalogue.models import ServiceCategory
from grassroots.frontline.enums import PointsSource
from grassroots.frontline.models import PointsEntry, ServiceRecord
from grassroots.frontline.services.points import (
    points_recompute,
    points_rules_publish,
    service_record_add,
)
from grassroots.frontline.services.reporting import member_report_decide, member_report_submit
from grassroots.frontline.tasks import points_recompute_progress, points_recompute_task
from tests.conftest import World
from tests.frontline.test_points import checked_out_booking, wish_done

FIELDS = (
    "person_id",
    "home_unit_id",
    "source",
    "source_key",
    "quantity",
    "points",
    "rule_id",
    "at",
    "case_id",
    "booking_id",
    "service_record_id",
    "member_report_id",
    "district_id",
    "street_id",
    "community_id",
    "compound_id",
)


def snapshot() -> list[tuple[Any, ...]]:
    return sorted(PointsEntry.objects.values_list(*FIELDS), key=lambda row: (row[0], row[3]))


def test_recompute_gives_exactly_the_ledger_the_awards_built(duty_world: World, reported_member: Any) -> None:
    w = duty_world
    staff = w.users["community_staff"]
    dy = w.communities["dongyue"]
    now = timezone.now()
    # Before the new rules: a wish rated satisfied, a difficulty rated dissatisfied then basically satisfied.
    wish_done(w, when=now - dt.timedelta(days=3))
    difficulty = wish_done(
        w, kind=CaseKind.DIFFICULTY, rating=Satisfaction.DISSATISFIED, when=now - dt.timedelta(days=3)
    )
    from grassroots.cases.services import case_fulfil, case_rate

    difficulty = case_fulfil(case=difficulty, actor=w.users["party_member"], note="修好了")
    case_rate(case=difficulty, actor=w.users["resident"], stars=4, satisfaction=Satisfaction.BASIC)
    wish_done(w, rating=None)
    # A colleague reports (placed at the compound), and both serve.
    colleague = w.duty.colleagues[0]
    report = member_report_submit(
        actor=staff,
        region=dy.compound,
        posts=list(ServiceCategory.objects.filter(code="safety")),
        person=colleague,
        channel="staff",
    )
    member_report_decide(report=report, actor=staff, confirm=True)
    service_record_add(
        actor=staff,
        person=colleague,
        region=dy.region,
        title="垃圾分类宣传",
        served_on=timezone.localdate(),
        hours="1.5",
    )
    service_record_add(
        actor=staff,
        person=w.duty.colleagues[1],
        region=dy.region,
        title="敬老院慰问",
        served_on=timezone.localdate() - dt.timedelta(days=30),
        hours="3",
    )
    from grassroots.frontline.services.points import points_award_for_booking

    points_award_for_booking(booking=checked_out_booking(w, w.duty.member, "4"))
    # New rules from tomorrow; service the day after is priced by them.
    points_rules_publish(
        actor=w.users["district_admin"],
        effective_from=now + dt.timedelta(days=1),
        points={PointsSource.HOUR_SERVED: 3, PointsSource.WISH_FULFILLED: 12},
        now=now,
    )
    later = now + dt.timedelta(days=2)
    points_award_for_booking(booking=checked_out_booking(w, colleague, "2.25", at=later))
    wish_done(w, when=later)

    incremental = snapshot()
    assert len(incremental) == 15
    sources = {row[2] for row in incremental}
    assert sources == set(PointsSource.values)
    placed = {row[3]: row[-1] for row in incremental if row[0] == colleague.pk}
    assert all(compound == dy.compound.pk for compound in placed.values())  # after the report: its compound

    result = points_recompute()
    assert result.entries == 15 and result.seconds >= 0
    assert snapshot() == incremental
    # A second run is the same again.
    points_recompute()
    assert snapshot() == incremental


def test_recompute_restores_what_bulk_writes_skipped(duty_world: World, reported_member: Any) -> None:
    w = duty_world
    wish_done(w)
    expected = snapshot()
    PointsEntry.objects.all().delete()
    messages: list[str] = []
    result = points_recompute(progress=messages.append)
    assert result.entries == len(expected) == 3
    assert snapshot() == expected
    assert len(messages) == 5  # removed, then one line per kind of source


def _bulk_records(w: World, count: int) -> None:
    people = [w.duty.member, *w.duty.colleagues]
    region = w.communities["dongyue"].region
    today = timezone.localdate()
    ServiceRecord.objects.bulk_create(
        [
            ServiceRecord(
                person=people[i % len(people)],
                region=region,
                title=f"活动{i}",
                served_on=today - dt.timedelta(days=i % 300),
                hours=Decimal("1.5"),
                district_id=region.district_id,
                street_id=region.street_id,
                community_id=region.community_id,
            )
            for i in range(count)
        ]
    )


def _reads(count: int, w: World) -> tuple[int, int]:
    ServiceRecord.objects.all().delete()
    _bulk_records(w, count)
    with CaptureQueriesContext(connection) as queries:
        result = points_recompute()
    reads = [q for q in queries.captured_queries if not q["sql"].lstrip().upper().startswith("INSERT")]
    return result.entries, len(reads)


def test_recompute_reads_the_same_few_queries_for_ten_or_a_thousand_records(
    duty_world: World, reported_member: Any
) -> None:
    small, small_reads = _reads(10, duty_world)
    large, large_reads = _reads(1000, duty_world)
    assert (small, large) == (21, 2001)
    assert small_reads == large_reads
    assert large_reads <= 16  # the ledger, and the points figure's roll-ups (one DELETE, one GROUP BY)


def test_the_command_and_the_task_rebuild_the_ledger(duty_world: World, reported_member: Any) -> None:
    wish_done(duty_world)
    out = io.StringIO()
    call_command("points_recompute", stdout=out, stderr=io.StringIO())
    assert "3" in out.getvalue()
    assert PointsEntry.objects.count() == 3
    result = points_recompute_task()
    assert result.get()["entries"] == 3
    assert points_recompute_progress() is not None
