"""Run the whole embedded application in one terminal: web server, Celery worker and beat.

Ctrl-C (or SIGTERM) stops all of them; if one of them dies, the others are stopped too, so a
half-running application never goes unnoticed.
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run web + Celery worker + beat (embedded mode) until Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")

    @staticmethod
    def child_environment(address: str, environ=os.environ) -> dict:
        """The web server's, worker's and beat's environment."""
        # A newcomer's terminal shows the box below, not warnings meant for production set-ups: the development
        # server's notice, and Celery's about running as root (machines where everything runs as root).
        quiet = {**environ, "DJANGO_RUNSERVER_HIDE_WARNING": "true"}
        quiet["PYTHONWARNINGS"] = ",".join(
            filter(None, [quiet.get("PYTHONWARNINGS"), "ignore:You're running the worker with superuser privileges"])
        )
        # QR codes and the API's links name this server, on the port asked for (PORT=9000 make run).
        quiet.setdefault("PUBLIC_BASE_URL", f"http://{address}")
        return quiet

    def handle(self, *args, **options):
        python = sys.executable
        address = f"{options['host']}:{options['port']}"
        commands = {
            "web": [python, "manage.py", "runserver", address, "--noreload"],
            "worker+beat": [
                python, "-m", "celery", "-A", "brandhub", "--quiet", "worker", "-B",
                "--loglevel", "INFO", "--concurrency", "2",
                "--schedule", settings.CELERY_BEAT_SCHEDULE_FILENAME,
            ],
        }  # fmt: skip
        environment = self.child_environment(address)
        processes = {name: subprocess.Popen(cmd, env=environment) for name, cmd in commands.items()}
        self._wait_until_up(address, processes)
        self.stdout.write(self.style.SUCCESS(self.welcome(address)))
        stopping = False

        def stop(*_args):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        exit_code = 0
        while not stopping:
            for name, process in processes.items():
                if process.poll() is not None:
                    self.stderr.write(f"{name} exited with {process.returncode}; stopping the others.")
                    exit_code, stopping = process.returncode or 1, True
            time.sleep(0.5)
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
        sys.exit(exit_code)

    @staticmethod
    def _wait_until_up(address: str, processes: dict, seconds: float = 40) -> None:
        """Until the web answers its health check (or a process died), so the box comes after the banners."""
        import urllib.request

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and all(p.poll() is None for p in processes.values()):
            try:
                with urllib.request.urlopen(f"http://{address}/healthz", timeout=2):
                    break
            except OSError:  # not listening yet, or 503 while the broker starts
                time.sleep(0.5)
        time.sleep(1.5)  # the worker's first log lines

    @staticmethod
    def welcome(address: str) -> str:
        """The short box a newcomer needs: where to go and who to log in as."""
        from django.contrib.auth import get_user_model

        from brands.management.commands.seed_demo import DEFAULT_DEMO_PASSWORD, DEMO_USERS

        users = {u.username: u for u in get_user_model().objects.filter(username__in=[u[0] for u in DEMO_USERS])}
        lines = [f"helloITA Brand Hub is running: http://{address}/", ""]
        if users:
            lines.append(f"Demo logins (password {settings.DEMO_PASSWORD or DEFAULT_DEMO_PASSWORD}):")
            for username, *_rest in DEMO_USERS:
                user = users.get(username)
                if user is None:
                    continue
                what = user.get_role_display()
                membership = user.brand_memberships.select_related("brand").first()
                if membership:
                    what += f", sees only {membership.brand.name_it}"
                lines.append(f"  {username:8} {what}")
            lines.append("")
        lines.append("Ctrl-C stops web, worker and beat.")
        width = max(len(line) for line in lines)
        return "\n".join(
            [
                "┌" + "─" * (width + 2) + "┐",
                *(f"│ {line.ljust(width)} │" for line in lines),
                "└" + "─" * (width + 2) + "┘",
            ]
        )
