"""Stocks of people: grid workers (600+ in the source)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.cockpit.registry import Metric, register

register(
    Metric(
        key="grid_workers",
        label=_("Grid workers"),
        unit="people",
        rule="distinct",
        model="people.PersonRole",
        where=Q(kind="grid_worker"),
        value_field="person",
        app="people",
        order=2,
        definition=_("People holding a grid-worker role (full-time or part-time), as of now."),
    )
)
