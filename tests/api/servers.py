"""Servers of the tests' own: a ``redis-server`` they may kill or pause, and gunicorn workers, on loopback.

The shared Redis (``REDIS_URL``) is never stopped: a test that breaks Redis breaks its own.
"""

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, seconds: float = 5.0, every: float = 0.02) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return False


class RedisServer:
    """``redis-server`` on a free port: ``kill()`` (SIGKILL), ``pause()`` / ``resume()`` (SIGSTOP / SIGCONT),
    ``start()`` again on the same port."""

    def __init__(self, folder: Path):
        self.folder, self.port, self.process = folder, free_port(), None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        args = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen([*args, "--dir", str(self.folder)], stdout=subprocess.DEVNULL)
        if not wait_for(self.answers, 10):
            raise RuntimeError("redis-server did not start")
        return self

    def answers(self) -> bool:
        import redis

        try:
            return redis.Redis(port=self.port, socket_timeout=0.5).ping()
        except redis.RedisError:
            return False

    def client(self):
        import redis

        return redis.Redis(port=self.port, socket_timeout=2)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGCONT)
        self.process.kill()
        self.process.wait()

    def pause(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def subscribers(self, channel: str) -> int:
        return self.client().pubsub_numsub(channel)[0][1]


class Gunicorn:
    """The production settings under gunicorn (sync workers, like ``tests/bench/api.py``) on a free port."""

    def __init__(self, database_url: str, redis_url: str, var_dir: Path, workers: int = 2):
        self.port = free_port()
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "brandhub.settings.production",
            "DJANGO_SECRET_KEY": "tests-" + "s" * 50,
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "BRANDHUB_VAR_DIR": str(var_dir),
            "LOG_LEVEL": "ERROR",
            # The tests load these servers with thousands of requests a minute from one key: throttling (tested on
            # its own) would answer 429 on a fast machine and hide what they look for.
            "API_RATE_LIMIT": "1000000",
        }
        self.workers, self.process = workers, None

    def start(self) -> "Gunicorn":
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "brandhub.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(self.workers), "--log-level", "warning", "--timeout", "30"],
            env=self.env,
        )  # fmt: skip
        if not wait_for(lambda: self.get("/healthz")[0] in (200, 503), 30, every=0.2):
            self.stop()
            raise RuntimeError("gunicorn did not start")
        return self

    def get(self, path: str, headers: dict | None = None) -> tuple[int, str, bytes]:
        """(status, content type, body); status 0 when the server did not answer."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.getheader("Content-Type", ""), response.read()
        except OSError:
            return 0, "", b""
        finally:
            connection.close()

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=15)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
