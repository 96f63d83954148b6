"""Points: the member and unit rankings (先锋指数), a member's ledger with the source of every entry, the rule
versions (district admins publish a new one), and recording a service by hand."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from grassroots.accounts.enums import Capability
from grassroots.core.errors import ApplicationError
from grassroots.frontline.enums import PointsSource
from grassroots.frontline.forms import RankingForm, RulesPublishForm, ServiceRecordForm
from grassroots.frontline.models import PointsEntry, PointsRuleSet, ServiceRecord
from grassroots.frontline.rules.points import can_publish_points_rules
from grassroots.frontline.selectors import points as selectors
from grassroots.frontline.selectors.reporting import member_report_list
from grassroots.frontline.services.points import points_rules_current, points_rules_publish, service_record_add
from grassroots.frontline.views.common import (
    FrontlineMixin,
    can_manage_frontline,
    can_view_frontline,
    current_year,
    form_error,
)
from grassroots.people.models import Person
from grassroots.web.views.base import PAGE_SIZE, Crumb

RANKING = "frontline:points_ranking"
RANKING_LIMIT = 100


class PointsRankingView(FrontlineMixin, View):
    """Members by points in a year (filtered by community or unit), and units by their vanguard index."""

    model = PointsEntry
    scoped_model = PointsEntry

    def get(self, request: HttpRequest) -> HttpResponse:
        form = RankingForm(request.GET or None, user=request.user)
        year = (form.value("year") if form.is_bound else None) or current_year()
        community = form.value("community") if form.is_bound else None
        unit = form.value("unit") if form.is_bound else None
        invalid = form.is_bound and not form.is_valid()
        members = (
            []
            if invalid
            else selectors.points_ranking_members(
                user=request.user, community_id=community, unit_id=unit, year=year, limit=RANKING_LIMIT
            )
        )
        units = [] if invalid else selectors.points_ranking_units(user=request.user, year=year)
        tab = request.GET.get("tab", "members")
        context = {
            "title": gettext_lazy("Points ranking"),
            "form": form,
            "year": year,
            "tab": tab if tab in ("members", "units") else "members",
            "members": members,
            "units": units,
            "invalid": invalid,
            "filtered": bool(community or unit),
            "can_record": can_manage_frontline(request.user),
            "breadcrumbs": [(gettext_lazy("Points ranking"), None)],
        }
        return render(request, "frontline/points_ranking.html", context)


def entry_source(entry: PointsEntry) -> tuple[str, str | None]:
    """What earned the entry, and the page that shows it (None when there is none to open)."""
    if entry.case_id:
        number = entry.case.number if entry.case is not None else str(entry.case_id)
        return (_("Case %(number)s") % {"number": number}, reverse("cases:case_detail", args=[entry.case_id]))
    if entry.booking_id and entry.booking is not None:
        booking = entry.booking
        label = _("Shift of %(campaign)s, %(when)s") % {
            "campaign": booking.campaign.title,
            "when": booking.starts_at.strftime("%Y-%m-%d"),
        }
        return (label, f"{reverse('frontline:campaign_detail', args=[booking.campaign_id])}#shift-{booking.shift_id}")
    if entry.service_record_id and entry.service_record is not None:
        record = entry.service_record
        return (_("Service: %(title)s (%(day)s)") % {"title": record.title, "day": record.served_on}, None)
    if entry.member_report_id:
        return (_("Report to the community"), reverse("frontline:member_report_detail", args=[entry.member_report_id]))
    return (entry.get_source_display(), None)


class PersonLedgerView(FrontlineMixin, View):
    """Every ledger entry of one member that the user may see, with its rule version and source."""

    model = Person
    scoped_model = Person
    allow_unit_admin = True

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        entries = (
            selectors.points_ledger(user=request.user, person_id=pk)
            .select_related("case", "booking__campaign", "service_record", "member_report")
            .order_by("-at", "-id")
        )
        reports = member_report_list(user=request.user).filter(person_id=pk)
        person = Person.objects.filter(pk=pk).first()
        if person is None or not (entries.exists() or reports.exists()):
            raise Http404
        page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [(entry, *entry_source(entry)) for entry in page.object_list]
        totals = entries.order_by().values("source").annotate(total=Sum("points"))
        by_source = {row["source"]: row["total"] for row in totals}
        crumbs: list[Crumb] = [(gettext_lazy("Points ranking"), reverse(RANKING)), (person.name, None)]
        context = {
            "person": person,
            "report": reports.order_by("-submitted_at").first(),
            "page_obj": page,
            "rows": rows,
            "total": sum(by_source.values(), Decimal(0)),
            "by_source": [(label, by_source[key]) for key, label in PointsSource.choices if key in by_source],
            "title": person.name,
            "breadcrumbs": crumbs if can_view_frontline(request.user) else crumbs[1:],
        }
        return render(request, "frontline/points_person.html", context)


def _rule_sets() -> list[PointsRuleSet]:
    return list(PointsRuleSet.objects.prefetch_related("rules").select_related("created_by").order_by("-version"))


class PointsRulesView(FrontlineMixin, View):
    """The rule versions, newest first; a district admin publishes a new version here (old ones never change)."""

    model = PointsRuleSet

    def render_page(self, request: HttpRequest, form: RulesPublishForm | None, status: int = 200) -> HttpResponse:
        current = points_rules_current()
        rule_sets = _rule_sets()
        sources = PointsSource.choices
        table = [
            {
                "set": rule_set,
                "current": rule_set.pk == current.pk,
                "points": [
                    (label, {r.source: r.points for r in rule_set.rules.all()}.get(key)) for key, label in sources
                ],
            }
            for rule_set in rule_sets
        ]
        crumbs: list[Crumb] = [(gettext_lazy("Points ranking"), reverse(RANKING)), (gettext_lazy("Points rules"), None)]
        context = {
            "title": gettext_lazy("Points rules"),
            "sources": sources,
            "table": table,
            "form": form,
            "breadcrumbs": crumbs,
        }
        return render(request, "frontline/points_rules.html", context, status=status)

    def blank_form(self) -> RulesPublishForm:
        current = points_rules_current()
        return RulesPublishForm(current={r.source: r.points for r in current.rules.all()})

    def get(self, request: HttpRequest) -> HttpResponse:
        form = self.blank_form() if can_publish_points_rules(request.user) else None
        return self.render_page(request, form)

    def post(self, request: HttpRequest) -> HttpResponseBase:
        if not can_publish_points_rules(request.user):
            messages.error(request, _("Only the district may change the points rules."))
            return self.render_page(request, None, status=403)
        form = RulesPublishForm(request.POST)
        if form.is_valid():
            try:
                rule_set = points_rules_publish(
                    actor=request.user,
                    effective_from=form.cleaned_data["effective_from"],
                    points=form.points(),
                    note=form.cleaned_data.get("note") or "",
                    request=request,
                )
            except ApplicationError as exc:
                fields = {(f"points_{k}" if k in PointsSource.values else k): v for k, v in exc.fields.items()}
                form_error(form, ApplicationError(exc.code, exc.message, fields=fields, status=exc.status))
            else:
                messages.success(
                    request, _("Version %(version)d of the points rules is published.") % {"version": rule_set.version}
                )
                return HttpResponseRedirect(reverse("frontline:points_rules"))
        return self.render_page(request, form, status=400)


class ServiceRecordCreateView(FrontlineMixin, View):
    """Record a service a confirmed member did (an activity or a post's duty, with the hours); it earns points."""

    model = ServiceRecord
    scoped_model = ServiceRecord
    capability = Capability.MANAGE_FRONTLINE

    def render_form(self, request: HttpRequest, form: ServiceRecordForm, status: int = 200) -> HttpResponse:
        title = gettext_lazy("Record a service")
        crumbs: list[Crumb] = [(gettext_lazy("Points ranking"), reverse(RANKING)), (title, None)]
        context = {"form": form, "title": title, "breadcrumbs": crumbs, "cancel_url": reverse(RANKING)}
        return render(request, "frontline/form_page.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {}
        raw = request.GET.get("person", "")
        if raw.isdigit():
            initial["person"] = int(raw)
        return self.render_form(request, ServiceRecordForm(user=request.user, initial=initial))

    def post(self, request: HttpRequest) -> HttpResponseBase:
        form = ServiceRecordForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                record = service_record_add(
                    actor=request.user,
                    person=data["person"],
                    region=data["region"],
                    kind=data["kind"],
                    title=data["title"],
                    served_on=data["served_on"],
                    hours=data["hours"],
                    request=request,
                )
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Service of %(person)s recorded: %(title)s.") % {"person": record.person, "title": record.title},
                )
                return HttpResponseRedirect(reverse("frontline:points_person", args=[record.person_id]))
        return self.render_form(request, form, status=400)
