"""The demo's users: one per role, named after it, all with the password "demo"."""

from __future__ import annotations

from django.db import transaction
from django.utils import translation

from kundenbild.accounts.capabilities import RoleCode
from kundenbild.accounts.models import User
from kundenbild.accounts.services import role_get, roles_ensure_standard

DEMO_PASSWORD = "demo"  # noqa: S105 - printed on purpose: it is the demo

with translation.override("en"):
    DEMO_USERS: list[tuple[str, str]] = [(code, str(label)) for code, label in RoleCode.choices]

_NAMES = {
    RoleCode.MANAGEMENT: ("Katrin", "Albrecht"),
    RoleCode.KEY_ACCOUNT_MANAGER: ("Jonas", "Weber"),
    RoleCode.SALES: ("Miriam", "Krüger"),
    RoleCode.SERVICE: ("Tobias", "Lang"),
    RoleCode.CONTROLLER: ("Sabine", "Hoffmann"),
    RoleCode.ADMINISTRATOR: ("Andreas", "Vogel"),
}

# Colleagues who own customers in the demo but cannot log in (no usable password).
_COLLEAGUES = [
    ("mbraun", "Markus", "Braun"),
    ("sfischer", "Stefanie", "Fischer"),
    ("dkoch", "Daniel", "Koch"),
    ("lschmitt", "Laura", "Schmitt"),
]


@transaction.atomic
def demo_users_create() -> tuple[list[User], list[User]]:
    """Create the login users and the key account colleagues; return (logins, account managers)."""
    roles_ensure_standard()
    logins = []
    for code, _label in RoleCode.choices:
        first, last = _NAMES[RoleCode(code)]
        user, _created = User.objects.get_or_create(
            username=code,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{code}@kundenbild.example",
                "role": role_get(code),
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        logins.append(user)
    managers = [next(u for u in logins if u.username == RoleCode.KEY_ACCOUNT_MANAGER)]
    for username, first, last in _COLLEAGUES:
        colleague, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@kundenbild.example",
                "role": role_get(RoleCode.KEY_ACCOUNT_MANAGER),
            },
        )
        if created:
            colleague.set_unusable_password()
            colleague.save()
        managers.append(colleague)
    return logins, managers
