import datetime as dt
import time

from django.core.management.base import BaseCommand

from bole.cases.services import case_sweep


class Command(BaseCommand):
    help = ("Overdue detection and escalation on the working calendar, once (idempotent; `bole worker` runs it "
            "hourly): bole sweep [--date YYYY-MM-DD]")

    def add_arguments(self, parser):
        parser.add_argument("--date", default="", help="sweep as of this local date (default: today)")

    def handle(self, *args, date, **opts):

        today = dt.date.fromisoformat(date) if date else None
        started = time.perf_counter()
        result = case_sweep(actor=None, today=today)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"open {result['open']}  overdue {result['overdue']}  escalated {result['escalated']}  "
            f"({elapsed:.2f} s)  notified {result['notified']}")
        if result["provisional"]:
            self.stdout.write(f"provisional {result['provisional']}: overdue days counted on a year with no known "
                              "holiday arrangement (Monday–Friday); enter it on the calendar page")
