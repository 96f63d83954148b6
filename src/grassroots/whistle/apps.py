from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WhistleConfig(AppConfig):
    name = "grassroots.whistle"
    label = "whistle"
    verbose_name = _("Whistle and report")
