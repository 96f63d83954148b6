"""Reading Open311 arguments: one error type, optional parameters, w3c dates, lists and ``attribute[...]``.

"Optional" means a parameter sent empty behaves as if it were absent, so every reader here treats ``""`` as
missing. Every problem becomes an ``Open311Error`` carrying the HTTP status and the ``(code, description)``
pairs of the error body; the code is the parameter at fault (``start_date``, ``status`` …).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

MAX_SPAN = dt.timedelta(days=90)
MAX_PAGE_SIZE = 1000
# An HTML tag or comment: "<p>", "</a>", "<img src=…>", "<!-- … -->". Chinese text writes 《书名》, not <…>.
HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9-]*(\s[^<>]*)?/?\s*>|<!--")
DATE_ONLY = re.compile(r"^\d{4}-\d\d-\d\d$")
ATTRIBUTE_KEY = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")


class Open311Error(Exception):
    """A refused call: the HTTP status (400, 403, 404) and the errors to list in the body."""

    def __init__(self, status: int, errors: Iterable[tuple[str, str]]) -> None:
        self.status = status
        self.errors = list(errors)
        super().__init__("; ".join(f"{code}: {text}" for code, text in self.errors))

    @classmethod
    def one(cls, status: int, code: str, description: str) -> Open311Error:
        return cls(status, [(code, description)])


def optional(params: QueryDict, name: str) -> str:
    """The stripped value of a parameter, or ``""`` when it is absent or sent empty."""
    return (params.get(name) or "").strip()


def comma_list(params: QueryDict, name: str) -> list[str]:
    return [part.strip() for part in optional(params, name).split(",") if part.strip()]


def check_jurisdiction(params: QueryDict) -> None:
    """One jurisdiction is served: the parameter may be left out, but another value is a 404."""
    given = optional(params, "jurisdiction_id")
    if given and given != settings.OPEN311_JURISDICTION_ID:
        raise Open311Error.one(
            404, "jurisdiction_id", _("Unknown jurisdiction_id: %(value)s.") % {"value": given[:100]}
        )


def parse_w3c(value: str, *, name: str, end: bool = False) -> dt.datetime:
    """A w3c datetime (``2026-11-27T10:00:00+08:00``, ``…Z``) or a date; a date or a time without a zone is
    taken in local time, and a date given as an end covers the whole day."""
    moment: dt.datetime | None = None
    day: dt.date | None = None
    try:
        if DATE_ONLY.match(value):
            day = parse_date(value)
        else:
            moment = parse_datetime(value)
    except ValueError:
        pass
    if moment is None and day is not None:
        moment = dt.datetime.combine(day + dt.timedelta(days=1) if end else day, dt.time())
    if moment is None:
        raise Open311Error.one(
            400,
            name,
            _("%(name)s is not a date and time such as 2026-11-27T10:00:00+08:00.") % {"name": name},
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


@dataclass(frozen=True)
class ListQuery:
    """The arguments of GET Service Requests, checked."""

    ids: list[str]
    service_codes: list[str]
    start: dt.datetime
    end: dt.datetime
    statuses: list[str]
    page: int
    page_size: int
    extensions: bool


def _positive_int(params: QueryDict, name: str, default: int, maximum: int) -> int:
    raw = optional(params, name)
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise Open311Error.one(
            400, name, _("%(name)s must be a whole number from 1 to %(max)d.") % {"name": name, "max": maximum}
        )
    return int(raw)


def parse_list_query(params: QueryDict, *, now: dt.datetime) -> ListQuery:
    """``service_request_id`` (overrides the rest), ``service_code``, ``start_date``/``end_date`` (at most 90
    days apart; the last 90 days by default), ``status``, and the extensions ``page``, ``page_size`` and
    ``extensions``."""
    errors: list[tuple[str, str]] = []
    start_raw, end_raw = optional(params, "start_date"), optional(params, "end_date")
    start = end = None
    for name, raw in (("start_date", start_raw), ("end_date", end_raw)):
        if raw:
            try:
                moment = parse_w3c(raw, name=name, end=name == "end_date")
            except Open311Error as exc:
                errors.extend(exc.errors)
                continue
            if name == "start_date":
                start = moment
            else:
                end = moment
    if start is None and end is None:
        end = now
    if start is not None and end is None:
        end = start + MAX_SPAN
    if end is not None and start is None:
        start = end - MAX_SPAN
    if not errors and start is not None and end is not None:
        if end < start:
            errors.append(("end_date", _("end_date must not be before start_date.")))
        elif end - start > MAX_SPAN:
            errors.append(("end_date", _("start_date and end_date may be at most 90 days apart.")))
    statuses = [s.lower() for s in comma_list(params, "status")]
    if any(s not in ("open", "closed") for s in statuses):
        errors.append(("status", _("status must be open, closed, or both separated by a comma.")))
    try:
        page = _positive_int(params, "page", 1, 100_000)
        page_size = _positive_int(params, "page_size", MAX_PAGE_SIZE, MAX_PAGE_SIZE)
    except Open311Error as exc:
        errors.extend(exc.errors)
        page, page_size = 1, MAX_PAGE_SIZE
    if errors:
        raise Open311Error(400, errors)
    assert start is not None and end is not None
    return ListQuery(
        ids=comma_list(params, "service_request_id"),
        service_codes=comma_list(params, "service_code"),
        start=start,
        end=end,
        statuses=sorted(set(statuses)),
        page=page,
        page_size=page_size,
        extensions=optional(params, "extensions").lower() == "true",
    )


def parse_attributes(params: QueryDict) -> dict[str, Any]:
    """``attribute[code]=v`` gives a value, ``attribute[code][]=v1&attribute[code][]=v2`` a list."""
    answers: dict[str, Any] = {}
    for key in params:
        match = ATTRIBUTE_KEY.match(key)
        if match is None:
            continue
        code, many = match.group(1), match.group(2)
        values = [v.strip() for v in params.getlist(key) if v.strip()]
        if many or len(values) > 1:
            answers[code] = [*answers.get(code, []), *values] if isinstance(answers.get(code), list) else values
        elif values:
            answers[code] = values[0]
    return answers


def has_html(text: str) -> bool:
    return HTML_TAG.search(text) is not None


def parse_coordinate(value: str, *, name: str, limit: float) -> float:
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not -limit <= number <= limit:
        raise Open311Error.one(
            400, name, _("%(name)s must be a number from -%(limit)d to %(limit)d.") % {"name": name, "limit": limit}
        )
    return number
