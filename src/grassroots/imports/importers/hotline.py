"""12345 hotline tickets (工单): one case per ticket, taken in through ``case_submit`` on the hotline channel.

The columns follow a 12345 work-order export. The place is named as the export names it (compound, building and
entrance by name or code) and resolved within the importing user's area; the ticket number is kept in the case's
``attributes`` (``hotline_no``) so the same ticket is never imported twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.accounts.enums import Capability
from grassroots.accounts.roles import anchors_for
from grassroots.cases.enums import CaseKind, Channel, NeedGroup
from grassroots.cases.models import Case
from grassroots.cases.services import CaseInput, case_submit, case_validate
from grassroots.catalogue.models import ServiceCategory, ServiceItem
from grassroots.core.errors import ApplicationError
from grassroots.core.personal_data import mask_mobile
from grassroots.imports.importers.base import Column, Importer, Row, RowInvalid, error_messages
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Region

TICKET = "工单编号"
CALLED_AT = "来电时间"
TYPE = "诉求类型"
CATEGORY = "诉求分类"
CONTENT = "诉求内容"
COMPOUND = "小区"
BUILDING = "楼栋"
ENTRANCE = "单元"
CALLER = "来电人"
PHONE = "联系电话"
NEED_GROUP = "帮扶对象"

TICKET_KEY = "hotline_no"
CALLED_AT_KEY = "hotline_called_at"
CATEGORY_KEY = "hotline_category"
TICKET_MAX = 40

# 12345 request types: consultations, requests for help, complaints and suggestions are difficulties to handle;
# a micro-wish is a wish the community verifies before it goes on the wall.
KINDS: dict[str, str] = {
    "咨询": CaseKind.DIFFICULTY,
    "求助": CaseKind.DIFFICULTY,
    "投诉": CaseKind.DIFFICULTY,
    "建议": CaseKind.DIFFICULTY,
    "微心愿": CaseKind.MICRO_WISH,
}
NEED_GROUPS: dict[str, str] = {
    "独居老人": NeedGroup.ELDERLY_ALONE,
    "残疾人": NeedGroup.DISABLED,
    "留守儿童": NeedGroup.LEFT_BEHIND_CHILD,
    "低收入家庭": NeedGroup.LOW_INCOME,
    "其他": NeedGroup.OTHER,
    **{value: value for value in NeedGroup.values},
}
# Where each field of ``case_validate``'s errors comes from in the file.
FIELD_COLUMNS: dict[str, str] = {
    "kind": TYPE,
    "category": CATEGORY,
    "item": CATEGORY,
    "description": CONTENT,
    "title": CONTENT,
    "place": COMPOUND,
    "need_group": NEED_GROUP,
    "contact_mobile": PHONE,
}
BUILDING_SUFFIXES = ("号楼", "栋", "幢", "座", "楼")
ENTRANCE_SUFFIXES = ("单元",)
CATEGORY_SEPARATORS = ("/", "／", ">", "＞", "→", "-", "－", "—")
OFFICE_LEVELS = frozenset({"district", "street", "community"})
DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")


@dataclass
class HotlineRow:
    ticket: str
    data: CaseInput


def parse_called_at(value: str) -> dt.datetime:
    """A 来电时间 as exports write it: 2026-11-27 09:30[:00], 2026/11/27 9:30, 2026年11月27日 09:30, or a date."""
    text = value.strip().replace("T", " ").replace("/", "-").replace("年", "-").replace("月", "-")
    text = " ".join(text.replace("日", " ").split())
    for fmt in DATETIME_FORMATS:
        try:
            parsed = dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
        return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed
    raise RowInvalid([_("%(value)s is not a date and time (write it as 2026-07-01 09:30).") % {"value": value}])


def _bare(text: str, suffixes: Sequence[str]) -> str:
    text = text.strip()
    for suffix in suffixes:
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)]
    return text


def _column_message(column: str, message: str) -> str:
    return _("%(column)s: %(message)s") % {"column": column, "message": message}


class HotlineImporter(Importer):
    kind = "hotline_cases"
    capability = Capability.HANDLE_CASES
    columns = (
        Column(TICKET, required=True, sample="2026112700001", width=18, text=True),
        Column(CALLED_AT, required=True, sample="2026-11-27 09:30", width=18, text=True),
        Column(TYPE, required=True, sample="求助", choices=tuple(KINDS), width=10),
        Column(CATEGORY, required=True, sample="摘除马蜂窝", width=16),
        Column(CONTENT, required=True, sample="3栋楼顶有马蜂窝，请帮忙摘除", width=40),
        Column(COMPOUND, required=True, sample="翠竹苑小区", width=16),
        Column(BUILDING, sample="3栋", width=10, text=True),
        Column(ENTRANCE, sample="1单元", width=10, text=True),
        Column(CALLER, sample="张先生", width=10),
        Column(PHONE, sample="13907750001", width=16, text=True),
        Column(NEED_GROUP, sample="", choices=("独居老人", "残疾人", "留守儿童", "低收入家庭", "其他"), width=12),
    )

    @classmethod
    def allowed(cls, user: Any) -> bool:
        """12345 tickets are dispatched to the community or above: staff who handle cases there import them."""
        return any(anchor.level in OFFICE_LEVELS for anchor in anchors_for(user, cls.capability))

    def __init__(self, *, actor: Any) -> None:
        super().__init__(actor=actor)
        self.seen: dict[str, int] = {}
        self.compounds: dict[str, list[tuple[Region, bool]]] = {}
        self.children: dict[int, list[Region]] = {}
        self.categories = {c.name: c for c in ServiceCategory.objects.all()}
        self.categories.update({c.code: c for c in self.categories.values()})
        items = list(ServiceItem.objects.select_related("category").prefetch_related("attributes"))
        self.items = {i.name: i for i in items}
        # Items with questions a ticket cannot answer are taken in under their category (the text says the rest).
        self.asking = {i.pk for i in items if any(a.required for a in i.attributes.all())}
        self.items.update({i.code: i for i in self.items.values()})
        self.now = timezone.now()

    # --- lookups -------------------------------------------------------------------------------------------

    def _category(self, value: str) -> tuple[ServiceCategory | None, ServiceItem | None]:
        """An item or a category by name or code; "城乡建设/物业管理"-style paths are tried segment by segment.

        An item with required questions gives its category only: a ticket cannot answer them.
        """
        candidates = [value]
        for separator in CATEGORY_SEPARATORS:
            if separator in value:
                parts = [p.strip() for p in value.split(separator) if p.strip()]
                candidates += list(reversed(parts))
                break
        for text in candidates:
            item = self.items.get(text)
            if item is not None:
                return item.category, (None if item.pk in self.asking else item)
            category = self.categories.get(text)
            if category is not None:
                return category, None
        return None, None

    def _compound(self, value: str) -> Region:
        if value not in self.compounds:
            found = list(
                Region.objects.filter(kind=RegionKind.COMPOUND).filter(
                    Q(name=value) | Q(code=value) | Q(name=f"{value}小区")
                )[:20]
            )
            visible = set(
                Region.objects.visible_to(self.actor, self.capability)
                .filter(pk__in=[r.pk for r in found])
                .values_list("pk", flat=True)
            )
            if len(self.compounds) > 5000:
                self.compounds.clear()
            self.compounds[value] = [(r, r.pk in visible) for r in found]
        found_visible = [r for r, visible in self.compounds[value] if visible]
        if len(found_visible) == 1:
            return found_visible[0]
        if len(found_visible) > 1:
            raise RowInvalid(
                [
                    _column_message(
                        COMPOUND,
                        _("several compounds in your area are called %(name)s; give the compound's code.")
                        % {"name": value},
                    )
                ]
            )
        if self.compounds[value]:
            raise RowInvalid(
                [_column_message(COMPOUND, _("%(name)s is outside the area you may import into.") % {"name": value})]
            )
        raise RowInvalid([_column_message(COMPOUND, _("no compound is called %(name)s.") % {"name": value})])

    def _children(self, parent: Region, kind: str) -> list[Region]:
        if parent.pk not in self.children:
            if len(self.children) > 5000:
                self.children.clear()
            self.children[parent.pk] = list(
                Region.objects.filter(kind=kind, path__startswith=parent.path, depth=parent.depth + 1)
            )
        return self.children[parent.pk]

    def _child(self, parent: Region, value: str, *, kind: str, column: str, suffixes: Sequence[str]) -> Region:
        """A building of a compound (or an entrance of a building) by code, full name or short name ("3栋", "3")."""
        wanted = _bare(value, suffixes)
        hits = []
        for child in self._children(parent, kind):
            short = child.name.removeprefix(parent.name)
            if value in (child.code, child.name) or _bare(short, suffixes) == wanted:
                hits.append(child)
        if len(hits) == 1:
            return hits[0]
        if hits:
            message = _("several places in %(parent)s match %(value)s; give the code.")
        else:
            message = _("%(parent)s has no %(value)s.")
        raise RowInvalid([_column_message(column, message % {"parent": parent.name, "value": value})])

    def _place(self, row: Row, errors: list[str]) -> Region | None:
        compound_name = self.required(row, COMPOUND, errors)
        building_name, entrance_name = row.get(BUILDING), row.get(ENTRANCE)
        if entrance_name and not building_name:
            errors.append(_column_message(ENTRANCE, _("give the building too.")))
            return None
        if not compound_name:
            return None
        try:
            place = self._compound(compound_name)
            if building_name:
                place = self._child(
                    place, building_name, kind=RegionKind.BUILDING, column=BUILDING, suffixes=BUILDING_SUFFIXES
                )
            if entrance_name:
                place = self._child(
                    place, entrance_name, kind=RegionKind.ENTRANCE, column=ENTRANCE, suffixes=ENTRANCE_SUFFIXES
                )
        except RowInvalid as exc:
            errors.extend(exc.messages)
            return None
        return place

    # --- rows ----------------------------------------------------------------------------------------------

    def parse_row(self, row: Row) -> HotlineRow:
        errors: list[str] = []
        reported: set[str] = set()  # columns already reported, so the service's message for them is not repeated
        ticket = self.required(row, TICKET, errors)
        if len(ticket) > TICKET_MAX:
            errors.append(_column_message(TICKET, _("at most %(max)d characters.") % {"max": TICKET_MAX}))
        called_text = self.required(row, CALLED_AT, errors)
        called_at: dt.datetime | None = None
        if called_text:
            try:
                called_at = parse_called_at(called_text)
            except RowInvalid as exc:
                errors.extend(exc.messages)
            else:
                if called_at > self.now + dt.timedelta(minutes=5):
                    errors.append(_column_message(CALLED_AT, _("the time of the call is in the future.")))
        type_text = self.required(row, TYPE, errors)
        kind = KINDS.get(type_text, "")
        if type_text and not kind:
            errors.append(_column_message(TYPE, _("must be 咨询, 求助, 投诉, 建议 or 微心愿.")))
        category_text = self.required(row, CATEGORY, errors)
        category, item = self._category(category_text) if category_text else (None, None)
        if category_text and category is None:
            message = _("%(value)s is not a category or service in the catalogue.") % {"value": category_text}
            errors.append(_column_message(CATEGORY, message))
        description = self.required(row, CONTENT, errors)
        place = self._place(row, errors)
        for column, failed in ((TYPE, not kind), (CATEGORY, category is None), (CONTENT, not description)):
            if failed:
                reported.add(column)
        if place is None:
            reported.add(COMPOUND)
        need_text = row.get(NEED_GROUP)
        need_group = NEED_GROUPS.get(need_text, "")
        if need_text and not need_group:
            errors.append(_column_message(NEED_GROUP, _("must be 独居老人, 残疾人, 留守儿童, 低收入家庭 or 其他.")))
            reported.add(NEED_GROUP)
        if kind == CaseKind.MICRO_WISH and not need_text:
            need_group = NeedGroup.OTHER  # the community says whom the wish is for when it verifies it
        phone = row.get(PHONE)
        reference = {TICKET_KEY: ticket, CATEGORY_KEY: category_text}
        if called_at is not None:
            reference[CALLED_AT_KEY] = called_at.isoformat()
        data = CaseInput(
            kind=kind or CaseKind.DIFFICULTY,
            place=place,
            description=description,
            channel=Channel.HOTLINE,
            category=category,
            item=item,
            need_group=need_group,
            requester_name=row.get(CALLER)[:50],
            contact_mobile=phone,
            reference=reference,
        )
        if self.dry_run:  # the commit validates each row in ``case_submit`` itself
            errors.extend(self._service_errors(data, phone, reported))
        if errors:
            raise RowInvalid(errors)
        return HotlineRow(ticket=ticket, data=data)

    def _service_errors(self, data: CaseInput, phone: str, reported: set[str]) -> list[str]:
        """``case_validate``'s messages (the same checks as every other intake), each named by its column."""
        try:
            case_validate(actor=self.actor, data=data, now=self.now)
        except ApplicationError as exc:
            return self._messages(exc, phone, reported)
        return []

    @staticmethod
    def _messages(exc: ApplicationError, phone: str, reported: set[str]) -> list[str]:
        if not exc.fields:
            return [exc.message]
        messages: list[str] = []
        for name, field_messages in exc.fields.items():
            column = FIELD_COLUMNS.get(name, CATEGORY if name.startswith("attribute[") else name)
            if column in reported:
                continue
            if column == PHONE:  # the number as given, masked: the row report never shows a full number
                shown = mask_mobile(phone.strip()) or phone
                column = f"{PHONE} {shown}"
            messages.extend(_column_message(column, str(m)) for m in field_messages)
        return messages

    def check(self, rows: list[tuple[Row, Any]]) -> list[tuple[str, list[str]]]:
        tickets = [parsed.ticket for _row, parsed in rows]
        imported = {
            str((attributes or {}).get(TICKET_KEY))
            for attributes in Case.objects.filter(
                channel=Channel.HOTLINE, **{f"attributes__{TICKET_KEY}__in": tickets}
            ).values_list("attributes", flat=True)
        }
        results: list[tuple[str, list[str]]] = []
        for row, parsed in rows:
            first = self.seen.get(parsed.ticket)
            if first is not None:
                message = _("the same ticket number is also on row %(row)d.") % {"row": first}
                results.append(("e", [_column_message(TICKET, message)]))
                continue
            self.seen[parsed.ticket] = row.number
            if parsed.ticket in imported:
                message = _("ticket %(ticket)s has already been imported.") % {"ticket": parsed.ticket}
                results.append(("e", [_column_message(TICKET, message)]))
                continue
            results.append(("n", []))
        return results

    def commit(self, rows: list[tuple[Row, Any]]) -> None:
        for row, parsed in rows:
            try:
                case_submit(actor=self.actor, data=parsed.data)
            except ApplicationError as exc:
                raise RowInvalid(self._messages(exc, parsed.data.contact_mobile, set()), row=row.number) from exc
            except ValidationError as exc:
                raise RowInvalid(error_messages(exc), row=row.number) from exc
