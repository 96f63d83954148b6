from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Urgency(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    NORMAL = "normal", _("Normal")


class WhistleStatus(models.TextChoices):
    OPEN = "open", _("Departments responding")
    CLOSED = "closed", pgettext_lazy("whistle status", "Closed")
    CANCELLED = "cancelled", pgettext_lazy("whistle status", "Cancelled")


class CallStatus(models.TextChoices):
    """One called department's progress: called → acknowledged → on site (报到) → fed back → rated."""

    CALLED = "called", _("Called")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    REPORTED = "reported", _("On site")
    FED_BACK = "fed_back", _("Fed back")
    RATED = "rated", _("Rated")
    CANCELLED = "cancelled", pgettext_lazy("call status", "Cancelled")


# Statuses in which the department still owes a report on site.
AWAITING_REPORT = frozenset({CallStatus.CALLED, CallStatus.ACKNOWLEDGED})
# Statuses in which the department still owes its feedback.
AWAITING_FEEDBACK = frozenset({CallStatus.CALLED, CallStatus.ACKNOWLEDGED, CallStatus.REPORTED})


class EscalationLevel(models.IntegerChoices):
    NONE = 0, _("Not escalated")
    STREET = 1, _("Escalated to the street")
    DISTRICT = 2, _("Escalated to the district")


class WhistleEventKind(models.TextChoices):
    BLOWN = "blown", _("Whistle blown")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    REPORTED = "reported", _("Reported on site")
    FED_BACK = "fed_back", _("Fed back")
    ESCALATED = "escalated", _("Escalated")
    CLOSED = "closed", pgettext_lazy("whistle event", "Closed")
    RATED = "rated", _("Rated")
    CANCELLED = "cancelled", pgettext_lazy("whistle event", "Cancelled")
