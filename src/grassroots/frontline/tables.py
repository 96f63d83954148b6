"""The frontline list tables (django-tables2) and their Excel columns. Personal numbers are never shown: the
roster names a member, where they reported and what they do, not their ID or mobile number."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from grassroots.frontline.enums import CampaignStatus, ReportStatus
from grassroots.frontline.models import Campaign, MemberReport
from grassroots.organizations.models import Organization
from grassroots.web.exports import ExportColumn, display
from grassroots.web.tables import NUM, BaseTable

REPORT_BADGES: dict[str, str] = {
    ReportStatus.PENDING: "bg-yellow-lt",
    ReportStatus.CONFIRMED: "bg-green-lt",
    ReportStatus.REJECTED: "bg-secondary-lt",
    ReportStatus.WITHDRAWN: "bg-secondary-lt",
}
CAMPAIGN_BADGES: dict[str, str] = {
    CampaignStatus.DRAFT: "bg-yellow-lt",
    CampaignStatus.OPEN: "bg-green-lt",
    CampaignStatus.FINISHED: "bg-blue-lt",
    CampaignStatus.CANCELLED: "bg-secondary-lt",
}


def report_badge(report: object) -> SafeString:
    status = str(getattr(report, "status", ""))
    return format_html(
        '<span class="badge {}">{}</span>', REPORT_BADGES.get(status, ""), ReportStatus(status).label if status else ""
    )


def campaign_badge(campaign: Campaign) -> SafeString:
    return format_html(
        '<span class="badge {}">{}</span>', CAMPAIGN_BADGES.get(campaign.status, ""), campaign.get_status_display()
    )


def posts_label(report: MemberReport) -> str:
    """The member's service posts (prefetched by the selector), 、-separated."""
    return "、".join(post.name for post in report.posts.all())


def compound_label(report: MemberReport) -> str:
    return report.compound.name if report.compound_id and report.compound is not None else ""


def points_value(report: MemberReport) -> float:
    total = getattr(report, "points_total", None)
    return float(total) if total is not None else 0.0


class RosterTable(BaseTable):
    name = tables.Column(
        verbose_name=pgettext_lazy("person", "Name"),
        accessor="person__name",
        order_by=("person__name_pinyin", "id"),
        linkify=lambda record: reverse("frontline:points_person", args=[record.person_id]),
    )
    community = tables.Column(
        verbose_name=_("Community"), accessor="community__name", order_by=("community__path", "person__name_pinyin")
    )
    compound = tables.Column(verbose_name=_("Compound"), accessor="pk", orderable=False, empty_values=())
    home_unit = tables.Column(
        verbose_name=_("Home unit"), accessor="home_unit__name", order_by=("home_unit__code", "id"), default="—"
    )
    posts = tables.Column(verbose_name=_("Service posts"), accessor="pk", orderable=False, empty_values=())
    skills = tables.Column(verbose_name=_("Skills"), orderable=False, default="—")
    points_total = tables.Column(verbose_name=_("Points"), attrs=NUM, order_by=("points_total", "id"))
    decided_at = tables.DateColumn(verbose_name=_("Confirmed on"), format="Y-m-d")

    class Meta(BaseTable.Meta):
        model = MemberReport
        fields = ("name", "community", "compound", "home_unit", "posts", "skills", "points_total", "decided_at")
        empty_text = _("No confirmed member matches.")

    def render_compound(self, record: MemberReport) -> str:
        return compound_label(record) or "—"

    def render_posts(self, record: MemberReport) -> str:
        return posts_label(record) or "—"

    def render_points_total(self, record: MemberReport) -> str:
        return f"{points_value(record):g}"


ROSTER_EXPORT_COLUMNS = (
    ExportColumn(pgettext_lazy("person", "Name"), display("person.name")),
    ExportColumn(_("Street"), display("street.name")),
    ExportColumn(_("Community"), display("community.name")),
    ExportColumn(_("Compound"), compound_label),
    ExportColumn(_("Home unit"), display("home_unit.name")),
    ExportColumn(_("Service posts"), posts_label),
    ExportColumn(_("Skills"), display("skills")),
    ExportColumn(_("How reported"), display("get_channel_display")),
    ExportColumn(_("Confirmed on"), lambda r: timezone.localtime(r.decided_at).date() if r.decided_at else ""),
    ExportColumn(_("Points"), points_value),
)


class CampaignTable(BaseTable):
    title = tables.Column(verbose_name=_("Title"), linkify=("frontline:campaign_detail", [tables.A("pk")]))
    region = tables.Column(verbose_name=_("Region"), accessor="region__name", order_by=("region__path", "-starts_on"))
    starts_on = tables.DateColumn(verbose_name=_("Starts on"), format="Y-m-d")
    ends_on = tables.DateColumn(verbose_name=_("Ends on"), format="Y-m-d")
    status = tables.Column(verbose_name=_("Status"))
    shift_count = tables.Column(verbose_name=_("Shifts"), attrs=NUM)
    booked_total = tables.Column(verbose_name=_("Signed up / needed"), attrs=NUM, order_by=("booked_total", "id"))

    class Meta(BaseTable.Meta):
        model = Campaign
        fields = ("title", "region", "starts_on", "ends_on", "status", "shift_count", "booked_total")
        empty_text = _("No campaign matches.")

    def render_status(self, record: Campaign) -> SafeString:
        return campaign_badge(record)

    def render_booked_total(self, record: Campaign) -> str:
        return f"{getattr(record, 'booked_total', 0)} / {getattr(record, 'needed_total', 0)}"


class SquadTable(BaseTable):
    name = tables.Column(verbose_name=_("Squad"), order_by=("name", "pk"))
    parent = tables.Column(
        verbose_name=_("Corps"), accessor="parent__name", order_by=("parent__name", "name"), default="—"
    )
    region = tables.Column(verbose_name=_("Region"), accessor="region__name", order_by=("region__path", "name"))
    leader_names = tables.Column(verbose_name=_("Leaders"), orderable=False, default="—")
    member_count = tables.Column(verbose_name=_("Members"), attrs=NUM)

    class Meta(BaseTable.Meta):
        model = Organization
        fields = ("name", "parent", "region", "leader_names", "member_count")
        empty_text = _("No vanguard squad matches.")
