"""Login, password change, API tokens and user administration as people use them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kundenbild.accounts.models import ApiToken, User

pytestmark = pytest.mark.django_db


def test_login_with_the_right_password_and_refusal_with_a_wrong_one(users) -> None:
    client = Client()
    url = reverse("accounts:login")
    wrong = client.post(url, {"username": "kam", "password": "falsch"})
    assert wrong.status_code == 200
    assert "Groß-/Kleinschreibung" in wrong.content.decode()
    right = client.post(url, {"username": "kam", "password": "correct horse battery"})
    assert right.status_code == 302
    assert client.get(reverse("profile:customer-list")).status_code == 200


def test_passwords_are_hashed_with_argon2_by_default(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = User.objects.create_user(username="neu", password="ein langes passwort")
    assert user.password.startswith("argon2")


def test_changing_the_password(client_for, users) -> None:
    client = client_for("service")
    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": "correct horse battery",
            "new_password1": "Neues-Passwort-2026!",
            "new_password2": "Neues-Passwort-2026!",
        },
    )
    assert response.status_code == 302
    users["service"].refresh_from_db()
    assert users["service"].check_password("Neues-Passwort-2026!")


def test_a_too_short_new_password_is_refused_in_german(client_for, users) -> None:
    response = client_for("service").post(
        reverse("accounts:password-change"),
        {"old_password": "correct horse battery", "new_password1": "kurz", "new_password2": "kurz"},
    )
    assert response.status_code == 200
    assert "zu kurz" in response.content.decode()
    users["service"].refresh_from_db()
    assert users["service"].check_password("correct horse battery")


def test_creating_using_and_revoking_an_api_token_in_the_settings(client_for, users) -> None:
    client = client_for("controller")
    created = client.post(reverse("accounts:token-create"), {"name": "ERP-Export"})
    assert created.status_code == 200
    raw = created.context["raw_key"]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/customers/").status_code == 200
    token = ApiToken.objects.get(user=users["controller"])
    assert token.key_hash != raw
    assert raw not in client.get(reverse("accounts:settings")).content.decode()
    client.post(reverse("accounts:token-revoke", args=[token.pk]))
    assert api.get("/api/customers/").status_code == 401


def test_a_token_name_is_required(client_for) -> None:
    response = client_for("kam").post(reverse("accounts:token-create"), {"name": ""})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_nobody_can_revoke_another_users_token(client_for, users) -> None:
    from kundenbild.accounts.services import api_token_create

    token, _raw = api_token_create(user=users["admin"], name="fremd")
    response = client_for("kam").post(reverse("accounts:token-revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_administrator_manages_users(client_for, users) -> None:
    client = client_for("admin")
    created = client.post(
        reverse("accounts:user-create"),
        {
            "username": "fmeyer",
            "first_name": "Franz",
            "last_name": "Meyer",
            "role": "sales",
            "language": "en",
            "is_active": "on",
            "password": "Ein-langes-Passwort-2026",
        },
    )
    assert created.status_code == 302
    user = User.objects.get(username="fmeyer")
    assert (user.role.code, user.language) == ("sales", "en")
    duplicate = client.post(
        reverse("accounts:user-create"),
        {
            "username": "FMEYER",
            "role": "sales",
            "language": "de",
            "password": "Ein-langes-Passwort-2026",
        },
    )
    assert duplicate.status_code == 400
    assert "Es gibt bereits einen Benutzer" in duplicate.content.decode()
    client.post(
        reverse("accounts:user-update", args=[user.pk]),
        {"username": "fmeyer", "role": "service", "language": "de"},
    )
    user.refresh_from_db()
    assert (user.role.code, user.is_active) == ("service", False)


def test_an_administrator_cannot_lock_themselves_out(client_for, users) -> None:
    admin = users["admin"]
    response = client_for("admin").post(
        reverse("accounts:user-update", args=[admin.pk]),
        {"username": "admin", "role": "sales", "language": "de", "is_active": "on"},
    )
    assert response.status_code == 400
    assert "Administrationsrolle" in response.content.decode()
    admin.refresh_from_db()
    assert admin.role.code == "admin"


def test_repeated_failed_logins_lock_the_account_for_a_while(users) -> None:
    client = Client()
    url = reverse("accounts:login")
    for _ in range(10):
        client.post(url, {"username": "kam", "password": "geraten"})
    locked = client.post(url, {"username": "kam", "password": "correct horse battery"})
    assert locked.status_code == 429
    assert "15 Minuten" in locked.content.decode()
    assert client.get(reverse("profile:customer-list")).status_code == 302
