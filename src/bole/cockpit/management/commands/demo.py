import os
import signal
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand

from bole.org.models import Region


def start_worker(out) -> subprocess.Popen:
    """The task queue's worker beside the demo's server (its own process group, so it stops with the demo)."""
    cmd = [sys.executable, "-c", "from bole.cli import main; main()", "worker"]
    env = {**os.environ, "BOLE_WORKER_PROCESSES": os.environ.get("BOLE_WORKER_PROCESSES", "1")}
    proc = subprocess.Popen(cmd, env=env,  # noqa: S603 - our own command, no user input
                            start_new_session=True)
    out.write(f"任务队列 worker 已启动（进程 {proc.pid}）")
    return proc


def stop_worker(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


class Command(BaseCommand):
    help = "Migrate, seed the demo county if empty, print the logins and serve on 127.0.0.1."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--scale", type=int, default=1)
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--no-serve", action="store_true", help="prepare the demo and exit")

    def handle(self, *args, port, scale, seed, no_serve, **opts):
        call_command("migrate", verbosity=0)
        if not Region.objects.exists():
            self.stdout.write("正在生成演示县（德清县）数据 …")
            call_command("seed_demo", scale=scale, seed=seed)
        self.stdout.write(self.style.SUCCESS(
            "\n伯乐演示已就绪  Bole demo ready\n"
            f"  地址 URL:   http://127.0.0.1:{port}/\n"
            "  管理员 admin:      用户名 admin    密码 bole-demo-2024\n"
            "  镇街管理员 town admin: 用户名 wukang   密码 bole-demo-2024（武康街道）\n"
        ))
        if not no_serve:
            worker = start_worker(self.stdout)
            try:
                call_command("serve", host="127.0.0.1", port=port, workers=2)
            finally:
                stop_worker(worker)
