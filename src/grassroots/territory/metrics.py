"""Stocks of the territory: grids (259 in the source)."""

from django.utils.translation import gettext_lazy as _

from grassroots.cockpit.registry import Metric, register

register(
    Metric(
        key="grids",
        label=_("Grids"),
        unit="items",
        rule="count",
        model="territory.Grid",
        app="territory",
        order=1,
        definition=_("Grids drawn over the communities, as of now."),
    )
)
