import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from bole.core.plugins import periodic


def all_jobs():
    """Every app's periodic jobs (`periodic` in its AppConfig), as (name, every_seconds, callable)."""
    return [(job.name, job.every, job.resolve()) for job in periodic()]


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
