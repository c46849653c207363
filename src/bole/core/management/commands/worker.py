from django.core.management import call_command
from django.core.management.base import BaseCommand

from bole.core.datadir import private_umask
from bole.core.tasks import periodic_jobs, run_periodic, schedules_sync


class Command(BaseCommand):
    help = ("Run the task queue's workers and scheduler (django-q2): background jobs and every app's periodic jobs. "
            "Run it on one machine or many; with --once, run each periodic job once and exit (cron).")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run every periodic job once, here, and exit")

    def handle(self, *args, once: bool, **opts):

        private_umask()
        if once:
            for name in periodic_jobs():
                self.stdout.write(f"{name}: {run_periodic(name)}")
            return
        synced = schedules_sync()
        self.stdout.write(f"任务队列 worker：{synced['schedules']} 个定时任务")
        call_command("qcluster")
