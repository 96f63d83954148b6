from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Returned")
    WITHDRAWN = "withdrawn", _("Withdrawn")


LIVE_REPORT_STATUSES = (ReportStatus.PENDING, ReportStatus.CONFIRMED)


class ReportChannel(models.TextChoices):
    SELF = "self", _("By the member on the phone")
    ROSTER = "roster", _("By the unit's roster")
    STAFF = "staff", _("By community staff")


class ResourceKind(models.TextChoices):
    VENUE = "venue", _("Venue")
    VEHICLE = "vehicle", _("Vehicle")
    EXPERTISE = "expertise", _("Expertise")
    FUNDS = "funds", _("Funds")
    OTHER = "other", pgettext_lazy("resource kind", "Other")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("project status", "In progress")
    DONE = "done", _("Done")


class PointsSource(models.TextChoices):
    """What earns points; each active rule set gives one figure per source."""

    MEMBER_REPORTED = "member_reported", _("Reported to the community")
    WISH_FULFILLED = "wish_fulfilled", _("Micro-wish fulfilled")
    CASE_FULFILLED = "case_fulfilled", _("Difficulty solved")
    RATED_SATISFIED = "rated_satisfied", _("Resident satisfied")
    RATED_BASIC = "rated_basic", _("Resident basically satisfied")
    HOUR_SERVED = "hour_served", _("Hour served")
    ACTIVITY_JOINED = "activity_joined", _("Activity joined")


class ServiceKind(models.TextChoices):
    ACTIVITY = "activity", _("Activity")
    DUTY = "duty", _("Service post duty")
    OTHER = "other", pgettext_lazy("service kind", "Other")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for sign-up")
    FINISHED = "finished", _("Finished")
    CANCELLED = "cancelled", pgettext_lazy("campaign status", "Cancelled")


class PlaceKind(models.TextChoices):
    CHECKPOINT = "checkpoint", _("Checkpoint")
    TESTING_SITE = "testing_site", _("Testing site")
    COMPOUND = "compound", _("Residential compound")
    OTHER = "other", pgettext_lazy("place kind", "Other")


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Signed up")
    CHECKED_IN = "checked_in", _("Checked in")
    CHECKED_OUT = "checked_out", _("Checked out")
    CANCELLED = "cancelled", pgettext_lazy("booking status", "Cancelled")
    NO_SHOW = "no_show", _("Did not come")


# Bookings that hold a place and a person's time.
HOLDING_STATUSES = (BookingStatus.BOOKED, BookingStatus.CHECKED_IN, BookingStatus.CHECKED_OUT)
