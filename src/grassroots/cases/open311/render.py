"""Open311 answers in XML and JSON from one Python structure.

A response is built once as plain data (dicts, lists, strings, numbers, booleans, ``None`` and datetimes) and
written in the format the URL asked for. JSON follows the "Spark convention" the spec uses: a document whose
XML root is a list (``services``, ``service_requests``, ``errors``) is a JSON array of objects; one whose
root is a single thing (``discovery``, ``service_definition``) is a JSON object; nested lists
(``attributes/attribute``, ``values/value``, ``endpoints/endpoint``, ``formats/format``, ``notes/note``) are
arrays. Datetimes are written in the w3c subset of ISO 8601, in local time with its offset
(``2026-11-27T10:00:00+08:00``); everything is UTF-8.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse
from django.utils import timezone

FORMATS = ("xml", "json")
CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
MIME_TYPES = ("text/xml", "application/json")

# The element name of one member of each list, by the list's name.
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "notes": "note",
}


def w3c_datetime(value: dt.datetime | None) -> str | None:
    """``2026-11-27T10:00:00+08:00``: local time with its offset, to the second."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def _scalar(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return w3c_datetime(value)
    return value


def _to_json(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_json(v) for v in value]
    return _scalar(value)


def _text(value: Any) -> str:
    value = _scalar(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, Mapping):
        for key, child in value.items():
            _fill(ET.SubElement(element, str(key)), child)
    elif isinstance(value, (list, tuple)):
        tag = ITEM_TAGS.get(element.tag, "item")
        for child in value:
            _fill(ET.SubElement(element, tag), child)
    else:
        element.text = _text(value)


def to_xml(root: str, value: Any) -> bytes:
    element = ET.Element(root)
    _fill(element, value)
    body = ET.tostring(element, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'.encode()


def to_json(value: Any) -> bytes:
    return json.dumps(_to_json(value), ensure_ascii=False).encode()


def respond(fmt: str, root: str, value: Any, *, status: int = 200) -> HttpResponse:
    """Write ``value`` under ``root`` (the XML root element; ignored for JSON) in the format asked for."""
    body = to_json(value) if fmt == "json" else to_xml(root, value)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES.get(fmt, CONTENT_TYPES["xml"]))


def errors_response(fmt: str, status: int, errors: Sequence[tuple[str, str]]) -> HttpResponse:
    """The spec's error body: ``errors/error`` with ``code`` and ``description``, one per problem."""
    return respond(fmt, "errors", [{"code": code, "description": text} for code, text in errors], status=status)
