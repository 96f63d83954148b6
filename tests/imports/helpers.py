from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from grassroots.imports.models import ImportJob
from grassroots.imports.services import import_job_create, import_validate

PERSON_HEADERS = ["姓名", "性别", "民族", "身份证号", "手机号", "住址", "所在单元编码", "户号"]


def xlsx(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(content: bytes, name: str = "roster.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def checked_job(actor: Any, kind: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> ImportJob:
    job = import_job_create(actor=actor, kind=kind, file=upload(xlsx(headers, rows)))
    return import_validate(job_id=job.pk)
