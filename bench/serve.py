"""The HTTP benchmarks' server: gunicorn with production settings on 127.0.0.1, stopped on exit."""

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


@contextmanager
def gunicorn(database_url: str, port: int, workers: int, *, timeout: int = 30) -> Iterator[tuple[str, int]]:
    """Serve the project under gunicorn (DEBUG off) and yield (base URL, master pid).

    The server runs in its own session so that every worker is stopped with it, whatever happens
    to the benchmark.
    """
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "0",
           "DJANGO_SETTINGS_MODULE": "project.settings", "LOG_LEVEL": "WARNING"}
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "project.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--timeout", str(timeout), "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/ping/", timeout=1).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", server.pid
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
