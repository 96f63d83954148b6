"""``grassroots points_recompute``: rebuild the points ledger from the source records (after bulk loads)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from grassroots.frontline.services.points import points_recompute


class Command(BaseCommand):
    help = _("Delete the points ledger and rebuild it from cases, shifts, service records and member reports.")

    def handle(self, *args: Any, **options: Any) -> None:
        quiet = options["verbosity"] < 1
        result = points_recompute(progress=None if quiet else (lambda message: self.stderr.write(f"  {message}")))
        self.stdout.write(
            _("Points ledger rebuilt: %(entries)d entries in %(seconds).1f s.")
            % {"entries": result.entries, "seconds": result.seconds}
        )
