import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sejahtera.api.tokens import api_token_create


class Command(BaseCommand):
    help = "Issue an API token for a user and print its key (shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the token is for, e.g. the calling system.")
        parser.add_argument("--expires-days", type=int, default=None,
                            help="Days until the token expires (default: never).")

    def handle(self, *args, username, name, expires_days, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        if not user.is_active:
            raise CommandError(f"User {username!r} is not active.")
        if expires_days is not None and expires_days < 1:
            raise CommandError("--expires-days must be at least 1.")
        expires_at = timezone.now() + datetime.timedelta(days=expires_days) if expires_days else None
        token, key = api_token_create(actor=None, user=user, name=name.strip(), expires_at=expires_at)
        self.stderr.write(f"Token {token.prefix}… ({token.name}) for {user.username}"
                          + (f", expires {expires_at:%Y-%m-%d %H:%M %Z}" if expires_at else "")
                          + ". Store the key now; it is not kept and cannot be shown again.")
        self.stdout.write(key)
