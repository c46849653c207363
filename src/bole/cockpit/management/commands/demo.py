from django.core.management import call_command
from django.core.management.base import BaseCommand

from bole.org.models import Region


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
            call_command("serve", host="127.0.0.1", port=port, workers=2)
