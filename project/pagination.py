from rest_framework.pagination import PageNumberPagination as _PageNumberPagination
from rest_framework_gis.pagination import GeoJsonPagination as _GeoJsonPagination


class PageNumberPagination(_PageNumberPagination):
    """`page` and `page_size` (capped) as the contract asks."""

    page_size_query_param = "page_size"
    max_page_size = 500


class GeoJsonPagination(_GeoJsonPagination):
    """A page as a FeatureCollection with `count`, `next`, `previous`, capped like the others.

    drf-gis documents the page as the list's FeatureCollection nested under `features` and still
    requires `results`; the schema here is what the response is: the list's FeatureCollection
    with the paging fields beside `features`.
    """

    max_page_size = PageNumberPagination.max_page_size

    def get_paginated_response_schema(self, schema: dict) -> dict:
        paging = super(_GeoJsonPagination, self).get_paginated_response_schema(schema)["properties"]
        return {
            "type": "object",
            "required": ["count", "next", "previous"],
            "properties": {name: paging[name] for name in ("count", "next", "previous")},
            "allOf": [schema],
        }
