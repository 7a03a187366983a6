"""The standard roles as the migration creates them match the capability table in code."""

from __future__ import annotations

import importlib

import pytest

from kundenbild.accounts.capabilities import STANDARD_ROLES, Capability, capabilities_of
from kundenbild.accounts.models import Role

pytestmark = pytest.mark.django_db

migration = importlib.import_module("kundenbild.accounts.migrations.0002_standard_roles")


def test_migrated_roles_have_the_capabilities_of_the_table() -> None:
    assert set(migration.ROLES) == set(STANDARD_ROLES)
    for role in Role.objects.all():
        assert role.capabilities() == STANDARD_ROLES[role.code], role.code


def test_only_service_lacks_finance_and_only_admin_manages_users() -> None:
    no_finance = {c for c, caps in STANDARD_ROLES.items() if Capability.VIEW_FINANCE not in caps}
    user_admins = {c for c, caps in STANDARD_ROLES.items() if Capability.MANAGE_USERS in caps}
    importers = {c for c, caps in STANDARD_ROLES.items() if Capability.IMPORT_DATA in caps}
    assert no_finance == {"service"}
    assert user_admins == {"admin"}
    assert importers == {"controller", "admin"}


def test_inactive_users_and_users_without_role_have_no_capabilities(django_user_model) -> None:
    nobody = django_user_model.objects.create(username="ohne-rolle")
    assert capabilities_of(nobody) == frozenset()
    admin = django_user_model.objects.create(username="chef", role=Role.objects.get(code="admin"))
    assert Capability.MANAGE_USERS in capabilities_of(admin)
    admin.is_active = False
    assert capabilities_of(admin) == frozenset()


def test_a_superuser_has_every_capability(django_user_model) -> None:
    root = django_user_model.objects.create(username="root", is_superuser=True)
    assert capabilities_of(root) == frozenset(str(c) for c in Capability)
