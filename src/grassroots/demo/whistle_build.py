"""Write the demo's year of whistles as of the build moment, with their calls, timelines and links to cases.

Each planned whistle is replayed in memory as the services would have written it: ``whistle_blow`` (report and
handling deadlines), the departments' acknowledgements, reports on site and feedback (on-time flags from the
deadlines), the five-minute sweep escalating calls not reported in time (to the street at the report deadline,
to the district ``WHISTLE_DISTRICT_AFTER_MINUTES`` later), ``whistle_close`` or ``whistle_cancel``, and the ratings.
Steps after the build moment have not happened yet, so the latest whistles are still open (some overdue).

A whistle blown for a case of the case plan is blown after the case's last escalation and before it was
fulfilled; the case gets the "whistle blown" line, and when the whistle closes while the case waits for its
rating, the case is closed with the whistle (as ``case_close_with_whistle`` does). A planned case that does not
fit (it was not escalated, or too little time was left) gives a whistle of its own, as planned.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.accounts.models import User
from grassroots.cases.enums import ACTIVE_STATUSES, EventKind
from grassroots.cases.models import Case, CaseEvent
from grassroots.demo.frontline_build import BATCH, Where
from grassroots.demo.plan import CallRow, WhistleRow
from grassroots.whistle.enums import CallStatus, EscalationLevel, WhistleEventKind, WhistleStatus
from grassroots.whistle.models import Whistle, WhistleCall, WhistleEvent
from grassroots.whistle.services.blow import NUMBER_PREFIX, report_minutes
from grassroots.whistle.services.sweep import district_after

SWEEP_SECONDS = 300  # the sweep task runs every five minutes
CASE_CLOSERS = (EventKind.RATED, EventKind.CLOSED)
ACTIVE = {str(s) for s in ACTIVE_STATUSES}


def _tick(moment: dt.datetime) -> dt.datetime:
    """The first sweep run at or after ``moment``."""
    stamp = math.ceil(moment.timestamp() / SWEEP_SECONDS) * SWEEP_SECONDS
    return dt.datetime.fromtimestamp(stamp, tz=dt.UTC)


@dataclass
class CaseLink:
    """A case a whistle is blown for, and the moments of its timeline that matter."""

    case: Case
    escalated: dt.datetime
    fulfilled: dt.datetime | None
    closers: list[CaseEvent]  # what ended it after fulfilment (rating, auto-close): replaced by the whistle
    status_at: Callable[[dt.datetime], str]


@dataclass
class Life:
    """One whistle replayed: its columns, its calls' columns and its timeline (events refer to call indexes)."""

    row: WhistleRow
    blown: dt.datetime
    link: CaseLink | None
    whistle: dict[str, Any] = field(default_factory=dict)
    calls: list[dict[str, Any]] = field(default_factory=list)
    events: list[tuple[int | None, dict[str, Any]]] = field(default_factory=list)
    closed_case: dt.datetime | None = None


def _case_links(w: Where) -> dict[int, CaseLink]:
    """The planned cases (by plan index) found in the database, escalated, with their timelines."""
    plan = w.plan
    wanted = sorted({row.case for row in plan.whistles if row.case >= 0})
    if not wanted:
        return {}
    rows = Case.objects.filter(kind__in=["difficulty", "grid_event"], escalation_count__gt=0)
    found: dict[tuple[Any, ...], list[Case]] = {}
    for case in rows.order_by("pk"):
        key = (case.kind, case.title, case.place_id, case.requester_id, case.residents_served)
        found.setdefault(key, []).append(case)
    chosen: dict[int, Case] = {}
    for index in wanted:
        crow = plan.cases[index]
        requester = w.person[crow.requester] if crow.requester >= 0 else None
        served = crow.served if crow.outcome != "in_progress" else 0
        candidates = found.get((crow.kind, crow.title, w.region[crow.place_code].pk, requester, served))
        if candidates:
            chosen[index] = candidates.pop(0)
    events: dict[int, list[CaseEvent]] = {}
    for event in CaseEvent.objects.filter(case__in=[c.pk for c in chosen.values()]).order_by("at", "pk"):
        events.setdefault(event.case_id, []).append(event)
    links: dict[int, CaseLink] = {}
    for index, case in chosen.items():
        timeline = events.get(case.pk, [])
        escalations = [e.at for e in timeline if e.kind == EventKind.ESCALATED]
        fulfilments = [e.at for e in timeline if e.kind == EventKind.FULFILLED]
        if not escalations or len(fulfilments) > 1:
            continue
        fulfilled = fulfilments[0] if fulfilments else None
        closers = [e for e in timeline if fulfilled and e.at >= fulfilled and e.kind in CASE_CLOSERS]

        def status_at(moment: dt.datetime, timeline: list[CaseEvent] = timeline) -> str:
            before = [e.to_status for e in timeline if e.at <= moment]
            return before[-1] if before else ""

        links[index] = CaseLink(case, max(escalations), fulfilled, closers, status_at)
    return links


