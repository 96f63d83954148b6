from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CaseKind(models.TextChoices):
    MICRO_WISH = "micro_wish", _("Micro-wish")
    DIFFICULTY = "difficulty", _("Difficulty")
    APPOINTMENT = "appointment", _("Service appointment")
    GRID_EVENT = "grid_event", _("Grid event")


# Kinds that party members, units and volunteer teams can claim from a wall.
CLAIMABLE_KINDS = frozenset({CaseKind.MICRO_WISH, CaseKind.DIFFICULTY})


class CaseStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting acceptance")
    OPEN = "open", _("Open for claiming")
    IN_PROGRESS = "in_progress", _("In progress")
    FULFILLED = "fulfilled", _("Awaiting rating")
    CLOSED = "closed", pgettext_lazy("case status", "Closed")
    REJECTED = "rejected", _("Not accepted")
    CANCELLED = "cancelled", _("Withdrawn")


ACTIVE_STATUSES = frozenset({CaseStatus.PENDING, CaseStatus.OPEN, CaseStatus.IN_PROGRESS})
TERMINAL_STATUSES = frozenset({CaseStatus.CLOSED, CaseStatus.REJECTED, CaseStatus.CANCELLED})


class CaseLevel(models.IntegerChoices):
    """The rungs of "小事不出小区、大事不出社区": where a case is being handled now."""

    GRID = 1, _("Grid / compound")
    COMMUNITY = 2, _("Community")
    STREET = 3, _("Street")


class Channel(models.TextChoices):
    PORTAL = "portal", _("Resident portal")
    GRID_WORKER = "grid_worker", _("Grid worker")
    BUILDING_HEAD = "building_head", _("Building head")
    WALK_IN = "walk_in", _("Walk-in")
    PHONE = "phone", _("Phone call")
    API = "api", _("API")
    OPEN311 = "open311", _("Open311")
    HOTLINE = "hotline", _("12345 hotline")


class NeedGroup(models.TextChoices):
    ELDERLY_ALONE = "elderly_alone", _("Elderly living alone")
    DISABLED = "disabled", _("Person with disability")
    LEFT_BEHIND_CHILD = "left_behind_child", _("Left-behind child")
    LOW_INCOME = "low_income", _("Low-income household")
    OTHER = "other", pgettext_lazy("need group", "Other")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASIC = "basic", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ROUTED = "routed", _("Routed")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not accepted")
    CLAIMED = "claimed", _("Claimed")
    RELEASED = "released", _("Claim released")
    FULFILLED = "fulfilled", _("Fulfilled")
    RATED = "rated", _("Rated")
    REOPENED = "reopened", _("Reopened")
    ESCALATED = "escalated", _("Escalated")
    CLOSED = "closed", pgettext_lazy("case event", "Closed")
    CANCELLED = "cancelled", _("Withdrawn")
    NOTE = "note", _("Note")
    WHISTLED = "whistled", _("Whistle blown")


class PhotoStage(models.TextChoices):
    INTAKE = "intake", _("When submitted")
    FULFILMENT = "fulfilment", _("When fulfilled")


class ClaimOutcome(models.TextChoices):
    ACTIVE = "active", _("Active")
    RELEASED = "released", _("Released")
    FULFILLED = "fulfilled", _("Fulfilled")
