from __future__ import annotations

import re

from django.http import HttpResponseBase


def html(response: HttpResponseBase) -> str:
    return response.content.decode()  # type: ignore[attr-defined,no-any-return]


def csrf_token(response: HttpResponseBase) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html(response))
    assert match, "the page has no CSRF token"
    return match.group(1)