class Replay:
    def __init__(self, w: Where) -> None:
        self.w = w
        self.district_after = district_after()
        self.department_login = {
            row.organization_code: w.users[row.username]
            for row in w.plan.logins
            if row.role == "department_staff" and row.organization_code and row.username in w.users
        }
        self.street_login = {
            row.region_code: w.users[row.username]
            for row in w.plan.logins
            if row.role == "street_staff" and row.region_code and row.username in w.users
        }
        self.horizon = w.now - dt.timedelta(minutes=1)
        self.auto_close = dt.timedelta(days=int(getattr(settings, "CASES_AUTO_CLOSE_DAYS", 7)))

    def blower(self, row: WhistleRow) -> tuple[User | None, str]:
        """The demo's login of the community (or street) that blows it, else the planned staff member."""
        w = self.w
        region = w.region[row.region_code]
        user = self.street_login.get(row.region_code) if region.kind == "street" else w.community_user(region)
        if user is not None and user.person is not None:
            return user, str(user.person)
        return None, w.plan.persons[row.raiser].name

    def blown_at(self, row: WhistleRow, link: CaseLink | None) -> dt.datetime | None:
        w = self.w
        if link is not None:
            until = link.fulfilled or self.horizon
            delay = min(dt.timedelta(minutes=5 + row.minute % 90), (until - link.escalated) / 2)
            blown = link.escalated + delay
            if delay < dt.timedelta(minutes=5) or blown >= self.horizon or link.status_at(blown) not in ACTIVE:
                return None
            return blown
        if row.days == 0:
            return w.now - dt.timedelta(minutes=row.minute)
        return w.at(w.today - dt.timedelta(days=row.days), row.minute)

    def call(self, life: Life, n: int, c: CallRow, report_due: dt.datetime, handle_due: dt.datetime,
             stop: dt.datetime) -> tuple[dt.datetime | None, dict[str, Any]]:  # fmt: skip
        """One call up to ``stop`` (the build moment, or the cancellation); returns its feedback moment."""
        w, blown = self.w, life.blown
        org = w.org[c.department_code]
        user = self.department_login.get(c.department_code)
        label = str(user.person) if user is not None and user.person is not None else org.name
        ack = blown + dt.timedelta(minutes=c.ack_m) if c.ack_m >= 0 else None
        report = blown + dt.timedelta(minutes=c.report_m)
        feedback = blown + dt.timedelta(minutes=c.feedback_m)
        call: dict[str, Any] = {
            "department_id": org.pk, "task": c.task, "status": CallStatus.CALLED, "called_at": blown,
            "report_due": report_due, "handle_due": handle_due, "escalation_level": EscalationLevel.NONE,
            "next_escalation_at": report_due,
        }  # fmt: skip

        def event(kind: str, at: dt.datetime, **values: Any) -> None:
            values.setdefault("actor_id", user.pk if user is not None else None)
            values.setdefault("actor_label", label)
            life.events.append((n, {"kind": kind, "at": at, "note": "", "data": {}, **values}))

        if ack is not None and ack < stop:
            call.update(status=CallStatus.ACKNOWLEDGED, acknowledged_at=ack)
            event(WhistleEventKind.ACKNOWLEDGED, ack)
        steps = [
            (EscalationLevel.STREET, _tick(report_due)),
            (EscalationLevel.DISTRICT, _tick(report_due + self.district_after)),
        ]
        for level, at in steps:
            if at < stop and at < report:
                call.update(escalation_level=level)
                call["next_escalation_at"] = (
                    report_due + self.district_after if level == EscalationLevel.STREET else None
                )
                event(WhistleEventKind.ESCALATED, at, actor_id=None, actor_label=_("System"),
                      note=str(EscalationLevel(level).label), data={"from_level": level - 1, "to_level": int(level)})  # fmt: skip
        if report >= stop:
            return None, call
        on_time = report <= report_due
        call.update(status=CallStatus.REPORTED, reported_at=report, reported_by_id=user.pk if user else None,
                    on_site_people=c.on_site_people, report_note=c.report_note, reported_on_time=on_time,
                    next_escalation_at=None)  # fmt: skip
        note = c.on_site_people if not c.report_note else f"{c.on_site_people}: {c.report_note}"
        event(WhistleEventKind.REPORTED, report, note=note, data={"on_time": on_time, "photo": False})
        if feedback >= stop:
            return None, call
        handled = feedback <= handle_due
        call.update(status=CallStatus.FED_BACK, fed_back_at=feedback, feedback_note=c.feedback_note,
                    handled_on_time=handled)  # fmt: skip
        event(WhistleEventKind.FED_BACK, feedback, note=c.feedback_note, data={"on_time": handled})
        return feedback, call

    def replay(self, row: WhistleRow, link: CaseLink | None) -> Life | None:
        blown = self.blown_at(row, link)
        if blown is None:
            return None
        life = Life(row, blown, link)
        region = self.w.region[row.region_code]
        user, label = self.blower(row)
        report_due = blown + dt.timedelta(minutes=report_minutes(row.urgency))
        handle_due = max(blown + dt.timedelta(minutes=row.handle_m), report_due)
        cancel = blown + dt.timedelta(minutes=row.close_m) if row.outcome == "cancelled" else None
        stop = min(self.horizon, cancel) if cancel is not None else self.horizon
        names = [self.w.org[c.department_code].name for c in row.calls]
        life.whistle = {
            "title": row.title, "description": row.description, "region_id": region.pk,
            "origin_case_id": link.case.pk if link else None, "urgency": row.urgency, "handle_due": handle_due,
            "status": WhistleStatus.OPEN, "raised_at": blown, "raised_by_id": user.pk if user else None,
            "raised_by_label": label[:100],
        }  # fmt: skip
        for level in ("district", "street", "community", "compound"):
            life.whistle[f"{level}_id"] = getattr(region, f"{level}_id")
        life.events.append((None, {
            "kind": WhistleEventKind.BLOWN, "at": blown, "actor_id": user.pk if user else None, "actor_label": label,
            "note": _("%(departments)s called") % {"departments": "、".join(names)},
            "data": {"departments": [self.w.org[c.department_code].pk for c in row.calls], "urgency": row.urgency,
                     "case": link.case.number if link else None},
        }))  # fmt: skip
        feedbacks: list[dt.datetime | None] = []
        for n, crow in enumerate(row.calls):
            fed_back, call = self.call(life, n, crow, report_due, handle_due, stop)
            feedbacks.append(fed_back)
            life.calls.append(call)
        if cancel is not None:
            if cancel < self.horizon:
                life.whistle.update(status=WhistleStatus.CANCELLED, closed_at=cancel, closed_by_id=user.pk if user else None,
                                    close_note=row.close_note)  # fmt: skip
                gone = [n for n, f in enumerate(feedbacks) if f is None]
                for n in gone:
                    life.calls[n].update(status=CallStatus.CANCELLED, next_escalation_at=None)
                life.events.append((None, {"kind": WhistleEventKind.CANCELLED, "at": cancel, "actor_id": user.pk if user else None,
                                           "actor_label": label, "note": row.close_note, "data": {"calls": gone}}))  # fmt: skip
            return life
        if any(f is None for f in feedbacks) or (link is not None and link.fulfilled is None):
            return life  # a case still active: the community has not closed the whistle yet
        last = max(f for f in feedbacks if f is not None)
        if link is not None and link.fulfilled is not None:
            last = max(last, link.fulfilled)
        closed = last + dt.timedelta(minutes=row.close_m)
        if closed >= self.horizon:
            return life
        life.whistle.update(status=WhistleStatus.CLOSED, closed_at=closed, closed_by_id=user.pk if user else None,
                            close_note=row.close_note)  # fmt: skip
        life.events.append((None, {"kind": WhistleEventKind.CLOSED, "at": closed, "actor_id": user.pk if user else None,
                                   "actor_label": label, "note": row.close_note, "data": {}}))  # fmt: skip
        if link is not None and link.fulfilled is not None and closed < link.fulfilled + self.auto_close:
            life.closed_case = closed  # before the sweep would have closed it: the resident had not rated it yet
        for n, crow in enumerate(row.calls):
            rated = closed + dt.timedelta(minutes=crow.rate_m)
            if crow.rating and rated < self.horizon:
                life.calls[n].update(
                    status=CallStatus.RATED, rating=crow.rating, rating_reason=crow.reason, rated_at=rated
                )
                life.events.append((n, {"kind": WhistleEventKind.RATED, "at": rated, "actor_id": user.pk if user else None,
                                        "actor_label": label, "note": crow.reason, "data": {"rating": crow.rating}}))  # fmt: skip
        return life


