import os
import signal
import subprocess
import sys

from django.contrib.auth import get_user_model
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


# The demo's logins, printed when present (the demo's apps create the mechanism ones).
LOGINS = [
    ("admin", "管理员 admin（全部区划 everything）"),
    ("huzhou", "市委组织部 city admin（湖州市：吴兴区、德清县）"),
    ("wuxing", "区委组织部 county admin（吴兴区：擂台赛、揭榜挂帅、奔跑赶超）"),
    ("deqing", "县委组织部 county admin（德清县：兜底办、一线考评、家园支部、担当之星）"),
    ("wukang", "街道管理员 town admin（德清县武康街道）"),
    ("ganbu", "干部 cadre（吴兴区，奔跑赶超）"),
    ("jiebang", "揭榜干部 challenge holder（吴兴区）"),
    ("judge01", "评委 judge（judge01–judge07）"),
    ("qiye", "企业 enterprise（德清县，兜底办）"),
    ("dangyuan", "党员 party member（德清县，家园支部）"),
    ("shequ", "社区管理员 community admin（德清县）"),
    ("rencai", "人才 talent（德清县，人才服务）"),
    ("zhuanyuan", "人才专员 talent liaison（德清县）"),
    ("qingchuang", "青年人才 young talent（吴兴区，人才消费券）"),
    ("shanghu", "商户 merchant（吴兴区，人才券核销）"),
    ("jiaoshou", "教授 professor（浙江工业大学，产学研）"),
]


class Command(BaseCommand):
    help = "Migrate, seed the demo city (湖州市: 吴兴区 and 德清县) if empty, print the logins and serve on 127.0.0.1."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--scale", type=int, default=1)
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--no-serve", action="store_true", help="prepare the demo and exit")

    def handle(self, *args, port, scale, seed, no_serve, **opts):
        call_command("migrate", verbosity=0)
        if not Region.objects.exists():
            self.stdout.write("正在生成演示市（湖州市：吴兴区、德清县）数据 …")
            call_command("seed_demo", scale=scale, seed=seed)
        present = set(get_user_model().objects.filter(username__in=[u for u, _l in LOGINS])
                      .values_list("username", flat=True))
        width = max(len(u) for u, _l in LOGINS)
        lines = "".join(f"  {username:<{width}} {label}\n" for username, label in LOGINS if username in present)
        self.stdout.write(self.style.SUCCESS(
            "\n伯乐演示已就绪  Bole demo ready\n"
            f"  地址 URL:   http://127.0.0.1:{port}/\n"
            "  密码 password: bole-demo-2024（所有账号 every login）\n"
            f"{lines}"
        ))
        if not no_serve:
            worker = start_worker(self.stdout)
            try:
                call_command("serve", host="127.0.0.1", port=port, workers=2)
            finally:
                stop_worker(worker)
