"""Wrong passwords lock the account they were tried for; an address only at a far higher
limit, so that colleagues behind one company proxy do not lock each other out."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse

from kundenbild.accounts.models import SecurityEvent, SecurityEventKind

pytestmark = pytest.mark.django_db

RIGHT = "correct horse battery"


def log_in(client: Client, username: str, password: str = RIGHT) -> int:
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    return int(response.status_code)


def fail(client: Client, username: str, times: int) -> None:
    for _ in range(times):
        log_in(client, username, "geraten")


def test_ten_wrong_passwords_lock_the_account_but_not_a_colleague_at_the_same_address(
    users,
) -> None:
    fail(Client(), "sales", 10)
    assert log_in(Client(), "kam") == 302  # the same address, 127.0.0.1
    locked = Client().post(reverse("accounts:login"), {"username": "sales", "password": RIGHT})
    assert locked.status_code == 429
    assert "Anmeldungen für dieses Konto" in locked.content.decode()
    # kam's successful login forgave kam's failures only, not those of sales
    assert log_in(Client(), "sales") == 429
    lockouts = SecurityEvent.objects.filter(kind=SecurityEventKind.LOCKED_OUT)
    assert set(lockouts.values_list("username", flat=True)) == {"sales"}
    assert lockouts.first().detail == {"locked": "account"}  # type: ignore[union-attr]
    assert lockouts.first().ip_address == "127.0.0.1"  # type: ignore[union-attr]


def test_nine_wrong_passwords_still_let_the_right_one_in(users) -> None:
    client = Client()
    fail(client, "sales", 9)
    assert log_in(client, "sales") == 302


def test_a_hundred_failures_from_one_address_lock_the_address_for_every_account(
    users,
) -> None:
    client = Client()
    for n in range(33):  # 99 failures, no account near its own limit
        fail(client, f"geist{n}", 3)
    assert log_in(Client(), "kam") == 302
    fail(client, "geist99", 1)
    locked = Client().post(reverse("accounts:login"), {"username": "service", "password": RIGHT})
    assert locked.status_code == 429
    assert "Netzwerkadresse" in locked.content.decode()
    assert log_in(Client(REMOTE_ADDR="10.20.30.40"), "service") == 302  # another address
    event = SecurityEvent.objects.filter(kind=SecurityEventKind.LOCKED_OUT).first()
    assert event is not None
    assert (event.username, event.detail) == ("service", {"locked": "address"})


def test_the_limits_are_settings(users, settings) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    settings.KUNDENBILD_LOGIN_FAILURES_PER_ADDRESS = 5
    fail(Client(), "sales", 3)
    assert log_in(Client(), "sales") == 429
    fail(Client(), "controller", 2)
    assert log_in(Client(), "kam") == 429


def test_the_lockout_page_speaks_the_language_chosen_on_the_login_page(users) -> None:
    client = Client()
    client.cookies["django_language"] = "en"
    fail(client, "sales", 10)
    locked = client.post(reverse("accounts:login"), {"username": "sales", "password": RIGHT})
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Too many failed logins" in html
    assert "logins for this account are blocked" in html


def test_sign_ins_and_failures_are_in_the_security_log(users) -> None:
    client = Client(REMOTE_ADDR="192.0.2.7")
    log_in(client, "kam", "falsch")
    log_in(client, "kam")
    failed = SecurityEvent.objects.get(kind=SecurityEventKind.LOGIN_FAILED)
    assert (failed.username, failed.user, failed.ip_address) == ("kam", None, "192.0.2.7")
    signed_in = SecurityEvent.objects.get(kind=SecurityEventKind.LOGIN, ip_address="192.0.2.7")
    assert (signed_in.username, signed_in.user) == ("kam", users["kam"])


def test_the_limits_come_from_the_environment() -> None:
    env = dict(
        os.environ,
        KUNDENBILD_LOGIN_FAILURES_PER_ACCOUNT="7",
        KUNDENBILD_LOGIN_FAILURES_PER_ADDRESS="70",
        KUNDENBILD_API_TOKEN_DAYS="30",
        DJANGO_SETTINGS_MODULE="kundenbild.settings",
    )
    code = (
        "from django.conf import settings as s;"
        "print(s.AXES_FAILURE_LIMIT, s.KUNDENBILD_LOGIN_FAILURES_PER_ADDRESS,"
        " s.KUNDENBILD_API_TOKEN_DAYS)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
    )
    assert out.stdout.split() == ["7", "70", "30"]
