import multiprocessing

from django.core.management import call_command
from django.core.management.base import BaseCommand

from bole.core.datadir import secure_data_dir


class Command(BaseCommand):
    help = "Production server (gunicorn, static files by WhiteNoise) on the configured database."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=min(4, multiprocessing.cpu_count() * 2))
        parser.add_argument("--threads", type=int, default=1,
                            help="1: synchronous workers, one request each (the default: behind a reverse proxy "
                                 "they keep the slowest requests fair under load); more: threaded workers")

    def handle(self, *args, host, port, workers, threads, **opts):
        from gunicorn.app.base import BaseApplication

        # Collect first: WhiteNoise indexes STATIC_ROOT when the application is built.
        call_command("collectstatic", interactive=False, verbosity=0)
        secure_data_dir()

        class Server(BaseApplication):
            def load_config(self):
                self.cfg.set("bind", f"{host}:{port}")
                self.cfg.set("workers", workers)
                self.cfg.set("threads", threads)
                # Synchronous workers take the next request only when free, so a burst queues fairly at the
                # socket; threads in one process share one interpreter lock and let a few requests wait long.
                self.cfg.set("worker_class", "gthread" if threads > 1 else "sync")
                self.cfg.set("timeout", 120)
                self.cfg.set("accesslog", None)

            def load(self):
                # Built in each worker after gunicorn forks, not when the command is loaded.
                from bole.wsgi import application

                return application

        kind = f"{workers} workers × {threads} threads" if threads > 1 else f"{workers} workers"
        self.stdout.write(f"serving on http://{host}:{port}/ ({kind})")
        Server().run()
