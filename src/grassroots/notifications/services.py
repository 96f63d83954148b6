"""Writes to inboxes. ``notify`` is called inside a service's transaction; outside channels go after commit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from grassroots.notifications.channels import configured_channels, get_channel
from grassroots.notifications.models import Delivery, DeliveryStatus, Notification


def notify(
    *,
    recipients: Iterable[Any],
    verb: str,
    title: str,
    body: str = "",
    url: str = "",
    channels: Iterable[str] = (),
) -> list[Notification]:
    """Put one message in each recipient's inbox; queue ``channels`` deliveries to run after commit."""
    now = timezone.now()
    seen: set[int] = set()
    rows: list[Notification] = []
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(recipient=user, verb=verb, title=title[:200], body=body, url=url[:300], created_at=now)
        )
    Notification.objects.bulk_create(rows)
    wanted = [c for c in channels if c in configured_channels()]
    if wanted and rows:
        deliveries = [
            Delivery(notification=n, channel=c, payload={"title": n.title, "body": n.body, "url": n.url})
            for n in rows
            for c in wanted
        ]
        Delivery.objects.bulk_create(deliveries)
        ids = [d.pk for d in deliveries if d.pk is not None]
        if ids:
            transaction.on_commit(lambda: _enqueue(ids))
    return rows


def _enqueue(delivery_ids: list[int]) -> None:
    from grassroots.notifications.tasks import deliver_task

    deliver_task(delivery_ids)


def deliveries_send(*, delivery_ids: list[int]) -> int:
    """Hand each pending delivery to its channel; returns how many left the pending state."""
    done = 0
    for delivery in Delivery.objects.filter(pk__in=delivery_ids, status=DeliveryStatus.PENDING).select_related(
        "notification"
    ):
        try:
            delivery.status = get_channel(delivery.channel).send(delivery.notification, delivery.payload)
            delivery.error = ""
        except Exception as exc:
            delivery.status = DeliveryStatus.FAILED
            delivery.error = str(exc)[:200]
        delivery.attempted_at = timezone.now()
        delivery.save(update_fields=["status", "error", "attempted_at"])
        done += 1
    return done


def notification_mark_read(*, user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications (all unread ones when ``ids`` is None) as read."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
