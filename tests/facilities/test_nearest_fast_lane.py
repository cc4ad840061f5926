"""The nearest search's fast lane (stations/fastlane.py) answers as Django does, byte for byte and
header for header, and leaves everything that is not a plain anonymous search to Django."""

import io
import json

import pytest

from project import wsgi
from stations.fastlane import NearestFastLane
from tests.factories import make_facility

# Transactional: the lane looks after connections as Django's request signals do.
pytestmark = pytest.mark.django_db(transaction=True)
PATH = "/api/facilities/nearest/"


def call(app, query: str, method: str = "GET", **headers: str):
    environ = {
        "REQUEST_METHOD": method, "PATH_INFO": PATH, "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1", "wsgi.input": io.BytesIO(), "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(), **headers,
    }
    got = {}

    def start_response(status, response_headers, exc_info=None):
        got.update(status=status, headers=dict(response_headers))

    response = app(environ, start_response)
    try:
        body = b"".join(response)
    finally:
        if hasattr(response, "close"):
            response.close()
    return got["status"], got["headers"], body


@pytest.fixture
def lane():
    return NearestFastLane(wsgi.django_chains)


@pytest.mark.parametrize("headers", [
    {}, {"HTTP_ACCEPT_LANGUAGE": "en"}, {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"},
    {"HTTP_COOKIE": "django_language=en"}, {"HTTP_ACCEPT": "application/json"},
])
def test_a_plain_search_is_answered_in_the_lane_exactly_as_django_answers_it(lane, headers):
    make_facility(116.40, 39.90, name="驿站 甲")
    make_facility(116.41, 39.91, name="驿站 乙", kind="canteen")
    query = "lat=39.9&lon=116.4&limit=5&radius=5000"
    first = call(lane, query, **headers)  # through Django: its headers are kept
    assert lane.served == 0
    again = call(lane, query, **headers)
    assert lane.served == 1
    django = call(wsgi.django_application, query, **headers)
    assert first[0] == again[0] == django[0] == "200 OK"
    assert again[1] == django[1]
    assert again[2] == django[2]


@pytest.mark.parametrize("query,method,headers", [
    ("lat=99&lon=116.4", "GET", {"HTTP_ACCEPT_LANGUAGE": "en"}),  # Django's 400, in English
    ("lat=39.9&lon=116.4&kind=bar", "GET", {}),
    ("lat=39.9&lon=116.4", "GET", {"HTTP_COOKIE": "sessionid=x"}),  # signed in: Django
    ("lat=39.9&lon=116.4", "GET", {"HTTP_COOKIE": "ws_primary_until=9999999999"}),
    ("lat=39.9&lon=116.4&x=%00", "GET", {}),
    ("lat=39.9&lon=116.4", "HEAD", {}),
    ("lat=39.9&lon=116.4", "GET", {"HTTP_ACCEPT": "text/html"}),
])
def test_anything_else_is_answered_by_django(lane, query, method, headers):
    for _ in range(2):
        status, response_headers, body = call(lane, query, method, **headers)
    assert lane.served == 0
    django = call(wsgi.django_application, query, method, **headers)
    assert (status, body) == (django[0], django[2])


def test_bad_parameters_are_named_in_the_readers_language(lane):
    status, _, body = call(lane, "lat=99&lon=116.4", HTTP_ACCEPT_LANGUAGE="en")
    assert status.startswith("400") and b"between -90 and 90" in body
    status, _, body = call(lane, "lat=99&lon=116.4", HTTP_ACCEPT_LANGUAGE="zh-CN")
    message = json.loads(body)["errors"]["lat"][0]
    assert status.startswith("400") and any("\u4e00" <= c <= "\u9fff" for c in message), message
