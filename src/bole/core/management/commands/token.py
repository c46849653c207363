import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bole.core.tokens import api_token_issue


class Command(BaseCommand):
    help = "Print a new API token for a user (shown once): bole token NAME [--days N] [--label TEXT]"

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--days", type=int, default=settings.BOLE_API_TOKEN_DAYS,
                            help="days until the token expires (default %(default)s)")
        parser.add_argument("--label", default="", help="what the token is for")

    def handle(self, *args, name, days, label, **opts):
        if days < 1:
            raise CommandError("--days must be at least 1")
        user = get_user_model().objects.filter(username=name).first()
        if user is None:
            raise CommandError(f"no such user: {name}")
        token, raw = api_token_issue(user=user, label=label, expires=timezone.now() + dt.timedelta(days=days),
                                     actor=None)
        self.stdout.write(raw)
        self.stderr.write(f"expires {timezone.localtime(token.expires_at):%Y-%m-%d %H:%M}")
