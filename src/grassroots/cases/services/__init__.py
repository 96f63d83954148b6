"""Case services: intake (``case_submit``), the flow after it, and Open311 clients. Import from here."""

from grassroots.cases.services.escalation import SweepResult, case_escalate, cases_sweep
from grassroots.cases.services.flow import (
    case_accept,
    case_cancel,
    case_claim,
    case_fulfil,
    case_note_add,
    case_rate,
    case_reject,
    case_release,
    claim_identity,
)
from grassroots.cases.services.intake import CaseInput, case_submit, case_validate, similar_open_cases
from grassroots.cases.services.open311_clients import (
    open311_client_authenticate,
    open311_client_create,
    open311_client_deactivate,
)
from grassroots.cases.services.whistle_link import case_close_with_whistle, case_whistle_blown

__all__ = [
    "CaseInput",
    "SweepResult",
    "case_accept",
    "case_cancel",
    "case_claim",
    "case_close_with_whistle",
    "case_escalate",
    "case_fulfil",
    "case_note_add",
    "case_rate",
    "case_reject",
    "case_release",
    "case_submit",
    "case_validate",
    "case_whistle_blown",
    "cases_sweep",
    "claim_identity",
    "open311_client_authenticate",
    "open311_client_create",
    "open311_client_deactivate",
    "similar_open_cases",
]
