"""A real webhook receiver for the tests: an HTTP server on 127.0.0.1 in a thread, which records
every POST (headers and raw body) and answers as the test tells it (a status, or hanging)."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)

    def signed_with(self, secret: str) -> bool:
        expected = "sha256=" + hmac.new(secret.encode(), self.body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(self.headers.get("X-Waystation-Signature", ""), expected)


@dataclass
class Receiver:
    port: int = 0
    status: int = 200
    hang: threading.Event | None = None  # set: the next request waits until it is set
    received: list[Received] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                with receiver.arrived:
                    receiver.received.append(Received(dict(self.headers.items()), body))
                    receiver.arrived.notify_all()
                hang = receiver.hang
                if hang is not None:
                    receiver.hang = None
                    hang.wait(30)
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def wait_for(self, predicate, timeout: float = 15) -> list[Received]:
        """Wait (on the arrival condition, not a sleep) until predicate(received) holds."""
        with self.arrived:
            if not self.arrived.wait_for(lambda: predicate(self.received), timeout):
                raise AssertionError(f"receiver: condition not met in {timeout}s: {self.received}")
        return self.received

    def of_type(self, event_type: str) -> list[Received]:
        return [r for r in self.received if r.json["type"] == event_type]
