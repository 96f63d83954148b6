from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CockpitConfig(AppConfig):
    name = "grassroots.cockpit"
    label = "cockpit"
    verbose_name = _("Cockpit")

    def ready(self) -> None:
        # Every app that counts something registers its metrics in its own ``metrics`` module.
        from grassroots.cockpit.registry import autodiscover
        from grassroots.cockpit.rollups.engine import connect

        autodiscover()
        connect()  # the roll-ups follow every model a metric reads
