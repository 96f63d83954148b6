"""One application error type: a stable code, a translated message and optional field errors."""

from __future__ import annotations

from django.utils.functional import Promise


class ApplicationError(Exception):
    """Raised by services and selectors; the API maps it to ``{"code", "message", "fields"}``."""

    def __init__(
        self,
        code: str,
        message: str | Promise,
        *,
        fields: dict[str, list[str]] | None = None,
        status: int = 400,
    ) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = str(message)
        self.fields = fields or {}
        self.status = status

    def __repr__(self) -> str:
        return f"ApplicationError({self.code!r}, {self.message!r})"
