"""`kundenbild manage create_api_token USERNAME [--days N]`: print a new API token."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kundenbild.accounts.models import User
from kundenbild.accounts.services import api_token_create
from kundenbild.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Create an API token for a user and print it (it is shown only this once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="CLI", help="what the token is for")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="days until the token expires (default: KUNDENBILD_API_TOKEN_DAYS, 180)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"], is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"There is no active user “{options['username']}”.") from None
        try:
            _token, raw = api_token_create(user=user, name=options["name"], days=options["days"])
        except ApplicationError as error:
            raise CommandError(str(error.message)) from None
        self.stdout.write(raw)
