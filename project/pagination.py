from rest_framework.pagination import PageNumberPagination as _PageNumberPagination


class PageNumberPagination(_PageNumberPagination):
    """`page` and `page_size` (capped) as the contract asks."""

    page_size_query_param = "page_size"
    max_page_size = 500
