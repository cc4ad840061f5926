"""Twenty clients that send their headers a line a second do not stop the service.

`scripts/serve.sh` (what `make run` starts) puts nginx in front of gunicorn's sync workers; nginx
reads each request whole before a worker sees it. The server runs on a free loopback port with
two workers, fewer than the slow sockets, so without the proxy every worker would be held.
"""

import os
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SLOW_SOCKETS = 20
SECONDS = 4


def free_port_pair() -> int:
    """A port p with p and p + 1 free on 127.0.0.1 (nginx and gunicorn)."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        with socket.socket() as other:
            try:
                other.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port
    raise RuntimeError("no two free neighbouring ports")


def healthz(port: int, timeout: float) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=timeout) as reply:
        return reply.status


@pytest.fixture
def server():
    port = free_port_pair()
    env = {**os.environ, "DEBUG": "0", "PORT": str(port), "HOST": "127.0.0.1", "WORKERS": "2",
           "ACCESS_LOG": "off", "LOG_LEVEL": "WARNING", "SECRET_KEY": os.environ.get("SECRET_KEY") or "t"}
    process = subprocess.Popen([str(ROOT / "scripts/serve.sh")], cwd=ROOT, env=env,
                               start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                healthz(port, 1)
                break
            except OSError:
                assert process.poll() is None, "scripts/serve.sh exited"
                assert time.monotonic() < deadline, "the server did not start in 30 s"
                time.sleep(0.2)
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_healthz_answers_within_a_second_while_twenty_clients_trickle_headers(server):
    stop = threading.Event()
    sockets = [socket.create_connection(("127.0.0.1", server), timeout=5) for _ in range(SLOW_SOCKETS)]

    def trickle(sock: socket.socket) -> None:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        line = 0
        while not stop.wait(1):  # one header line a second, never the blank line that ends them
            line += 1
            try:
                sock.sendall(f"X-Slow-{line}: 1\r\n".encode())
            except OSError:
                return

    threads = [threading.Thread(target=trickle, args=(s,), daemon=True) for s in sockets]
    for thread in threads:
        thread.start()
    slowest, answers = 0.0, 0
    try:
        end = time.monotonic() + SECONDS
        while time.monotonic() < end:
            started = time.monotonic()
            assert healthz(server, timeout=1) == 200
            slowest = max(slowest, time.monotonic() - started)
            answers += 1
            stop.wait(0.1)
    finally:
        stop.set()
        for sock in sockets:
            sock.close()
    assert answers >= 10 and slowest < 1.0


def test_the_access_log_never_holds_a_tracking_token(tmp_path):
    port = free_port_pair()
    log = tmp_path / "access.log"
    env = {**os.environ, "DEBUG": "0", "PORT": str(port), "HOST": "127.0.0.1", "WORKERS": "1",
           "ACCESS_LOG": str(log), "SECRET_KEY": os.environ.get("SECRET_KEY") or "t"}
    process = subprocess.Popen([str(ROOT / "scripts/serve.sh")], cwd=ROOT, env=env,
                               start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                healthz(port, 1)
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/cases/track/X-1/?lang=zh&token=s3cr3t-token&x=1",
            headers={"Referer": f"http://127.0.0.1:{port}/track/?token=s3cr3t-ref"},
        )
        try:
            urllib.request.urlopen(request, timeout=5)
        except urllib.error.HTTPError as exc:
            assert exc.code == 404
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    text = log.read_text()
    assert "/api/cases/track/X-1/?lang=zh&token=[scrubbed]&x=1" in text
    assert "s3cr3t" not in text
