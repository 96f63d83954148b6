"""A report's sections as the PDF and the workbook lay them out, from the frozen figures and the staff's prose.

Nothing here queries the figures: it reads ``WorkReport.figures`` (see ``build``) and the prose fields, so the
files can be rendered again after an edit. Call it under ``translation.override(report.language)``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from grassroots.cockpit.models import WorkReport

NUMERALS_ZH = ("一", "二", "三", "四", "五", "六")
Cell = str | Decimal | None  # text, a number, or "—" (not counted)


def unit_label(unit: str) -> str:
    labels = {
        "items": _("items"),
        "people": _("people"),
        "person_times": _("person-times"),
        "hours": _("hours"),
        "points": _("points"),
        "percent": "%",
        "square_metres": _("square metres"),
        "organisations": _("organisations"),
    }
    return str(labels.get(unit, unit))


def number(value: Decimal | str | None) -> str:
    """A figure as the text shows it: whole numbers without decimals, others with two."""
    if value is None:
        return "—"
    d = Decimal(value)
    if d == d.to_integral_value():
        return str(d.quantize(Decimal(1)))
    return str(d.quantize(Decimal("0.01")))


@dataclass
class Table:
    caption: str
    headers: list[str]
    kinds: list[str]  # per column: "text", "number" or "rate" (a percentage)
    rows: list[list[Cell]]
    footer: list[Cell] | None = None  # a totals row
    note: str = ""
    sheet: str = ""  # the workbook sheet's title


@dataclass
class Prose:
    heading: str
    text: str  # the staff's text, or the placeholder
    filled: bool


@dataclass
class Sections:
    title: str
    subtitle: str
    overall_heading: str
    overall: list[str]
    practices: Prose
    figures_heading: str
    tables: list[Table] = field(default_factory=list)
    problems: Prose | None = None
    plans: Prose | None = None

    def prose_sections(self) -> list[Prose]:
        return [p for p in (self.practices, self.problems, self.plans) if p is not None]


def _d(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def _numeral(n: int) -> str:
    language = translation.get_language() or ""
    return NUMERALS_ZH[n - 1] if language.startswith("zh") else str(n)


def _caption(n: int, text: str) -> str:
    return _("(%(number)s) %(caption)s") % {"number": _numeral(n), "caption": text}


def _change_clause(row: dict[str, Any]) -> str:
    change = Decimal(row["change"])
    values = {"label": row["label"], "change": number(abs(change))}
    if row["rate"]:
        if change > 0:
            return _("%(label)s up %(change)s percentage points") % values
        if change < 0:
            return _("%(label)s down %(change)s percentage points") % values
    elif change > 0:
        return _("%(label)s up %(change)s") % values
    elif change < 0:
        return _("%(label)s down %(change)s") % values
    return _("%(label)s unchanged") % values


def overall_paragraphs(figures: dict[str, Any]) -> list[str]:
    """一、总体情况: the period's key figures in sentences, and their change on the previous period."""
    rows = {r["key"]: r for r in figures["headline"]["rows"]}
    to_date = figures["headline"]["to_date"]
    period = figures["period"]

    def value(key: str) -> str:
        return number(rows[key]["value"]) if key in rows else "—"

    as_of = dt.date.fromisoformat(period["as_of"])
    first = _(
        "By %(as_of)s, %(units)s units and %(members)s party members had reported to %(place)s "
        "(%(new_units)s units and %(new_members)s members in this period)."
    ) % {
        "as_of": _("%(year)s-%(month)s-%(day)s") % {"year": as_of.year, "month": as_of.month, "day": as_of.day},
        "units": number(to_date["units_reported"]),
        "members": number(to_date["members_reported"]),
        "place": figures["place"],
        "new_units": value("units_reported"),
        "new_members": value("members_reported"),
    }
    second = _(
        "In %(period)s, %(cases)s requests were received, %(wishes)s micro-wishes fulfilled and %(deeds)s good "
        "deeds done, serving residents %(served)s times; %(whistles)s whistles were blown; %(rated)s ratings gave a "
        "satisfaction rate of %(satisfaction)s%%."
    ) % {
        "period": period["label"],
        "cases": value("cases_submitted"),
        "wishes": value("micro_wishes_fulfilled"),
        "deeds": value("deeds_done"),
        "served": value("residents_served"),
        "whistles": value("whistles_blown"),
        "rated": value("cases_rated"),
        "satisfaction": value("satisfaction_rate"),
    }
    clauses = [
        _change_clause(rows[key])
        for key in ("members_reported", "micro_wishes_fulfilled", "deeds_done", "residents_served", "satisfaction_rate")
        if key in rows and rows[key]["change"] is not None
    ]
    paragraphs = [first, second]
    if clauses:
        paragraphs.append(
            _("Compared with %(previous)s: %(changes)s.")
            % {"previous": period["prev_label"], "changes": _("; ").join(clauses)}
        )
    return paragraphs


