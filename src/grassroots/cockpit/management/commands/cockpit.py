"""``grassroots cockpit verify`` / ``grassroots cockpit rebuild``: check or recompute the roll-ups."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from grassroots.cockpit.registry import all_metrics
from grassroots.cockpit.rollups.rebuild import rebuild, verify

SHOWN = 20


class Command(BaseCommand):
    help = _("Check the cockpit's roll-ups against the records (verify) or recompute them (rebuild).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=("verify", "rebuild"))
        parser.add_argument(
            "--metric", action="append", dest="metrics", metavar="KEY", help=_("Only this figure (repeatable).")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        keys = options["metrics"]
        known = {m.key for m in all_metrics()}
        for key in keys or ():
            if key not in known:
                raise CommandError(_("No figure is called %(key)s.") % {"key": key})
        quiet = options["verbosity"] < 1
        started = time.monotonic()
        if options["action"] == "rebuild":
            written = rebuild(
                keys,
                progress=None if quiet else (lambda key, n: self.stderr.write(f"  {key}: {n}")),
            )
            self.stdout.write(
                _("Roll-ups rebuilt: %(cells)d cells in %(seconds).1f s.")
                % {"cells": written, "seconds": time.monotonic() - started}
            )
            return
        differences = verify(keys)
        seconds = time.monotonic() - started
        if not differences:
            self.stdout.write(
                _("Roll-ups verified: no difference from the records (%(seconds).1f s).") % {"seconds": seconds}
            )
            return
        for difference in differences[:SHOWN]:
            self.stderr.write(str(difference))
        raise CommandError(
            _("%(count)d roll-up cells differ from the records; run `grassroots cockpit rebuild`.")
            % {"count": len(differences)}
        )
