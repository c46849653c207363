from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from bole.core.plugins import registers
from bole.core.progress import Bar
from bole.core.registers import import_register


class Command(BaseCommand):
    help = "Import a register from .xlsx: bole import REGISTER FILE [--dry-run] [--update] [--sheet NAME] [--as USER]"

    def add_arguments(self, parser):
        parser.add_argument("register")
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--update", action="store_true", help="update existing records by key")
        parser.add_argument("--sheet", default=None, help="the sheet to read when more than one fits the register")
        parser.add_argument("--as", dest="username", default="admin")

    def handle(self, *args, register, file, dry_run, update, username, sheet=None, **opts):

        REGISTERS = registers()  # every app's Excel registers, by key

        if register not in REGISTERS:
            raise CommandError(f"unknown register {register}; one of {', '.join(REGISTERS)}")
        actor = get_user_model().objects.filter(username=username).first()
        if actor is None:
            raise CommandError(f"no such user: {username}")

        with Bar() as bar:
            report = import_register(register=REGISTERS[register], data=Path(file).read_bytes(), actor=actor,
                                     dry_run=dry_run, update=update, progress=bar, sheet=sheet)
        for line in (report.source, *report.notes):
            if line:
                self.stdout.write(line)
        for issue in report.issues:
            self.stderr.write(issue.as_text())
        if not report.ok:
            raise CommandError(f"{len(report.issues)} 处错误，未写入任何数据")
        verb = "将" if dry_run else "已"
        self.stdout.write(f"{report.rows} 行：{verb}新增 {report.created}，{verb}更新 {report.updated}，未变化 {report.unchanged}")
