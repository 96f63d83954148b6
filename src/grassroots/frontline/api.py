"""REST API of this app; ``register`` adds its viewsets to the v1 router."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter


def register(router: SimpleRouter) -> None:
    """Add this app's viewsets to ``router`` (filled by the API work)."""
