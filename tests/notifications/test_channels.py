"""Outside channels: the default records and never touches the network; a failing channel marks its delivery
failed without raising into the caller; ``notify`` writes one inbox row per distinct recipient."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from django.test import override_settings

from grassroots.notifications.channels import RecordingChannel, get_channel
from grassroots.notifications.models import Delivery, DeliveryStatus, Notification
from grassroots.notifications.services import deliveries_send, notify
from tests.conftest import World

FAILING = {
    "sms": "tests.notifications.test_channels.FailingChannel",
    "wechat": "grassroots.notifications.channels.RecordingChannel",
}


class FailingChannel:
    """A gateway that is down."""

    def send(self, notification: Notification, payload: dict[str, Any]) -> str:
        raise ConnectionError("SMS gateway unreachable: connection refused")


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a test tried to open a network socket")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_recording_channel_records_and_sends_nothing(
    world: World, no_network: None, django_capture_on_commit_callbacks: Any
) -> None:
    assert isinstance(get_channel("sms"), RecordingChannel)
    user = world.users["community_staff"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        rows = notify(
            recipients=[user], verb="case_new", title="新诉求", body="正文", url="/cases/1/", channels=("sms", "wechat")
        )
    assert len(callbacks) == 1
    deliveries = Delivery.objects.filter(notification=rows[0])
    assert sorted(deliveries.values_list("channel", "status")) == [
        ("sms", DeliveryStatus.RECORDED),
        ("wechat", DeliveryStatus.RECORDED),
    ]
    sms = deliveries.get(channel="sms")
    assert sms.payload == {"title": "新诉求", "body": "正文", "url": "/cases/1/"}
    assert sms.attempted_at is not None and sms.error == ""


def test_deliveries_wait_for_the_commit(world: World) -> None:
    """Inside the service's transaction only the rows are written; nothing is handed to a channel yet."""
    notify(recipients=[world.users["grid_worker"]], verb="x", title="t", channels=("sms",))
    assert Delivery.objects.get().status == DeliveryStatus.PENDING


@override_settings(NOTIFICATION_CHANNELS=FAILING)
def test_failing_channel_marks_the_delivery_failed_without_raising(
    world: World, no_network: None, django_capture_on_commit_callbacks: Any
) -> None:
    user = world.users["community_staff"]
    with django_capture_on_commit_callbacks(execute=True):
        rows = notify(recipients=[user], verb="case_escalated", title="升级", channels=("sms", "wechat"))
    assert Notification.objects.filter(recipient=user).count() == 1  # the inbox row stays
    sms = Delivery.objects.get(notification=rows[0], channel="sms")
    assert sms.status == DeliveryStatus.FAILED
    assert sms.error == "SMS gateway unreachable: connection refused"
    assert sms.attempted_at is not None
    assert Delivery.objects.get(notification=rows[0], channel="wechat").status == DeliveryStatus.RECORDED
    # A failed delivery is not retried by a second pass over the same ids (it is no longer pending).
    assert deliveries_send(delivery_ids=[sms.pk]) == 0


def test_notify_deduplicates_recipients_and_skips_unknown_channels(world: World) -> None:
    a, b = world.users["community_staff"], world.users["grid_worker"]
    same_a = type(a).objects.get(pk=a.pk)
    rows = notify(recipients=[a, b, None, same_a, b], verb="case_new", title="t" * 250, channels=("sms", "fax"))
    assert len(rows) == 2
    assert Notification.objects.filter(recipient=a).count() == 1
    assert Notification.objects.filter(recipient=b).count() == 1
    assert len(Notification.objects.get(recipient=a).title) == 200
    assert sorted(Delivery.objects.values_list("channel", flat=True)) == ["sms", "sms"]
    assert notify(recipients=[], verb="x", title="t", channels=("sms",)) == []
