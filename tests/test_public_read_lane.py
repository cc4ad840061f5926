"""Anonymous public API reads take a shorter middleware chain (project/wsgi.py); their answers,
headers included, are the full chain's."""

import io

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from project import wsgi
from tests.factories import make_facility

pytestmark = pytest.mark.django_db


def call(app, path: str, query: str = "", **headers: str) -> tuple[str, dict[str, str], bytes]:
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1", "wsgi.input": io.BytesIO(), "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(), **headers,
    }
    got = {}

    def start_response(status, response_headers, exc_info=None):
        got.update(status=status, headers=dict(response_headers))

    # As Django's test client does: the test's transaction must outlive the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = app(environ, start_response)
        try:
            body = b"".join(response)
        finally:
            response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return got["status"], got["headers"], body


@pytest.mark.parametrize("path,query,headers", [
    ("/api/facilities/nearest/", "lat=39.9&lon=116.4", {}),
    ("/api/facilities/nearest/", "lat=99&lon=116.4", {"HTTP_ACCEPT_LANGUAGE": "en"}),
    ("/api/facilities/nearest/", "lat=99&lon=116.4", {"HTTP_ACCEPT_LANGUAGE": "zh-CN"}),
    ("/api/facilities/nearest/", "lat=39.9&lon=116.4&radius=900&kind=x", {}),
    ("/api/facilities/nearest/", "lat=39.9&lon=116.4", {"HTTP_ACCEPT": "text/html"}),
])
def test_the_short_chain_answers_as_the_full_chain(path, query, headers):
    make_facility(116.40, 39.90, name="驿站 A")
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path}
    assert wsgi.is_anonymous_public_read(environ)
    lean = call(wsgi.public_read_application, path, query, **headers)
    full = call(wsgi.django_application, path, query, **headers)
    assert lean[0] == full[0]
    assert lean[1] == full[1]  # security headers, CSP, language, Vary, content type
    assert lean[2] == full[2]
    assert "Content-Security-Policy" in lean[1] and "X-Content-Type-Options" in lean[1]


def test_signed_in_clients_and_writes_take_the_full_chain():
    path = "/api/facilities/nearest/"
    assert not wsgi.is_anonymous_public_read(
        {"REQUEST_METHOD": "GET", "PATH_INFO": path, "HTTP_COOKIE": "sessionid=abc"})
    assert not wsgi.is_anonymous_public_read({"REQUEST_METHOD": "POST", "PATH_INFO": path})
    assert not wsgi.is_anonymous_public_read({"REQUEST_METHOD": "GET", "PATH_INFO": "/admin/"})