def _numbers(lives: list[Life]) -> list[str]:
    """``CS`` + year and month of the blow + the month's sequence, in the order the whistles were blown."""
    order = sorted(range(len(lives)), key=lambda n: (lives[n].blown, n))
    numbers = [""] * len(lives)
    seen: dict[str, int] = {}
    for n in order:
        prefix = f"{NUMBER_PREFIX}{timezone.localtime(lives[n].blown):%Y%m}"
        seen[prefix] = seen.get(prefix, 0) + 1
        numbers[n] = f"{prefix}{seen[prefix]:04d}"
    return numbers


def write_whistles(w: Where, *, lap: Callable[[str], None]) -> None:
    links = _case_links(w)
    replay = Replay(w)
    lives: list[Life] = []
    for row in w.plan.whistles:
        link = links.get(row.case) if row.case >= 0 else None
        life = replay.replay(row, link) if link is not None else None
        if life is None:  # no case, or the case does not fit: the whistle on its own, as planned
            life = replay.replay(row._replace(case=-1), None)
        assert life is not None
        lives.append(life)
    numbers = _numbers(lives)
    whistles = [Whistle(number=number, **life.whistle) for life, number in zip(lives, numbers, strict=True)]
    Whistle.objects.bulk_create(whistles, batch_size=BATCH)
    assert not whistles or whistles[0].pk is not None
    calls: list[WhistleCall] = []
    for whistle, life in zip(whistles, lives, strict=True):
        for values in life.calls:
            call = WhistleCall(whistle=whistle, **values)
            for level in ("district", "street", "community", "compound"):
                setattr(call, f"{level}_id", getattr(whistle, f"{level}_id"))
            calls.append(call)
    WhistleCall.objects.bulk_create(calls, batch_size=BATCH)
    assert not calls or calls[0].pk is not None
    events: list[WhistleEvent] = []
    offset = 0
    for whistle, life in zip(whistles, lives, strict=True):
        mine = calls[offset : offset + len(life.calls)]
        offset += len(life.calls)
        for n, values in life.events:
            if values["kind"] == WhistleEventKind.CANCELLED:
                values["data"] = {"calls": [mine[k].pk for k in values["data"]["calls"]]}
            values["actor_label"] = str(values["actor_label"])[:100]
            values["note"] = str(values["note"])[:500]
            events.append(WhistleEvent(whistle=whistle, call=mine[n] if n is not None else None, **values))
    WhistleEvent.objects.bulk_create(events, batch_size=BATCH)
    _link_cases(w, lives, numbers)
    lap("whistles")


