"""Time the unit feedback report (单位反馈) for the largest unit: rows, the Excel workbook and the PDF.

The largest unit is the one with the most in-service party members (``--unit CODE`` picks another). For the
last twelve months it times ``frontline.feedback.unit_feedback_rows``, ``unit_feedback_xlsx`` (openpyxl) and
``unit_feedback_pdf`` (WeasyPrint, font "WenQuanYi Zen Hei") and prints p50 and p95 milliseconds over ``--runs``
runs (after one warm-up), the rows, the file size and the SQL queries. ``--out DIR`` keeps the two files.

    .venv/bin/python bench/frontline_feedback.py --var-dir /tmp/bench-s10 [--build --scale 10] [--runs 5]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/grassroots_bench .venv/bin/python bench/frontline_feedback.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases_common import add_common_arguments, setup, timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_common_arguments(parser)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--unit", default="", help="organisation code of the unit (default: the largest)")
    parser.add_argument("--out", default="", help="folder to keep the generated workbook and PDF in")
    args = parser.parse_args()
    setup(args)

    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from grassroots.frontline.feedback import unit_feedback_pdf, unit_feedback_rows, unit_feedback_xlsx
    from grassroots.frontline.models import MemberReport
    from grassroots.organizations.models import Organization
    from grassroots.people.models import PartyMembership, Person

    if not MemberReport.objects.exists():
        sys.exit("The demo has no member reports: it was built before the frontline data; rebuild it")
    if args.unit:
        unit = Organization.objects.get(code=args.unit)
    else:
        top = (
            PartyMembership.objects.filter(category="in_service", home_unit__isnull=False)
            .values("home_unit")
            .annotate(n=Count("pk"))
            .order_by("-n", "home_unit")
            .first()
        )
        assert top is not None
        unit = Organization.objects.get(pk=top["home_unit"])
    members = PartyMembership.objects.filter(category="in_service", home_unit=unit).count()
    date_to = timezone.localdate()
    date_from = date_to - dt.timedelta(days=365)
    print(
        f"database: {connection.vendor}, persons: {Person.objects.count():,}; unit {unit.name} ({unit.code}): "
        f"{members} in-service members; {date_from} – {date_to}; ms over {args.runs} runs"
    )
    cases = [
        ("rows", functools.partial(unit_feedback_rows, unit=unit, date_from=date_from, date_to=date_to)),
        ("xlsx", functools.partial(unit_feedback_xlsx, unit=unit, date_from=date_from, date_to=date_to)),
        ("pdf", functools.partial(unit_feedback_pdf, unit=unit, date_from=date_from, date_to=date_to)),
    ]
    for label, make in cases:
        p50, p95 = timed(make, args.runs)
        with CaptureQueriesContext(connection) as captured:
            made = make()
        size = f"{len(made):>4} rows" if isinstance(made, list) else f"{len(made) / 1024:6.1f} KB"
        print(f"  {label:5s} {size}   p50 {p50:8.1f} ms   p95 {p95:8.1f} ms   queries {len(captured.captured_queries)}")
        if args.out and isinstance(made, bytes):
            folder = Path(args.out)
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"feedback-{unit.code}.{label}").write_bytes(made)


if __name__ == "__main__":
    main()
