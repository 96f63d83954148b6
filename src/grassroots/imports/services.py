"""Import jobs: upload, dry run (validate) and all-or-nothing commit, one function per step.

The dry run streams the workbook, checks every row through the importer (which calls the domain validators and
services) and keeps only each row's outcome (one character) and the failed rows' messages. The commit re-reads
the file and writes everything in ONE transaction; any failure rolls it all back and marks the job failed.
Progress goes to the job row in short separate transactions during the dry run; during the commit the job row
is inside the open transaction, so progress goes to the task queue's key-value store instead.
"""

from __future__ import annotations

import logging
from typing import IO, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from grassroots.accounts.roles import anchors_for
from grassroots.core.audit import audit_record
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditAction
from grassroots.imports.importers import IMPORTERS, importer_for
from grassroots.imports.importers.base import BATCH_SIZE, Importer, Row, RowInvalid, WorkbookReader
from grassroots.imports.models import ImportJob, ImportRowError, ImportStatus, RowOutcome
from grassroots.territory.models import Grid, Region

logger = logging.getLogger(__name__)

LEVEL_ORDER = {"district": 0, "street": 1, "community": 2, "compound": 3, "grid": 4}


def _row_message(row: int, messages: list[str]) -> str:
    return _("Row %(row)d: %(detail)s") % {"row": row, "detail": " ".join(messages)}


def import_kinds_for(user: Any) -> list[str]:
    """The kinds ``user`` may import (the kind's manage capability somewhere)."""
    if getattr(user, "is_superuser", False):
        return list(IMPORTERS)
    return [kind for kind, importer in IMPORTERS.items() if importer.allowed(user)]


def _actor_region(actor: Any, capability: str) -> Region | None:
    """Where a job is kept: the widest region at which the actor holds ``capability``."""
    anchors = sorted(anchors_for(actor, capability), key=lambda a: LEVEL_ORDER.get(a.level, 9))
    if not anchors:
        return Region.objects.filter(depth=1).first() if getattr(actor, "is_superuser", False) else None
    anchor = anchors[0]
    if anchor.level == "grid":
        return Grid.objects.get(pk=anchor.pk).community
    return Region.objects.get(pk=anchor.pk)


def import_file_check(*, kind: str, file: IO[bytes]) -> None:
    """Raise ``import_file_invalid`` / ``import_columns_missing`` unless ``file`` is an .xlsx with the columns."""
    importer = importer_for(kind)
    try:
        reader = WorkbookReader(file)
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise ApplicationError("import_file_invalid", _("The file is not an Excel workbook (.xlsx).")) from exc
    try:
        missing = importer.missing_headers(reader.headers)
    finally:
        reader.close()
    if missing:
        raise ApplicationError(
            "import_columns_missing",
            _("Missing columns: %(columns)s") % {"columns": "、".join(missing)},
            fields={"file": [_("Missing columns: %(columns)s") % {"columns": "、".join(missing)}]},
        )


@transaction.atomic
def import_job_create(*, actor: Any, kind: str, file: UploadedFile, language: str = "zh-hans") -> ImportJob:
    """Store an uploaded workbook as a new job (status uploaded); the caller queues the dry run."""
    if kind not in import_kinds_for(actor):
        raise ApplicationError("permission_denied", _("You may not import this kind of data."), status=403)
    file.seek(0)
    import_file_check(kind=kind, file=file)
    file.seek(0)
    job = ImportJob(kind=kind, actor=actor, original_name=(file.name or "")[:200], language=language)
    job.copy_scope_from(_actor_region(actor, importer_for(kind).capability))
    job.file.save(file.name or "import.xlsx", file, save=False)
    job.save()
    return job


def _progress_key(job_id: int) -> str:
    return f"import-progress-{job_id}"


def _progress_put(job_id: int, done: int) -> None:
    from huey.contrib.djhuey import HUEY

    HUEY.put(_progress_key(job_id), done)


def import_job_progress(job: ImportJob) -> int:
    """Rows processed so far (during a commit, read from the task queue's store)."""
    if job.status == ImportStatus.COMMITTING:
        from huey.contrib.djhuey import HUEY

        done = HUEY.get(_progress_key(job.pk), peek=True)
        if done is not None:
            return int(done)
    return job.rows_done


def _fail(job_id: int, message: str) -> None:
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportStatus.FAILED, message=message[:2000], finished_at=timezone.now()
    )


def import_validate(*, job_id: int) -> ImportJob:
    """The dry run: check every row and store outcomes and errors; nothing else is written."""
    job = ImportJob.objects.select_related("actor").get(pk=job_id)
    with translation.override(job.language):
        try:
            return _validate(job)
        except Exception as exc:
            logger.warning("import %s: dry run failed", job_id, exc_info=True)
            _fail(job_id, _("The file could not be checked: %(error)s") % {"error": exc})
            job.refresh_from_db()
            return job


