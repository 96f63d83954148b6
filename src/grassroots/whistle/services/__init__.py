"""Whistle services: blowing, the departments' answers, rating, closing and the escalation sweep. Import from here."""

from grassroots.whistle.services.answer import call_acknowledge, call_feedback, call_report
from grassroots.whistle.services.blow import CALLABLE_KINDS, CallInput, whistle_blow
from grassroots.whistle.services.close import call_rate, whistle_cancel, whistle_close
from grassroots.whistle.services.sweep import WhistleSweepResult, whistles_sweep

__all__ = [
    "CALLABLE_KINDS",
    "CallInput",
    "WhistleSweepResult",
    "call_acknowledge",
    "call_feedback",
    "call_rate",
    "call_report",
    "whistle_blow",
    "whistle_cancel",
    "whistle_close",
    "whistles_sweep",
]
