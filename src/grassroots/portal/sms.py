"""Sending sign-in codes: a pluggable sender, chosen by the ``PORTAL_OTP_SENDER`` setting (a dotted path).

The default ``LogSender`` writes the code to the server log (logger ``grassroots.portal.sms``, level INFO) with
the mobile number masked. A real SMS gateway implements the same one-method protocol.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from grassroots.core.personal_data import mask_mobile

logger = logging.getLogger(__name__)

DEFAULT_SENDER = "grassroots.portal.sms.LogSender"


class CodeSender(Protocol):
    def send(self, mobile: str, code: str) -> None:
        """Deliver ``code`` to the 11-digit ``mobile``; raise on failure."""


class LogSender:
    """Writes the code to the server log; the number appears masked, never in clear."""

    def send(self, mobile: str, code: str) -> None:
        logger.info("Portal sign-in code for %s: %s", mask_mobile(mobile), code)


def get_sender() -> CodeSender:
    path = getattr(settings, "PORTAL_OTP_SENDER", DEFAULT_SENDER)
    sender: CodeSender = import_string(path)()
    return sender
