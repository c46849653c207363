from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from bole.core.plugins import registers
from bole.core.progress import Bar
from bole.core.registers import export_register


class Command(BaseCommand):
    help = "Export a register to .xlsx: bole export REGISTER FILE [--as USER]"

    def add_arguments(self, parser):
        parser.add_argument("register")
        parser.add_argument("file")
        parser.add_argument("--as", dest="username", default="admin")

    def handle(self, *args, register, file, username, **opts):

        REGISTERS = registers()  # every app's Excel registers, by key

        if register not in REGISTERS:
            raise CommandError(f"unknown register {register}; one of {', '.join(REGISTERS)}")
        actor = get_user_model().objects.filter(username=username).first()
        if actor is None:
            raise CommandError(f"no such user: {username}")
        reg = REGISTERS[register]
        qs = reg.policy.restrict(reg.model.objects.all(), actor, "export").order_by("id")

        with Bar() as bar:
            bar.phase("导出", qs.count())
            Path(file).write_bytes(export_register(register=reg, queryset=qs, actor=actor, progress=bar))
        self.stdout.write(f"wrote {file}")