def _validate(job: ImportJob) -> ImportJob:
    importer = importer_for(job.kind)(actor=job.actor)
    job.errors.all().delete()
    outcomes = bytearray()
    counts = {"n": 0, "u": 0, "e": 0}
    done = 0
    items: list[tuple[Row, Any, list[str]]] = []  # (row, parsed or None, parse errors), in file order

    def process() -> None:
        parsed = [(row, data) for row, data, _msgs in items if data is not None]
        checked = dict(zip((row.number for row, _d in parsed), importer.check(parsed) if parsed else [], strict=True))
        errors: list[ImportRowError] = []
        for row, data, messages in items:
            outcome, found = checked[row.number] if data is not None else ("e", messages)
            index = row.number - 2
            if len(outcomes) < index:
                outcomes.extend(b"-" * (index - len(outcomes)))  # blank rows
            outcomes.append(ord(outcome))
            counts[outcome] += 1
            if outcome == RowOutcome.ERROR:
                errors.append(ImportRowError(job=job, row=row.number, message=_row_message(row.number, found)))
        items.clear()
        ImportRowError.objects.bulk_create(errors)
        ImportJob.objects.filter(pk=job.pk).update(rows_done=done)

    with job.file.open("rb") as handle:
        reader = WorkbookReader(handle)
        try:
            total = reader.count()
            ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.VALIDATING, rows_total=total, rows_done=0)
            for row in reader.rows():
                done += 1
                try:
                    items.append((row, importer.parse_row(row), []))
                except RowInvalid as exc:
                    items.append((row, None, exc.messages))
                if len(items) >= BATCH_SIZE:
                    process()
            process()
        finally:
            reader.close()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.VALIDATED,
        rows_total=done,
        rows_done=done,
        count_new=counts["n"],
        count_update=counts["u"],
        count_error=counts["e"],
        outcomes=outcomes.decode(),
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


def import_commit_request(*, actor: Any, job: ImportJob) -> ImportJob:
    """Mark a checked, error-free job for commit; the caller queues ``import_commit``."""
    if job.kind not in import_kinds_for(actor):
        raise ApplicationError("permission_denied", _("You may not import this kind of data."), status=403)
    if job.status != ImportStatus.VALIDATED:
        raise ApplicationError("import_not_validated", _("Only a checked import can be committed."))
    if job.count_error:
        raise ApplicationError(
            "import_has_errors", _("Correct the rows with errors and upload the file again; nothing was imported.")
        )
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.VALIDATED).update(
        status=ImportStatus.COMMITTING, rows_done=0, actor=actor
    )
    if not updated:
        raise ApplicationError("import_not_validated", _("Only a checked import can be committed."))
    job.refresh_from_db()
    return job


def import_commit(*, job_id: int) -> ImportJob:
    """Write every row in one transaction; on any failure nothing is written and the job is failed."""
    job = ImportJob.objects.select_related("actor").get(pk=job_id)
    if job.status != ImportStatus.COMMITTING:
        return job
    with translation.override(job.language):
        try:
            _commit(job)
        except RowInvalid as exc:
            _fail(job_id, _row_message(exc.row or 0, exc.messages))
        except ApplicationError as exc:
            _fail(job_id, exc.message)
        except Exception as exc:
            logger.warning("import %s: commit failed", job_id, exc_info=True)
            _fail(job_id, _("The import failed and nothing was written: %(error)s") % {"error": exc})
        finally:
            from huey.contrib.djhuey import HUEY

            HUEY.get(_progress_key(job_id))  # drop the progress entry
    job.refresh_from_db()
    return job


@transaction.atomic
def _commit(job: ImportJob) -> None:
    importer = importer_for(job.kind)(actor=job.actor)
    importer.dry_run = False
    done = 0
    with job.file.open("rb") as handle:
        reader = WorkbookReader(handle)
        try:
            batch: list[tuple[Row, Any]] = []
            for row in reader.rows():
                try:
                    batch.append((row, importer.parse_row(row)))
                except RowInvalid as exc:
                    exc.row = row.number
                    raise
                if len(batch) >= BATCH_SIZE:
                    _commit_batch(importer, batch)
                    done += len(batch)
                    batch = []
                    _progress_put(job.pk, done)
            _commit_batch(importer, batch)
            done += len(batch)
            importer.finish()
        finally:
            reader.close()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE, rows_done=done, finished_at=timezone.now())
    job.refresh_from_db()
    audit_record(
        actor=job.actor,
        action=AuditAction.IMPORT,
        target=job,
        changes={"kind": job.kind, "rows": done, "new": job.count_new, "update": job.count_update},
        detail=f"{job.kind}: {job.count_new} new, {job.count_update} updated",
    )


def _commit_batch(importer: Importer, batch: list[tuple[Row, Any]]) -> None:
    if not batch:
        return
    outcomes = importer.check(batch)
    for (row, _parsed), (outcome, messages) in zip(batch, outcomes, strict=True):
        if outcome == RowOutcome.ERROR:
            raise RowInvalid(messages, row=row.number)
    importer.commit(batch)
