from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontlineConfig(AppConfig):
    name = "grassroots.frontline"
    label = "frontline"
    verbose_name = _("Dual reporting and mobilisation")

    def ready(self) -> None:
        # Points follow the case services' signals (sent inside their transactions).
        from grassroots.frontline import receivers  # noqa: F401
