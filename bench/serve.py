"""The HTTP benchmarks' server: `make run`'s layout (scripts/serve.sh: nginx in front of gunicorn)
with production settings on 127.0.0.1, stopped on exit."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The benchmarks measure throughput, not the limits: every scope's rate is far above what they
# send, so each request still pays for its count in the shared cache but is never refused.
UNLIMITED = {f"THROTTLE_{scope}": "1000000000/hour"
             for scope in ("INTAKE", "TRACKING", "RATING", "CHECKIN", "OPEN311")}


@contextmanager
def gunicorn(database_url: str, port: int, workers: int, *, timeout: int = 30,
             app: str = "project.wsgi") -> Iterator[tuple[str, int]]:
    """Serve the project as `make run` does (DEBUG off), nginx on `port` and gunicorn on
    `port + 1`; yield (base URL, gunicorn's master pid).

    `app` is the WSGI application gunicorn loads: the project, or a benchmark's floor
    (`bench.floor:application`) served the same way.

    The server runs in its own session so that every process is stopped with it, whatever
    happens to the benchmark.
    """
    env = {**os.environ, **UNLIMITED, "DATABASE_URL": database_url, "DEBUG": "0",
           "DJANGO_SETTINGS_MODULE": "project.settings", "LOG_LEVEL": "WARNING",
           "HOST": "127.0.0.1", "PORT": str(port), "WORKERS": str(workers),
           "GUNICORN_TIMEOUT": str(timeout), "ACCESS_LOG": "off",
           "NOTIFY_WORKER": "off", "WSGI_APP": app}
    subprocess.run([str(ROOT / ".venv/bin/python"), "manage.py", "createcachetable"],
                   cwd=ROOT, env=env, check=True)
    server = subprocess.Popen([str(ROOT / "scripts/serve.sh")], cwd=ROOT, env=env,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 120  # five workers booting on a busy machine
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/ping/", timeout=1).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", _gunicorn_master(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _gunicorn_master(serve_pid: int) -> int:
    children = Path(f"/proc/{serve_pid}/task/{serve_pid}/children").read_text().split()
    for pid in children:
        if b"gunicorn" in Path(f"/proc/{pid}/cmdline").read_bytes():
            return int(pid)
    raise RuntimeError("gunicorn is not running under scripts/serve.sh")
