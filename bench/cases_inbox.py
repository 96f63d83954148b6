"""Server time of the staff case inbox with filters, as the district admin and as a community worker.

For each user and filter it requests ``/cases/?…`` (``cases:case_list``) through Django's test client — URL
routing, middleware, the scope filter, the filters, the count, the first page, template rendering; no network —
and prints p50 and p95 milliseconds over ``--runs`` runs (after one warm-up) and the SQL queries per page.

If this build has no inbox page yet, it times what the page would do instead: ``cases.selectors.case_list(…)``
with the same filters, its count and its first page of 50 (and says so in the output).

    .venv/bin/python bench/cases_inbox.py --var-dir /tmp/bench-s1 [--runs 30]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/grassroots_bench .venv/bin/python bench/cases_inbox.py

The database must hold the demo (``--build`` builds it); a demo without cases is topped up to ``--min-cases``.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases_common import add_common_arguments, describe, ensure_cases, setup, staff, timed

PAGE = 50
# (label, query string of the page, keyword arguments of ``case_list``)
FILTERS: list[tuple[str, str, dict[str, Any]]] = [
    ("all", "", {}),
    ("micro-wishes", "kind=micro_wish", {"kind": "micro_wish"}),
    ("awaiting acceptance", "status=pending", {"status": "pending"}),
    ("overdue", "overdue=yes", {"overdue": True}),
    (
        "open difficulties, overdue",
        "kind=difficulty&status=open&overdue=yes",
        {"kind": "difficulty", "status": "open", "overdue": True},
    ),
    ("all, page 20", "page=20", {"page": 20}),
]
USERS = ("district_admin", "community_dongyue")


def page_available() -> bool:
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("cases:case_list")
    except NoReverseMatch:
        return False
    return True


def get_page(client: Any, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


def select_page(user: Any, filters: dict[str, Any], number: int) -> tuple[list[int], int]:
    """What the page does without the page: the filtered, scoped cases, the first page and the count."""
    from django.core.paginator import Paginator

    from grassroots.cases.selectors import case_list

    qs = case_list(user=user, **filters).order_by("-submitted_at", "-id")
    page = Paginator(qs, PAGE).get_page(number)
    return [case.pk for case in page], page.paginator.count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_common_arguments(parser)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--users", default=",".join(USERS), help="comma-separated demo logins")
    parser.add_argument("--selector", action="store_true", help="time the selector even if the page exists")
    args = parser.parse_args()
    setup(args)
    ensure_cases(args.min_cases, args.seed)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from grassroots.cases.selectors import case_list

    use_page = page_available() and not args.selector
    print(describe())
    if use_page:
        print(f"GET {reverse('cases:case_list')}?… through the test client; ms over {args.runs} runs")
    else:
        why = "--selector" if args.selector else "NOTE: no inbox page (cases:case_list) in this build"
        print(
            f"{why} — timing cases.selectors.case_list(…) + count + first page of {PAGE} instead; "
            f"ms over {args.runs} runs"
        )
    for username in args.users.split(","):
        user = staff(username)
        client = Client()
        client.force_login(user)
        for label, query, kwargs in FILTERS:
            run: Callable[[], object]
            if use_page:
                run = functools.partial(get_page, client, f"{reverse('cases:case_list')}?{query}")
            else:
                filters = dict(kwargs)
                run = functools.partial(select_page, user, filters, int(filters.pop("page", 1)))
            p50, p95 = timed(run, args.runs)
            with CaptureQueriesContext(connection) as queries:
                run()
            total = case_list(user=user, **{k: v for k, v in kwargs.items() if k != "page"}).count()
            print(
                f"  {username:18s} {label:36s} {total:>8,} cases   p50 {p50:7.1f} ms   p95 {p95:7.1f} ms"
                f"   queries {len(queries.captured_queries)}"
            )


if __name__ == "__main__":
    main()
