"""``grassroots demo``: migrate, build the demo district if the database has none, print the logins, serve."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from grassroots.accounts.enums import Role
from grassroots.demo.builder import DemoLogin, demo_build, demo_logins, demo_open311_key, district_exists


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def login_table(logins: list[DemoLogin]) -> str:
    header = [_("User name"), _("Password"), _("Role"), _("Scope")]
    rows = [[x.username, x.password, str(Role(x.role).label), x.scope] for x in logins]
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


class Command(BaseCommand):
    help = _("Build the demo district (玉州区) with one login per role, print the logins and serve the site.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help=_("Build and print the logins, then stop."))
        parser.add_argument(
            "--json", action="store_true", help=_("Print the logins and the Open311 key as JSON (and nothing else).")
        )
        parser.add_argument("--scale", type=float, default=1.0, help=_("Multiply the population (default 1)."))
        parser.add_argument("--seed", type=int, default=2022, help=_("Random seed (default 2022)."))
        parser.add_argument("--rebuild", action="store_true", help=_("Delete all data and build again."))
        parser.add_argument("--addr", default="127.0.0.1:8000", help=_("Address to serve on."))

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["scale"] > 0:
            raise CommandError(_("The scale must be a positive number."))
        call_command("migrate", interactive=False, verbosity=0)
        if district_exists() and not options["rebuild"]:
            self.stderr.write(_("The database already holds a district; not building it again (use --rebuild)."))
        else:
            self.stderr.write(
                _("Building the demo district at scale %(scale)g (seed %(seed)d)…")
                % {"scale": options["scale"], "seed": options["seed"]}
            )
            result = demo_build(
                seed=options["seed"],
                scale=options["scale"],
                rebuild=options["rebuild"],
                progress=lambda message: self.stderr.write(f"  {message}"),
            )
            self.stderr.write(_("Built in %(seconds).1f s.") % {"seconds": result.seconds})
            for name, count in result.counts.items():
                self.stderr.write(f"  {name}: {count}")
        logins = demo_logins()
        open311 = f"http://{options['addr']}/open311/v2/"
        key = demo_open311_key()  # keys are stored only as hashes: each start issues a new one
        if options["json"]:
            shown = {"logins": [asdict(x) for x in logins], "open311": open311, "open311_api_key": key}
            self.stdout.write(json.dumps(shown, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(_("Demo logins (for demonstration only; every password is the same):"))
            self.stdout.write(login_table(logins))
            self.stdout.write(
                _("Open311 GeoReport v2: %(url)s (API key of the demo client: %(key)s)") % {"url": open311, "key": key}
            )
        if not options["no_serve"]:
            self.stderr.write(_("Serving on http://%(addr)s/ — press Ctrl+C to stop.") % {"addr": options["addr"]})
            # With --json, stdout carries the JSON alone: the server talks on stderr.
            output = {"stdout": sys.stderr} if options["json"] else {}
            worker = _start_task_worker()
            try:
                call_command("runserver", "--noreload", "--insecure", options["addr"], **output)
            finally:
                if worker is not None:
                    worker.terminate()
                    try:
                        worker.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        worker.kill()


def _start_task_worker() -> subprocess.Popen[bytes] | None:
    """The huey consumer that runs background work (Excel imports) beside the demo server; stopped with it."""
    if settings.HUEY.get("immediate"):
        return None  # tasks run inline; no worker needed
    return subprocess.Popen([sys.executable, "-m", "grassroots", "run_huey", "--quiet"], stdout=sys.stderr)
