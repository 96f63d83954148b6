"""Outside channels behind one interface, chosen by the ``NOTIFICATION_CHANNELS`` setting.

``NOTIFICATION_CHANNELS`` maps a channel name ("sms", "wechat") to a dotted path of a class with
``send(notification, payload) -> str``. The default ``RecordingChannel`` makes no network call: it only marks
the delivery as recorded, so the demo and the tests show exactly what would have been sent.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from grassroots.notifications.models import DeliveryStatus, Notification

DEFAULT_CHANNELS: dict[str, str] = {
    "sms": "grassroots.notifications.channels.RecordingChannel",
    "wechat": "grassroots.notifications.channels.RecordingChannel",
}


class Channel(Protocol):
    def send(self, notification: Notification, payload: dict[str, Any]) -> str:
        """Deliver; return a DeliveryStatus value; raise on failure."""


class RecordingChannel:
    """Sends nothing; the Delivery row it leaves is the record of what would have gone out."""

    def send(self, notification: Notification, payload: dict[str, Any]) -> str:
        return DeliveryStatus.RECORDED


def configured_channels() -> dict[str, str]:
    return dict(getattr(settings, "NOTIFICATION_CHANNELS", DEFAULT_CHANNELS))


def get_channel(name: str) -> Channel:
    path = configured_channels()[name]
    channel: Channel = import_string(path)()
    return channel
