from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from bole.org.services import account_create


class Command(BaseCommand):
    help = "Create a login: bole createuser NAME --role ROLE [--scope CODE] [--password P]"

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--role", required=True)
        parser.add_argument("--scope", default="")
        parser.add_argument("--password", default="")
        parser.add_argument("--full-name", default="")

    def handle(self, *args, name, role, scope, password, full_name, **opts):
        try:
            user = account_create(username=name, role=role, scope=scope, password=password, full_name=full_name,
                                  actor=None)
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from None
        self.stdout.write(self.style.SUCCESS(f"created {user.username} ({role})"))
