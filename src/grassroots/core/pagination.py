"""API pagination (its own module: DRF reads DEFAULT_PAGINATION_CLASS while ``core.api`` is importing)."""

from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    """``{"count", "next", "previous", "results"}``; ``?page=`` and ``?page_size=`` (at most 200)."""

    page_size_query_param = "page_size"
    max_page_size = 200
