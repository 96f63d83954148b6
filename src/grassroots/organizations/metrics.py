"""Stocks of organisations: compound party branches (80), vanguard corps and squads (112 / 564)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.cockpit.registry import Metric, register

ORG = "organizations.Organization"

register(
    Metric(
        key="compound_branches",
        label=_("Compound party branches"),
        unit="organisations",
        rule="count",
        model=ORG,
        where=Q(kind="branch", parent__kind="community_committee"),
        app="organizations",
        order=3,
        definition=_("Party branches set up under community party committees in residential compounds, as of now."),
    )
)
register(
    Metric(
        key="vanguard_corps",
        label=_("Vanguard corps"),
        unit="organisations",
        rule="count",
        model=ORG,
        where=Q(kind="vanguard_corps"),
        app="organizations",
        order=4,
        definition=_("Party-member vanguard corps (党员先锋总队), as of now."),
    )
)
register(
    Metric(
        key="vanguard_squads",
        label=_("Vanguard squads"),
        unit="organisations",
        rule="count",
        model=ORG,
        where=Q(kind="vanguard_squad"),
        app="organizations",
        order=5,
        definition=_("Party-member vanguard squads (党员先锋分队), as of now."),
    )
)
