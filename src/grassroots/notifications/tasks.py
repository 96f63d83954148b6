"""Background delivery to outside channels (a thin wrapper over the service)."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from grassroots.notifications.services import deliveries_send


@db_task()
def deliver_task(delivery_ids: list[int]) -> int:
    return deliveries_send(delivery_ids=delivery_ids)
