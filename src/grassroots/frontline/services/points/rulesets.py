"""Versioned points rules: the set in force at a moment, publishing a new version, and pricing an entry.

A published set is never edited. A new version names the moment it applies from (now or later, never in the
past, and not before the latest set), and carries a figure for every ``PointsSource``; sources left out keep the
latest set's figure. An entry is priced by the set in force at the entry's own time, so publishing a new version
never changes what was already earned, and a recomputation prices every entry the same way.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.core.audit import audit_record
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditAction
from grassroots.frontline.enums import PointsSource
from grassroots.frontline.models import PointsRule, PointsRuleSet
from grassroots.frontline.rules.points import can_publish_points_rules

S = PointsSource
DEFAULT_POINTS: dict[str, Decimal] = {
    S.MEMBER_REPORTED: Decimal(5),
    S.WISH_FULFILLED: Decimal(10),
    S.CASE_FULFILLED: Decimal(10),
    S.RATED_SATISFIED: Decimal(5),
    S.RATED_BASIC: Decimal(2),
    S.HOUR_SERVED: Decimal(2),
    S.ACTIVITY_JOINED: Decimal(3),
}
MAX_POINTS = Decimal("9999.99")


def _first_version_start() -> dt.datetime:
    """Version 1 applies from long before any record, so every entry has a price."""
    return dt.datetime(2000, 1, 1, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _install_defaults() -> PointsRuleSet:
    try:
        with transaction.atomic():
            rule_set = PointsRuleSet.objects.create(
                version=1, effective_from=_first_version_start(), note=_("Default rules")
            )
            PointsRule.objects.bulk_create(
                [
                    PointsRule(rule_set=rule_set, source=source, points=points)
                    for source, points in DEFAULT_POINTS.items()
                ]
            )
    except IntegrityError:  # someone else installed them first
        rule_set = PointsRuleSet.objects.get(version=1)
    return rule_set


def points_rules_current(*, at: dt.datetime | None = None) -> PointsRuleSet:
    """The rule set in force at ``at`` (now by default): the greatest ``effective_from`` not after it.

    With no rule set at all, version 1 is created with the defaults.
    """
    at = at or timezone.now()
    ordered = PointsRuleSet.objects.order_by("-effective_from", "-version")
    found = ordered.filter(effective_from__lte=at).first()
    if found is not None:
        return found
    earliest = PointsRuleSet.objects.order_by("effective_from", "version").first()
    return earliest if earliest is not None else _install_defaults()


def _clean_points(points: Mapping[str, Any], errors: dict[str, list[str]]) -> dict[str, Decimal]:
    cleaned: dict[str, Decimal] = {}
    for source, raw in points.items():
        if source not in PointsSource.values:
            errors[str(source)] = [_("There is no such source of points.")]
            continue
        try:
            value = Decimal(str(raw).strip())
        except (InvalidOperation, ValueError):
            value = Decimal(-1)
        exponent = value.as_tuple().exponent
        if not value.is_finite() or value < 0 or value > MAX_POINTS or (isinstance(exponent, int) and exponent < -2):
            errors[str(source)] = [_("Enter a number from 0 to 9999.99, with at most two decimals.")]
            continue
        cleaned[str(source)] = value
    return cleaned


@transaction.atomic
def points_rules_publish(
    *,
    actor: Any,
    effective_from: dt.datetime,
    points: Mapping[str, Decimal],
    note: str = "",
    request: Any = None,
    now: dt.datetime | None = None,
) -> PointsRuleSet:
    """Publish a new version of the rules (district admins only). Old versions are never changed."""
    now = now or timezone.now()
    if not can_publish_points_rules(actor):
        raise ApplicationError("not_allowed", _("Only the district may change the points rules."), status=403)
    errors: dict[str, list[str]] = {}
    note = (note or "").strip()
    if not isinstance(effective_from, dt.datetime) or timezone.is_naive(effective_from):
        errors["effective_from"] = [_("Give the date and time the new rules apply from.")]
    elif effective_from < now:
        errors["effective_from"] = [_("New rules cannot apply from a time in the past.")]
    if len(note) > 200:
        errors["note"] = [_("The note can be at most 200 characters.")]
    cleaned = _clean_points(points, errors)
    if errors:
        raise ApplicationError("points_rules_invalid", _("Please correct the errors below."), fields=errors)
    points_rules_current(at=now)  # version 1 exists from here on
    latest = PointsRuleSet.objects.select_for_update().order_by("-effective_from", "-version").first()
    assert latest is not None
    if effective_from < latest.effective_from:
        message = _("Version %(version)d already applies from %(when)s; new rules must apply from then or later.") % {
            "version": latest.version,
            "when": timezone.localtime(latest.effective_from).strftime("%Y-%m-%d %H:%M"),
        }
        raise ApplicationError("points_rules_order", message, fields={"effective_from": [message]}, status=409)
    before = {rule.source: rule.points for rule in latest.rules.all()}
    figures = {source: before.get(source, DEFAULT_POINTS[source]) for source in PointsSource.values}
    figures.update(cleaned)
    version = (PointsRuleSet.objects.aggregate(top=Max("version"))["top"] or 0) + 1
    rule_set = PointsRuleSet.objects.create(
        version=version, effective_from=effective_from, note=note, created_by=actor if actor else None
    )
    PointsRule.objects.bulk_create(
        [PointsRule(rule_set=rule_set, source=source, points=figures[source]) for source in PointsSource.values]
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=rule_set,
        changes={
            "version": version,
            "effective_from": effective_from.isoformat(),
            "points": {source: str(figures[source]) for source in PointsSource.values},
            "changed": sorted(s for s in cleaned if cleaned[s] != before.get(s)),
            "note": note,
        },
        request=request,
    )
    return rule_set


class RuleBook:
    """Every rule of every version, loaded once: prices entries without a query each."""

    def __init__(self, rows: Iterable[Any]) -> None:
        versions: dict[int, tuple[dt.datetime, int, dict[str, tuple[int, Decimal]]]] = {}
        for row in rows:
            version = versions.setdefault(
                row["rule_set_id"], (row["rule_set__effective_from"], row["rule_set__version"], {})
            )
            version[2][row["source"]] = (row["id"], row["points"])
        ordered = sorted(versions.values(), key=lambda v: (v[0], v[1]))
        self._starts = [v[0] for v in ordered]
        self._rules = [v[2] for v in ordered]

    @classmethod
    def load(cls) -> RuleBook:
        points_rules_current()  # version 1 exists
        rows = PointsRule.objects.values(
            "id", "source", "points", "rule_set_id", "rule_set__effective_from", "rule_set__version"
        )
        return cls(rows)

    def price(self, source: str, at: dt.datetime) -> tuple[int, Decimal] | None:
        """(rule id, points per unit) in force at ``at``; before every version, the earliest one's figure."""
        index = bisect.bisect_right(self._starts, at) - 1
        for rules in reversed(self._rules[: index + 1]):
            if source in rules:
                return rules[source]
        for rules in self._rules[index + 1 :]:
            if source in rules:
                return rules[source]
        return None
