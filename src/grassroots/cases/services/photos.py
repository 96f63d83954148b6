"""Photo validation and storage: at most 9 per stage, JPEG/PNG/WebP only (checked by decoding), size-capped."""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from grassroots.cases.models import Case, CasePhoto
from grassroots.core.errors import ApplicationError

MAX_PHOTOS = 9
FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}

# Files saved by ``photos_store`` inside the current ``photos_discarded_on_error`` block.
_stored: ContextVar[list[tuple[Storage, str]] | None] = ContextVar("cases_photos_stored", default=None)


@contextmanager
def photos_discarded_on_error() -> Iterator[None]:
    """Delete the photo files stored inside the block when the block raises.

    A rolled-back transaction takes the ``CasePhoto`` rows with it but not the files; wrap the transaction (this
    block outside, ``transaction.atomic`` inside) so that a failure after the photos were saved leaves no file.
    Usable as a decorator too.
    """
    stored: list[tuple[Storage, str]] = []
    token = _stored.set(stored)
    try:
        yield
    except BaseException:
        for storage, name in stored:
            storage.delete(name)
        raise
    finally:
        _stored.reset(token)


def max_bytes() -> int:
    return int(getattr(settings, "CASES_PHOTO_MAX_BYTES", 5 * 1024 * 1024))


def photos_check(photos: Sequence[UploadedFile]) -> list[tuple[UploadedFile, str, str]]:
    """Validate every photo before anything is written; returns (file, extension, content type)."""
    if len(photos) > MAX_PHOTOS:
        raise ApplicationError(
            "too_many_photos",
            _("At most %(max)d photos can be attached.") % {"max": MAX_PHOTOS},
            fields={"photos": [_("At most %(max)d photos can be attached.") % {"max": MAX_PHOTOS}]},
        )
    checked: list[tuple[UploadedFile, str, str]] = []
    errors: list[str] = []
    limit = max_bytes()
    for photo in photos:
        name = photo.name or "?"
        if photo.size is None or photo.size > limit:
            errors.append(_("%(name)s is larger than %(max)s.") % {"name": name, "max": filesizeformat(limit)})
            continue
        try:
            photo.seek(0)
            with Image.open(photo) as image:
                fmt = image.format or ""
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            fmt = ""
        photo.seek(0)
        if fmt not in FORMATS:
            errors.append(_("%(name)s is not a JPEG, PNG or WebP photo.") % {"name": name})
            continue
        checked.append((photo, *FORMATS[fmt]))
    if errors:
        raise ApplicationError("photo_invalid", " ".join(errors), fields={"photos": errors})
    return checked


def photos_store(*, case: Case, photos: list[tuple[UploadedFile, str, str]], stage: str, actor: Any) -> None:
    now = timezone.now()
    for upload, extension, content_type in photos:
        photo = CasePhoto(
            case=case,
            stage=stage,
            token=secrets.token_hex(16),
            extension=extension,
            content_type=content_type,
            size=upload.size or 0,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
            uploaded_at=now,
        )
        photo.image.save(f"{photo.token}.{extension}", upload, save=False)
        stored = _stored.get()
        if stored is not None:
            stored.append((photo.image.storage, str(photo.image.name)))
        photo.save()
