import datetime as dt
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("Overdue detection and escalation on the working calendar (idempotent): bole sweep "
            "[--date YYYY-MM-DD] [--every SECONDS]")

    def add_arguments(self, parser):
        parser.add_argument("--date", default="", help="sweep as of this local date (default: today)")
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds (a simple scheduler)")

    def handle(self, *args, date, every, **opts):
        from bole.cases.services import case_sweep

        today = dt.date.fromisoformat(date) if date else None
        while True:
            started = time.perf_counter()
            result = case_sweep(actor=None, today=today)
            elapsed = time.perf_counter() - started
            self.stdout.write(
                f"open {result['open']}  overdue {result['overdue']}  escalated {result['escalated']}  "
                f"({elapsed:.2f} s)  notified {result['notified']}")
            if not every:
                break
            time.sleep(every)
