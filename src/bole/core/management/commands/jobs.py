import time
from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections


def all_jobs():
    """The core's and every app's periodic jobs: `bole.<app>.jobs.JOBS = [(name, every_seconds, callable), ...]`."""
    for app in ["core", *settings.BOLE_APPS]:
        if find_spec(f"bole.{app}.jobs"):
            yield from import_module(f"bole.{app}.jobs").JOBS


class Command(BaseCommand):
    help = "Run every app's periodic jobs (e.g. the overdue sweep): once with --once, or forever on their schedules."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run each job once and exit (for cron)")

    def handle(self, *args, once: bool, **opts):
        jobs = list(all_jobs())
        last: dict[str, float] = {}
        while True:
            now = time.monotonic()
            for name, every, func in jobs:
                if once or now - last.get(name, -every) >= every:
                    if not once:
                        close_old_connections()  # a long-running loop must not hold a stale connection
                    result = func()
                    last[name] = now
                    self.stdout.write(f"{name}: {result}")
            if once:
                return
            time.sleep(30)
