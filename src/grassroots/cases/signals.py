"""Signals the case services send, inside their transaction, after a change other apps count.

Sent explicitly by ``case_fulfil`` and ``case_rate`` (never by model saves), so bulk writes that bypass the
services (the demo build) must recompute what listens to them (``frontline.services.points_recompute``).
Receivers run in the same transaction: if one fails, the case change is rolled back with it.
"""

from __future__ import annotations

from django.dispatch import Signal

# kwargs: case, actor, at
case_fulfilled = Signal()
# kwargs: case, actor, at, satisfaction
case_rated = Signal()
# kwargs: case, actor, at (a case closed by a whistle or the sweep)
case_closed = Signal()
