"""GET requests reads a page in a fixed number of queries, however many requests it holds."""

from django.contrib.gis.geos import Point
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.cases.helpers import new_case

from .helpers import body, url


def _queries(client, query) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url("requests", "json", query))
    return len(captured), len(body(response))


def test_the_query_count_does_not_grow_with_the_page(client, tree, keys):
    new_case(Point(101, 1, srid=4326), category="station_shortage")
    new_case(Point(101, 1, srid=4326), category="wage_arrears")
    few = _queries(client, {"api_key": keys.a})
    for _ in range(4):
        new_case(Point(101, 1, srid=4326), category="safety")
        new_case(Point(103, 1, srid=4326), category="canteen_shortage")

    many = _queries(client, {"api_key": keys.a})

    assert (few[1], many[1]) == (2, 10)
    # The key (with its union and area), [its last use, written by the first call only], the
    # throttle's count in the shared database cache (a read and a write), then the page with the
    # union, the Open311 extras and the latest note joined in.
    assert (few[0], many[0]) == (5, 4)


def test_another_method_is_405_in_the_specs_shape(client, db):
    response = client.put(url("services", "xml"))

    assert response.status_code == 405
    assert body(response).findtext("error/code") == "405"