def _link_cases(w: Where, lives: list[Life], numbers: list[str]) -> None:
    """The cases' side, as ``case_whistle_blown`` and ``case_close_with_whistle`` write it."""
    added: list[CaseEvent] = []
    gone: list[int] = []
    changed: list[Case] = []
    for life, number in zip(lives, numbers, strict=True):
        link = life.link
        if link is None or life.whistle["origin_case_id"] is None:
            continue
        case, actor, label = link.case, life.whistle["raised_by_id"], life.whistle["raised_by_label"]
        names = "、".join(w.org[c.department_code].name for c in life.row.calls)
        status = link.status_at(life.blown)
        added.append(CaseEvent(case=case, kind=EventKind.WHISTLED, at=life.blown, actor_id=actor, actor_label=label,
                               from_status=status, to_status=status,
                               note=_("Whistle %(number)s blown: %(departments)s called") % {"number": number, "departments": names},
                               data={"whistle": number}))  # fmt: skip
        case.next_escalation_at = None
        if life.closed_case is not None:
            closed = life.closed_case
            gone += [e.pk for e in link.closers]
            case.status, case.closed_at = "closed", closed
            case.rating_stars, case.satisfaction, case.rating_resolved = None, "", None
            case.rating_comment, case.rated_at = "", None
            note = life.whistle["close_note"]
            added.append(CaseEvent(case=case, kind=EventKind.CLOSED, at=closed, actor_id=actor, actor_label=label,
                                   from_status="fulfilled", to_status="closed",
                                   note=(_("Closed with whistle %(number)s: %(note)s") % {"number": number, "note": note})[:500],
                                   data={"whistle": number}))  # fmt: skip
        changed.append(case)
    CaseEvent.objects.filter(pk__in=gone).delete()
    CaseEvent.objects.bulk_create(added, batch_size=BATCH)
    Case.objects.bulk_update(
        changed,
        ["next_escalation_at", "status", "closed_at", "rating_stars", "satisfaction", "rating_resolved",
         "rating_comment", "rated_at"],
        batch_size=BATCH,
    )  # fmt: skip
