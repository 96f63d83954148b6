"""The workbench (工作台): each role lands on its own, built from a bounded number of scoped queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from grassroots.accounts.enums import Capability, Role
from grassroots.accounts.models import RoleAssignment
from grassroots.accounts.roles import has_capability, roles_of
from grassroots.core.models import AuditEvent
from grassroots.organizations.models import Organization
from grassroots.people.enums import PersonRoleKind
from grassroots.people.models import PartyMembership, Person, PersonRole
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Grid, Household, Region
from grassroots.web.context_processors import url_or_none
from grassroots.web.narrow import current_region, narrow
from grassroots.web.views.base import CapabilityRequiredMixin

# Roles from the widest to the narrowest: a user with several lands on the workbench of the first one they hold.
ROLE_ORDER: tuple[str, ...] = (
    Role.DISTRICT_ADMIN,
    Role.DEPARTMENT_STAFF,
    Role.STREET_STAFF,
    Role.COMMUNITY_STAFF,
    Role.UNIT_ADMIN,
    Role.COMPOUND_SECRETARY,
    Role.GRID_WORKER,
    Role.PARTY_MEMBER,
    Role.RESIDENT,
)
# The workbench template of each role.
WORKBENCHES: dict[str, str] = {
    Role.DISTRICT_ADMIN: "overview",
    Role.DEPARTMENT_STAFF: "overview",
    Role.UNIT_ADMIN: "overview",
    Role.STREET_STAFF: "staff",
    Role.COMMUNITY_STAFF: "staff",
    Role.COMPOUND_SECRETARY: "compound",
    Role.GRID_WORKER: "grid",
    Role.PARTY_MEMBER: "party",
    Role.RESIDENT: "resident",
}
# The levels the overview counts, with the label of their figure.
LEVELS: list[str] = [RegionKind.STREET, RegionKind.COMMUNITY, RegionKind.COMPOUND]
LEVEL_FIGURES = {
    RegionKind.STREET: ("streets", _("Streets")),
    RegionKind.COMMUNITY: ("communities", _("Communities")),
    RegionKind.COMPOUND: ("compounds", _("Compounds")),
}
RECENT_EVENTS = 8
MY_GRIDS = 12


def figure(key: str, label: Any, value: int, url: str | None = None) -> dict[str, Any]:
    """One number on the workbench, linking to its list page when that page exists."""
    return {"key": key, "label": label, "value": value, "url": url, "href": url_or_none(url) if url else None}


class HomeView(CapabilityRequiredMixin, TemplateView):
    """The workbench of the user's widest role (or of another role they hold, with ``?role=``)."""

    template_name = "web/home.html"
    model = Region
    scoped_model = Region  # also counts grids, persons, organisations and audit events, each through visible_to
    known: dict[str, int]  # the figures of ``_counts``, reused by the workbenches

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        assignments = list(
            RoleAssignment.objects.filter(user_id=user.pk or 0)
            .select_related("region", "region__community", "grid", "grid__community", "organization")
            .order_by("role", "pk")
        )
        held = [role for role in ROLE_ORDER if role in roles_of(user)]
        wanted = self.request.GET.get("role", "")
        role = wanted if wanted in held else (held[0] if held else "")
        counts = self._counts()
        self.known = {str(item["key"]): int(item["value"]) for item in counts}
        context.update(
            assignments=assignments,
            role=role,
            role_label=Role(role).label if role else "",
            other_roles=[(r, Role(r).label) for r in held if r != role],
            workbench=WORKBENCHES.get(role, "none"),
            counts=counts,
        )
        mine = [a for a in assignments if a.role == role]
        builder = getattr(self, f"_{context['workbench']}", None)
        if builder is not None:
            context.update(builder(mine))
        return context

    def _visible(self, queryset: Any) -> Any:
        """Scoped to the user, then narrowed to the region chosen in the switcher (never wider)."""
        return narrow(self.request, queryset.visible_to(self.request.user))

    def _counts(self) -> list[dict[str, Any]]:
        """The three figures every staff workbench shows: regions, grids and persons the user can see."""
        user = self.request.user
        counts: list[dict[str, Any]] = []
        if has_capability(user, Capability.VIEW_TERRITORY):
            counts.append(figure("regions", _("Regions"), self._visible(Region.objects).count(), "web:region_list"))
            counts.append(figure("grids", _("Grids"), self._visible(Grid.objects).count(), "web:grid_list"))
        if has_capability(user, Capability.VIEW_PEOPLE):
            counts.append(figure("persons", _("Persons"), self._visible(Person.objects).count(), "web:person_list"))
        return counts

    def _overview(self, mine: list[RoleAssignment]) -> dict[str, Any]:
        """District admin: how much of the district the user sees, by level, and the latest audit events."""
        user = self.request.user
        overview: list[dict[str, Any]] = []
        if has_capability(user, Capability.VIEW_TERRITORY):
            by_kind = dict(
                self._visible(Region.objects)
                .filter(kind__in=LEVELS)
                .order_by()
                .values_list("kind")
                .annotate(n=Count("pk"))
            )
            # Only the levels below the region the switcher narrowed to ("0 streets" in a community says nothing).
            narrowed = current_region(self.request)
            below = LEVELS[LEVELS.index(narrowed.kind) + 1 :] if narrowed and narrowed.kind in LEVELS else LEVELS
            overview += [
                figure(key, label, by_kind.get(kind, 0), "web:region_list")
                for kind, (key, label) in LEVEL_FIGURES.items()
                if kind in below
            ]
            overview.append(figure("grids", _("Grids"), self.known["grids"], "web:grid_list"))
        if has_capability(user, Capability.VIEW_PEOPLE):
            overview += [
                figure("persons", _("Persons"), self.known["persons"], "web:person_list"),
                figure("party_members", _("Party members"), self._visible(PartyMembership.objects).count()),
            ]
        if has_capability(user, Capability.VIEW_ORGANIZATIONS):
            overview.append(
                figure(
                    "organizations",
                    _("Organisations"),
                    self._visible(Organization.objects).count(),
                    "web:organization_list",
                )
            )
        overview += self._whistle_figures()
        recent: list[AuditEvent] = []
        if has_capability(user, Capability.VIEW_AUDIT):
            recent = list(
                self._visible(AuditEvent.objects).select_related("actor").order_by("-at", "-pk")[:RECENT_EVENTS]
            )
        return {"overview": overview, "recent": recent, "can_audit": has_capability(user, Capability.VIEW_AUDIT)}

    def _whistle_figures(self) -> list[dict[str, Any]]:
        """Department staff: the calls to their department still waiting for its report on site."""
        from grassroots.whistle.enums import AWAITING_REPORT, WhistleStatus
        from grassroots.whistle.models import WhistleCall
        from grassroots.whistle.rules import department_ids

        if Role.DEPARTMENT_STAFF not in roles_of(self.request.user):
            return []
        departments = department_ids(self.request.user)
        if not departments:
            return []
        waiting = WhistleCall.objects.filter(
            department_id__in=departments, status__in=list(AWAITING_REPORT), whistle__status=WhistleStatus.OPEN
        ).count()
        return [figure("whistles_awaiting", _("Whistles awaiting our report"), waiting, "whistle:my_whistles")]

    def _staff(self, mine: list[RoleAssignment]) -> dict[str, Any]:
        """Street and community staff: today's to-dos (none until cases arrive) and their grids with person counts."""
        grids = self._visible(Grid.objects).select_related("community").order_by("community__path", "code")
        total = self.known.get("grids", 0)
        grid_list = list(grids[:MY_GRIDS])
        persons = dict(
            self._visible(Person.objects)
            .filter(grid_id__in=[g.pk for g in grid_list])
            .order_by()
            .values_list("grid_id")
            .annotate(n=Count("pk"))
        )
        for grid in grid_list:
            grid.person_count = persons.get(grid.pk, 0)  # type: ignore[attr-defined]
        return {"grids": grid_list, "grid_total": total, "todos": self._case_todos()}

    def _case_todos(self) -> list[dict[str, Any]]:
        """Cases waiting on the user's office: to accept, past a deadline, awaiting the resident's rating."""
        from grassroots.cases.enums import CaseStatus
        from grassroots.cases.models import Case

        user = self.request.user
        if not has_capability(user, Capability.VIEW_CASES):
            return []
        cases = narrow(self.request, Case.objects.visible_to(user, Capability.VIEW_CASES))
        base = reverse("cases:case_list")
        todos = [
            (_("Cases to accept"), cases.filter(status=CaseStatus.PENDING).count(), f"{base}?status=pending"),
            (_("Cases past a deadline"), cases.overdue().count(), f"{base}?overdue=yes"),  # type: ignore[attr-defined]
            (_("Open for claiming"), cases.filter(status=CaseStatus.OPEN).count(), f"{base}?status=open"),
            (
                _("Awaiting the resident's rating"),
                cases.filter(status=CaseStatus.FULFILLED).count(),
                f"{base}?status=fulfilled",
            ),
        ]
        return [{"label": label, "value": value, "href": href} for label, value, href in todos]

    def _grid(self, mine: list[RoleAssignment]) -> dict[str, Any]:
        """Grid worker: my grid (its community, persons and head) and my tasks (none yet)."""
        grid = next((a.grid for a in mine if a.grid is not None), None)
        context: dict[str, Any] = {"grid": grid, "tasks": self._case_todos()}
        if grid is not None:
            context["grid_persons"] = Person.objects.visible_to(self.request.user).filter(grid=grid).count()
            context["grid_heads"] = list(
                PersonRole.objects.visible_to(self.request.user)
                .filter(grid=grid, kind=PersonRoleKind.GRID_HEAD)
                .select_related("person")
                .order_by("pk")[:3]
            )
        return context

    def _compound(self, mine: list[RoleAssignment]) -> dict[str, Any]:
        """Compound branch secretary: my compound, with its buildings, households and persons."""
        compound = next((a.region for a in mine if a.region is not None), None)
        context: dict[str, Any] = {"compound": compound}
        if compound is not None:
            user = self.request.user
            context["compound_buildings"] = (
                Region.objects.visible_to(user).filter(compound=compound, kind=RegionKind.BUILDING).count()
            )
            context["compound_households"] = Household.objects.visible_to(user).filter(compound=compound).count()
            context["compound_persons"] = Person.objects.visible_to(user).filter(compound=compound).count()
        return context

    def _party(self, mine: list[RoleAssignment]) -> dict[str, Any]:
        """Party member: my community, and where my posts and claims will appear."""
        region = next((a.region for a in mine if a.region is not None), None)
        community = region if region is None or region.kind == RegionKind.COMMUNITY else region.community
        from grassroots.cases.selectors import claimable_for, my_claims

        user = self.request.user
        claims = my_claims(user=user)
        return {
            "community": community,
            "posts": [],
            "wall_count": claimable_for(user=user).count(),
            "claims_active": claims.filter(status="in_progress").count(),
            "claims_done": claims.filter(deed_at__isnull=False).count(),
        }

    def _resident(self, mine: list[RoleAssignment]) -> dict[str, Any]:
        region = next((a.region for a in mine if a.region is not None), None)
        return {"home_region": region}
