from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Print a new API token for a user (shown once): bole token NAME"

    def add_arguments(self, parser):
        parser.add_argument("name")

    def handle(self, *args, name, **opts):
        from bole.core.api import token_issue

        user = get_user_model().objects.filter(username=name).first()
        if user is None:
            raise CommandError(f"no such user: {name}")
        self.stdout.write(token_issue(user=user))
