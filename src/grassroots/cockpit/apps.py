from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CockpitConfig(AppConfig):
    name = "grassroots.cockpit"
    label = "cockpit"
    verbose_name = _("Cockpit")

    def ready(self) -> None:
        # Every app that counts something registers its metrics in its own ``metrics`` module.
        from grassroots.cockpit.registry import autodiscover

        autodiscover()
