"""The case page: every field (numbers masked), photos, the timeline, related cases, and the action forms the
user may use now. Each action is a POST to its own URL (``actions.CaseActionView``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from grassroots.cases import rules, selectors
from grassroots.cases.enums import ACTIVE_STATUSES, EventKind, PhotoStage
from grassroots.cases.forms import (
    AcceptForm,
    ClaimForm,
    FulfilForm,
    NoteForm,
    OptionalReasonForm,
    RateForm,
    ReasonForm,
)
from grassroots.cases.models import Case, CaseClaim
from grassroots.cases.services import similar_open_cases
from grassroots.cases.tables import current_deadline, handler_label, place_label
from grassroots.cases.views.common import case_or_404, sees_as_staff
from grassroots.web.views.base import CapabilityRequiredMixin

# The action forms, in the order the page shows them; each is prefixed with its name so that fields do not clash.
ACTION_FORMS: dict[str, type[forms.Form]] = {
    "accept": AcceptForm,
    "reject": ReasonForm,
    "claim": ClaimForm,
    "fulfil": FulfilForm,
    "rate": RateForm,
    "release": ReasonForm,
    "escalate": ReasonForm,
    "cancel": OptionalReasonForm,
    "note": NoteForm,
}


# Each action's heading and button label.
ACTION_LABELS: dict[str, tuple[Any, Any]] = {
    "accept": (_("Accept"), _("Accept")),
    "reject": (_("Do not accept"), _("Do not accept")),
    "claim": (_("Record a claim"), _("Claim")),
    "fulfil": (_("Record fulfilment"), _("Save as fulfilled")),
    "rate": (_("Record the resident's rating"), _("Save the rating")),
    "release": (_("Release the claim"), _("Release")),
    "escalate": (_("Escalate"), _("Escalate")),
    "cancel": (_("Withdraw the case"), _("Withdraw")),
    "note": (_("Add a note"), _("Add note")),
}
DANGEROUS = frozenset({"reject", "release", "cancel"})


def action_form(action: str, request: HttpRequest, case: Case, *, bound: bool = False) -> forms.Form:
    form_class = ACTION_FORMS[action]
    kwargs: dict[str, Any] = {"prefix": action}
    if form_class is ClaimForm:
        kwargs.update(user=request.user, case=case)
    if bound:
        return form_class(request.POST, request.FILES, **kwargs)
    return form_class(**kwargs)


def related_cases(request: HttpRequest, case: Case, staff: bool) -> tuple[list[Case], list[Case]]:
    """Cases marked as duplicates of this one (or the one it duplicates), and similar open cases at the same
    place — only those the user may open."""
    visible = Case.objects.filter(selectors.case_visibility_q(request.user)).select_related("category")
    duplicates = list(
        visible.filter(Q(pk=case.duplicate_of_id) | Q(duplicate_of=case)).exclude(pk=case.pk).order_by("-submitted_at")
    )
    similar: list[Case] = []
    if staff and case.status in ACTIVE_STATUSES:
        candidates = [
            c
            for c in similar_open_cases(place=case.place, category=case.category, text=case.description, limit=8)
            if c.pk != case.pk and c.pk not in {d.pk for d in duplicates}
        ]
        allowed = set(visible.filter(pk__in=[c.pk for c in candidates]).values_list("pk", flat=True))
        similar = [c for c in candidates if c.pk in allowed][:5]
    return duplicates, similar


def answers(case: Case) -> list[tuple[str, str]]:
    """The answers to the item's extra questions, as (question, answer) in the item's order."""
    if not case.attributes:
        return []
    rows: list[tuple[str, str]] = []
    known: set[str] = set()
    attributes = list(case.item.attributes.all()) if case.item_id and case.item is not None else []
    for attribute in attributes:
        known.add(attribute.code)
        value = case.attributes.get(attribute.code)
        if value in (None, "", []):
            continue
        names = {str(k): str(n) for k, n in attribute.values}
        values = value if isinstance(value, list) else [value]
        rows.append((attribute.description, "、".join(names.get(str(v), str(v)) for v in values)))
    for key, value in case.attributes.items():
        if key not in known and value not in (None, "", []):
            rows.append((str(key), str(value)))
    return rows


def whistle_links(request: HttpRequest, case: Case, events: list[Any]) -> tuple[list[Any], str | None]:
    """The whistles blown for the case that the user may open (each WHISTLED event links to its whistle), and the
    "blow the whistle" link when the user may blow one for this active case."""
    from grassroots.whistle.models import Whistle
    from grassroots.whistle.rules import can_blow
    from grassroots.whistle.selectors import whistle_visibility_q

    whistles = list(Whistle.objects.filter(whistle_visibility_q(request.user), origin_case=case).order_by("raised_at"))
    urls = {w.number: w.get_absolute_url() for w in whistles}
    for event in events:
        if event.kind == EventKind.WHISTLED:
            event.whistle_url = urls.get(str((event.data or {}).get("whistle", "")))
    blow_url = None
    community = case.community if case.community_id else None
    if case.status in ACTIVE_STATUSES and community is not None and can_blow(request.user, community):
        blow_url = f"{reverse('whistle:whistle_create')}?case={case.pk}"
    return whistles, blow_url


def render_case_page(
    request: HttpRequest, case: Case, *, failed: dict[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    """The case page; ``failed`` holds a bound action form with its errors, shown in place of the blank one."""
    user = request.user
    staff = sees_as_staff(user, case)
    actions = rules.actions_for(user, case)
    failed = failed or {}
    action_forms = [
        {
            "name": name,
            "title": ACTION_LABELS[name][0],
            "button": ACTION_LABELS[name][1],
            "form": failed.get(name) or action_form(name, request, case),
            "url": reverse(f"cases:case_{name}", args=[case.pk]),
            "danger": name in DANGEROUS,
            "open": name in failed or name == "accept",
        }
        for name in ACTION_FORMS
        if name in actions
    ]
    duplicates, similar = related_cases(request, case, staff)
    photos = list(case.photos.all())
    events = list(selectors.timeline(case=case, public_only=not staff))
    whistles, blow_url = whistle_links(request, case, events)
    context = {
        "case": case,
        "staff": staff,
        "place_label": place_label(case),
        "handler_label": handler_label(case),
        "deadline": current_deadline(case),
        "events": events,
        "whistles": whistles,
        "blow_url": blow_url,
        "intake_photos": [p for p in photos if p.stage == PhotoStage.INTAKE],
        "fulfilment_photos": [p for p in photos if p.stage == PhotoStage.FULFILMENT],
        "claims": CaseClaim.objects.filter(case=case).select_related("claimer_person", "claimer_org") if staff else [],
        "duplicates": duplicates,
        "similar": similar,
        "action_forms": action_forms,
        "answers": answers(case),
        "breadcrumbs": [
            *([(_("Case inbox"), reverse("cases:case_list"))] if staff else []),
            (case.number or str(case.pk), None),
        ],
    }
    return render(request, "cases/case_detail.html", context, status=status)


class CaseDetailView(CapabilityRequiredMixin, View):
    """A case the user may open (their scope, or asked or claimed by them); any other id is a 404."""

    model = Case
    scoped_model = Case

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        case = case_or_404(request, pk)
        user = request.user
        if case.requester_user_id == user.pk and case.claimer_user_id != user.pk and not sees_as_staff(user, case):
            # A resident's own request: their page is the portal's.
            return HttpResponseRedirect(reverse("portal:case_detail", args=[case.pk]))
        return render_case_page(request, case)