def _headline_table(figures: dict[str, Any], n: int) -> Table:
    rows: list[list[Cell]] = []
    for r in figures["headline"]["rows"]:
        if not r["counted"]:
            continue
        rows.append([r["label"], unit_label(r["unit"]), _d(r["value"]), _d(r["before"]), _d(r["change"])])
    return Table(
        caption=_caption(n, _("Headline figures")),
        headers=[_("Figure"), _("Unit"), _("This period"), _("Previous period"), _("Change on the previous period")],
        kinds=["text", "text", "number", "number", "number"],
        rows=rows,
        note=_("Stocks (grids, grid workers, organisations) are counted as of the day the report was generated."),
        sheet=_("Headline figures"),
    )


def _parts_table(parts: dict[str, Any], n: int) -> Table:
    kinds = ["text", *("rate" if c["rate"] else "number" for c in parts["columns"])]
    rows: list[list[Cell]] = [[r["name"], *(_d(v) for v in r["values"])] for r in parts["rows"]]
    if parts["remainder"] is not None:
        rows.append([_("Not in any %(level)s") % {"level": parts["level_label"]}, *(_d(v) for v in parts["remainder"])])
    return Table(
        caption=_caption(n, _("By %(level)s") % {"level": parts["level_label"]}),
        headers=[parts["level_label"], *(c["label"] for c in parts["columns"])],
        kinds=kinds,
        rows=rows,
        footer=[_("Total"), *(_d(v) for v in parts["total"])],
        sheet=_("By %(level)s") % {"level": parts["level_label"]},
    )


def _categories_table(categories: dict[str, Any], n: int) -> Table:
    rows: list[list[Cell]] = [
        [r["label"], Decimal(r["cases"]), Decimal(r["share"]), Decimal(r["deeds"])] for r in categories["rows"]
    ]
    return Table(
        caption=_caption(n, _("Requests and deeds by service category")),
        headers=[_("Service category"), _("Requests received"), _("Share of requests (%)"), _("Good deeds done")],
        kinds=["text", "number", "rate", "number"],
        rows=rows,
        footer=[_("Total"), Decimal(categories["total_cases"]), None, Decimal(categories["total_deeds"])],
        sheet=_("Service categories"),
    )


def _departments_table(departments: list[dict[str, Any]], n: int) -> Table:
    rows: list[list[Cell]] = [
        [
            Decimal(r["rank"]),
            r["name"],
            Decimal(r["received"]),
            Decimal(r["on_time_rate"]),
            Decimal(r["handled_rate"]),
            Decimal(r["satisfaction_rate"]),
            Decimal(r["score"]),
        ]
        for r in departments
    ]
    return Table(
        caption=_caption(n, _("Departments answering whistles")),
        headers=[
            _("Rank"),
            _("Department"),
            _("Calls received"),
            _("On site on time (%)"),
            _("Handled on time (%)"),
            _("Satisfaction (%)"),
            _("Score"),
        ],
        kinds=["number", "text", "number", "rate", "rate", "rate", "number"],
        rows=rows,
        note=_("Score = 40 × on-time rate + 30 × handled-on-time rate + 30 × satisfaction rate."),
        sheet=_("Whistle scorecard"),
    )


def _prose(heading: str, text: str) -> Prose:
    cleaned = text.strip()
    # The blank a Chinese work report leaves for prose still to be written: （请填写）.
    return Prose(heading=heading, text=cleaned or _("(please fill in)"), filled=bool(cleaned))


def report_sections(report: WorkReport) -> Sections:
    figures = report.figures
    period = figures["period"]
    start, end = period["start"], period["as_of"]
    subtitle = _("Figures from %(start)s to %(end)s, compared with %(previous)s.") % {
        "start": start,
        "end": end,
        "previous": period["prev_label"],
    }
    tables = [_headline_table(figures, 1)]
    if figures.get("parts"):
        tables.append(_parts_table(figures["parts"], len(tables) + 1))
    tables.append(_categories_table(figures["categories"], len(tables) + 1))
    if figures.get("departments") is not None:
        tables.append(_departments_table(figures["departments"], len(tables) + 1))
    return Sections(
        title=figures["title"],
        subtitle=subtitle,
        overall_heading=_("I. Overall situation"),
        overall=overall_paragraphs(figures),
        practices=_prose(_("II. Main practices"), report.practices),
        figures_heading=_("III. Figures"),
        tables=tables,
        problems=_prose(_("IV. Problems"), report.problems),
        plans=_prose(_("V. Next steps"), report.plans),
    )
