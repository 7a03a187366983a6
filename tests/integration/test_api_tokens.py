"""API tokens expire, die with the password or the account, are stored only as a hash,
and open the API schema to programs."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kundenbild.accounts.models import ApiToken, SecurityEvent, SecurityEventKind, User
from kundenbild.accounts.services import api_token_create
from kundenbild.core.errors import ApplicationError

pytestmark = pytest.mark.django_db

RIGHT = "correct horse battery"


def bearer(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def days_left(token: ApiToken) -> float:
    return (token.expires_at - timezone.now()) / timedelta(days=1)


def test_a_token_made_in_the_settings_expires_after_the_days_asked_for(client_for, users) -> None:
    client = client_for("controller")
    created = client.post(reverse("accounts:token-create"), {"name": "ERP", "days": "30"})
    assert created.status_code == 200
    token = ApiToken.objects.get(user=users["controller"])
    assert 29.9 < days_left(token) <= 30
    assert token.expires_at.strftime("%d.%m.%Y") in created.content.decode()
    page = client.get(reverse("accounts:settings")).content.decode()
    assert token.expires_at.strftime("%d.%m.%Y") in page
    assert "Läuft ab" in page


def test_without_days_a_token_lives_as_long_as_the_setting_says(
    client_for, users, settings
) -> None:
    assert api_token_create(user=users["kam"], name="a")[0].expires_at > timezone.now() + timedelta(
        days=179
    )
    settings.KUNDENBILD_API_TOKEN_DAYS = 7
    client_for("kam").post(reverse("accounts:token-create"), {"name": "b", "days": ""})
    assert 6.9 < days_left(ApiToken.objects.get(name="b")) <= 7


def test_days_outside_one_to_ten_years_are_refused(client_for, users) -> None:
    response = client_for("kam").post(reverse("accounts:token-create"), {"name": "x", "days": "0"})
    assert response.status_code == 400
    with pytest.raises(ApplicationError):
        api_token_create(user=users["kam"], name="y", days=3651)
    assert not ApiToken.objects.exists()


def test_an_expired_token_is_refused_with_401_json_and_marked_in_the_settings(
    client_for, users
) -> None:
    token, raw = api_token_create(user=users["kam"], name="alt", days=1)
    assert bearer(raw).get("/api/customers/").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    refused = bearer(raw).get("/api/customers/")
    assert refused.status_code == 401
    assert refused.json()["code"] == "unauthenticated"
    page = client_for("kam").get(reverse("accounts:settings")).content.decode()
    assert "abgelaufen" in page


def test_the_settings_show_when_a_token_was_last_used(client_for, users) -> None:
    _token, raw = api_token_create(user=users["kam"], name="Job")
    client = client_for("kam")
    assert "—" in client.get(reverse("accounts:settings")).content.decode()
    bearer(raw).get("/api/customers/")
    used = ApiToken.objects.get(name="Job").last_used_at
    assert used is not None
    local = timezone.localtime(used).strftime("%d.%m.%Y %H:%M")
    assert local in client.get(reverse("accounts:settings")).content.decode()


def test_the_cli_takes_the_days(users) -> None:
    out = StringIO()
    call_command("create_api_token", "kam", "--days", "14", stdout=out)
    raw = out.getvalue().strip()
    token = ApiToken.objects.get(user=users["kam"])
    assert 13.9 < days_left(token) <= 14
    assert bearer(raw).get("/api/customers/").status_code == 200


def test_changing_ones_own_password_revokes_ones_tokens(client_for, users) -> None:
    _token, raw = api_token_create(user=users["service"], name="Job")
    changed = client_for("service").post(
        reverse("accounts:password-change"),
        {
            "old_password": RIGHT,
            "new_password1": "Neues-Passwort-2026!",
            "new_password2": "Neues-Passwort-2026!",
        },
    )
    assert changed.status_code == 302
    assert bearer(raw).get("/api/customers/").status_code == 401
    event = SecurityEvent.objects.get(kind=SecurityEventKind.TOKEN_REVOKED)
    assert (event.user, event.detail["reason"]) == (users["service"], "password_changed")


def test_an_administrators_password_reset_revokes_the_users_tokens(client_for, users) -> None:
    _token, raw = api_token_create(user=users["sales"], name="Job")
    client_for("admin").post(
        reverse("accounts:user-update", args=[users["sales"].pk]),
        {
            "username": "sales",
            "role": "sales",
            "language": "de",
            "is_active": "on",
            "password": "Ein-neues-Passwort-2026",
        },
    )
    assert bearer(raw).get("/api/customers/").status_code == 401


def test_deactivating_a_user_revokes_the_tokens_for_good(client_for, users) -> None:
    _token, raw = api_token_create(user=users["sales"], name="Job")
    admin = client_for("admin")
    url = reverse("accounts:user-update", args=[users["sales"].pk])
    admin.post(url, {"username": "sales", "role": "sales", "language": "de"})
    assert ApiToken.objects.get(name="Job").revoked_at is not None
    admin.post(url, {"username": "sales", "role": "sales", "language": "de", "is_active": "on"})
    assert bearer(raw).get("/api/customers/").status_code == 401


def test_other_changes_and_logins_keep_the_tokens(client_for, users) -> None:
    """A changed role is no new password, nor is the rehash of an old hash at login."""
    sales = users["sales"]
    User.objects.filter(pk=sales.pk).update(password=make_password(RIGHT, hasher="argon2"))
    _token, raw = api_token_create(user=sales, name="Job")
    client_for("admin").post(
        reverse("accounts:user-update", args=[sales.pk]),
        {"username": "sales", "role": "kam", "language": "en", "is_active": "on"},
    )
    login = Client().post(reverse("accounts:login"), {"username": "sales", "password": RIGHT})
    assert login.status_code == 302
    sales.refresh_from_db()
    assert sales.password.startswith("md5")  # rehashed with the first hasher
    assert bearer(raw).get("/api/customers/").status_code == 200


def test_the_raw_key_is_nowhere_in_the_database(client_for, users) -> None:
    created = client_for("kam").post(reverse("accounts:token-create"), {"name": "Geheim"})
    raw = created.context["raw_key"]
    assert bearer(raw).get("/api/customers/").status_code == 200
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            found += [table for row in cursor.fetchall() if raw in str(row)]
    assert found == []
    assert ApiToken.objects.get(name="Geheim").hint == raw[:8]


def test_creating_and_revoking_tokens_is_logged(client_for, users) -> None:
    client = client_for("kam")
    client.post(reverse("accounts:token-create"), {"name": "ERP"})
    token = ApiToken.objects.get(name="ERP")
    client.post(reverse("accounts:token-revoke", args=[token.pk]))
    kinds = list(
        SecurityEvent.objects.filter(user=users["kam"])
        .exclude(kind=SecurityEventKind.LOGIN)
        .order_by("pk")
        .values_list("kind", "detail__token", "ip_address")
    )
    assert kinds == [
        (SecurityEventKind.TOKEN_CREATED, "ERP", "127.0.0.1"),
        (SecurityEventKind.TOKEN_REVOKED, "ERP", "127.0.0.1"),
    ]


# the schema and the docs page


def test_the_schema_answers_a_program_with_a_valid_token(api_client_for) -> None:
    response = api_client_for("service").get("/api/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Kundenbild API"


@pytest.mark.parametrize("header", [None, "Bearer kb_falsch", "Basic a2FtOmth"])
def test_the_schema_refuses_others_with_401_json(users, header: str | None) -> None:
    client = Client(HTTP_AUTHORIZATION=header) if header else Client()
    response = client.get("/api/openapi.json")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert "API-Token" in response.json()["detail"]


def test_the_schema_refuses_an_expired_or_revoked_token(users) -> None:
    token, raw = api_token_create(user=users["kam"], name="alt")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    assert bearer(raw).get("/api/openapi.json").status_code == 401


def test_the_docs_page_sends_anonymous_browsers_to_the_login(users) -> None:
    response = Client().get("/api/docs")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_logged_in_browser_gets_the_docs_and_the_schema(client_for) -> None:
    client = client_for("service")
    assert client.get("/api/docs").status_code == 200
    assert client.get("/api/openapi.json").status_code == 200
