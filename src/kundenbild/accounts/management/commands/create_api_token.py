"""`kundenbild manage create_api_token USERNAME`: print a new API token for a user."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kundenbild.accounts.models import User
from kundenbild.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for a user and print it (it is shown only this once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="CLI", help="what the token is for")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"], is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"There is no active user “{options['username']}”.") from None
        _token, raw = api_token_create(user=user, name=options["name"])
        self.stdout.write(raw)
