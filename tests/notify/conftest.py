import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

from tests.notify.receiver import Receiver

ROOT = Path(__file__).resolve().parents[2]

# The worker subprocess's timing, scaled down from production's so tests take seconds: a hole in
# the event ids is passed over after 1 s, retries start at 0.3 s and double.
WORKER_ENV = {
    "NOTIFY_POLL_SECONDS": "0.1",
    "NOTIFY_GAP_GRACE_SECONDS": "1",
    "NOTIFY_RETRY_BASE_SECONDS": "0.3",
    "NOTIFY_RETRY_MAX_SECONDS": "2",
    "NOTIFY_TIMEOUT_SECONDS": "3",
    "NOTIFY_SWEEP_SECONDS": "3600",
    "NOTIFY_DIGEST_HOUR": "24",  # never: digests have their own tests
    "EMAIL_URL": "dummy://",
}


@pytest.fixture
def receiver():
    server = Receiver().start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class WorkerProcess:
    """`manage.py notify_worker` against the test database, as `make run` starts it."""

    def __init__(self, env: dict[str, str]):
        self.env = env
        self.process: subprocess.Popen | None = None

    def start(self) -> "WorkerProcess":
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "notify_worker"], cwd=ROOT, env=self.env,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        return self

    def kill(self) -> None:
        """SIGKILL: no chance to finish anything, as in a crash or an OOM kill."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> int:
        """SIGTERM: the worker finishes its step and exits 0."""
        assert self.process is not None
        self.process.terminate()
        return self.process.wait(10)


@pytest.fixture
def worker(transactional_db):
    """Start workers with `worker()`; each is killed after the test."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    test_db = connection.settings_dict["NAME"]
    env = {
        **os.environ, **WORKER_ENV,
        "DATABASE_URL": urlunsplit(parts._replace(path=f"/{test_db}")),
    }
    started: list[WorkerProcess] = []

    def start() -> WorkerProcess:
        process = WorkerProcess(env).start()
        started.append(process)
        return process

    yield start
    for process in started:
        process.kill()


def wait_until(condition, timeout: float = 15, step: float = 0.05):
    """Poll a database condition written by the worker process (no notification to wait on)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("condition not met in time")
