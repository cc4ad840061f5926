"""media_url is stored as a link and shown, never fetched by the server."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from open311.models import Open311Request

from .helpers import body, submit, url


@pytest.fixture
def watched_server():
    """A local HTTP server counting the requests it gets (port in this branch's range)."""
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 8531), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield "http://127.0.0.1:8531", hits
    server.shutdown()
    server.server_close()


def test_the_link_is_kept_and_published_but_not_fetched(client, tree, keys, watched_server):
    base, hits = watched_server
    link = f"{base}/photo.jpg"

    response = submit(client, keys.none, media_url=link)
    reference = body(response)[0]["service_request_id"]
    shown = body(client.get(url("request", "json", service_request_id=reference)))

    assert Open311Request.objects.get(case__reference=reference).media_url == link
    assert shown[0]["media_url"] == link
    assert hits == []


def test_a_media_url_that_is_not_a_url_is_400(client, tree, keys):
    response = submit(client, keys.none, media_url="file:///etc/passwd")
    assert response.status_code == 400
    assert body(response)[0]["description"].startswith("media_url")
