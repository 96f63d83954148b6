"""Deployment check: sign-in codes must not be shown on the page in production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def demo_code_shown(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if getattr(settings, "PORTAL_DEMO_SHOW_CODE", True) and not settings.DEBUG:
        return [
            Warning(
                "PORTAL_DEMO_SHOW_CODE is on: residents' sign-in codes are shown on the page.",
                hint="Set PORTAL_DEMO_SHOW_CODE=0 and configure a real PORTAL_OTP_SENDER in production.",
                id="grassroots.W001",
            )
        ]
    return []
