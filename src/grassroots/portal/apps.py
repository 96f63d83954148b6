from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "grassroots.portal"
    label = "portal"
    verbose_name = _("Resident portal")

    def ready(self) -> None:
        from grassroots.portal import checks  # noqa: F401  (registers the deployment check)
