"""The security log: what is written to it, and who may read it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kundenbild.accounts.models import SecurityEvent, SecurityEventKind
from kundenbild.imports.models import ImportRun
from kundenbild.imports.services import ImportRefusedError, import_file, import_rollback
from tests.factories import CustomerFactory
from tests.integration.test_import_sales import LINES, write_german_csv

pytestmark = pytest.mark.django_db

ROLES = ("management", "kam", "sales", "service", "controller", "admin")


def kinds(**filters: object) -> list[str]:
    return list(
        SecurityEvent.objects.filter(**filters)
        .exclude(kind=SecurityEventKind.LOGIN)
        .order_by("pk")
        .values_list("kind", flat=True)
    )


def test_only_those_who_manage_users_read_the_log(client_for) -> None:
    url = reverse("accounts:security-log")
    for role in ROLES:
        client = client_for(role)
        allowed = role == "admin"
        assert client.get(url).status_code == (200 if allowed else 403), role
        home = client.get(reverse("home"), follow=True).content.decode()
        assert ('data-testid="nav-security-log"' in home) is allowed, role


def test_the_log_shows_the_newest_first_by_kind_and_in_pages(client_for, users) -> None:
    now = timezone.now()
    SecurityEvent.objects.bulk_create(
        SecurityEvent(
            kind=SecurityEventKind.LOGIN_FAILED,
            username=f"versuch{n:02d}",
            ip_address="198.51.100.9",
            created_at=now - timedelta(minutes=n),
        )
        for n in range(1, 61)
    )
    SecurityEvent.objects.create(
        kind=SecurityEventKind.PDF_EXPORT,
        user=users["kam"],
        username="kam",
        created_at=now - timedelta(minutes=30, seconds=30),
        detail={"customer": "K-100"},
    )
    client = client_for("admin")
    url = reverse("accounts:security-log")
    first = client.get(url).content.decode()
    assert "Sicherheitsprotokoll" in first
    assert first.count('data-kind="') == 50
    assert first.index('data-kind="login"') < first.index("versuch01") < first.index("versuch02")
    assert "versuch50" not in first
    assert "Seite 1 von 2" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert "versuch60" in second
    pdfs = client.get(url, {"kind": "pdf_export"}).content.decode()
    assert pdfs.count('data-kind="') == 1
    assert "PDF-Export" in pdfs
    assert "customer: K-100" in pdfs
    unknown = client.get(url, {"kind": "gibt-es-nicht"}).content.decode()
    assert unknown.count('data-kind="') == 50
    users["admin"].language = "en"
    users["admin"].save()
    english = client.get(url, {"kind": "login_failed"}).content.decode()
    assert "Security log" in english
    assert "Sign-in failed" in english


def test_exports_of_customer_data_are_logged(client_for, users, api_client_for) -> None:
    customer = CustomerFactory(owner=users["kam"])
    client = client_for("kam")
    assert client.get(reverse("profile:customer-list-download"), {"q": "x"}).status_code == 200
    pdf = client.get(reverse("profile:customer-profile-pdf", args=[customer.pk]))
    assert pdf.status_code == 200
    api = api_client_for("kam")
    assert api.get("/api/customers/", {"page": 1}).status_code == 200
    assert api.get(f"/api/customers/{customer.pk}").status_code == 200  # one customer: no export
    assert kinds(user=users["kam"]) == [
        SecurityEventKind.EXCEL_EXPORT,
        SecurityEventKind.PDF_EXPORT,
        SecurityEventKind.TOKEN_CREATED,
        SecurityEventKind.API_EXPORT,
    ]
    excel, pdf_event, _token, api_event = (
        SecurityEvent.objects.filter(user=users["kam"])
        .exclude(kind=SecurityEventKind.LOGIN)
        .order_by("pk")
    )
    assert excel.detail == {"list": "customers", "query": "q=x"}
    assert excel.ip_address == "127.0.0.1"
    assert pdf_event.detail["customer"] == customer.number
    assert api_event.detail == {"list": "customers", "page": 1, "count": 1}


def test_the_selection_download_is_logged(client_for, users) -> None:
    download = client_for("management").get(
        reverse("portfolio:selection-download"), {"goal": "growth"}
    )
    assert download.status_code == 200
    assert kinds(user=users["management"]) == [SecurityEventKind.EXCEL_EXPORT]


def test_imports_their_refusals_and_rollbacks_are_logged(tmp_path: Path, users) -> None:
    for number in sorted({line[0] for line in LINES}):
        CustomerFactory(number=number)
    controller = users["controller"]
    result = import_file(write_german_csv(tmp_path / "umsatz.csv"), by=controller)
    with pytest.raises(ImportRefusedError):
        import_file(write_german_csv(tmp_path / "fremd.csv", [("K-999", *LINES[0][1:])]), by=None)
    run = import_rollback(run=ImportRun.objects.get(pk=result.run_id), by=controller)
    assert kinds() == [
        SecurityEventKind.IMPORT_DONE,
        SecurityEventKind.IMPORT_FAILED,
        SecurityEventKind.IMPORT_ROLLED_BACK,
    ]
    done, failed, rolled_back = SecurityEvent.objects.exclude(
        kind=SecurityEventKind.LOGIN
    ).order_by("pk")
    assert (done.user, done.detail["file"], done.detail["lines_added"]) == (
        controller,
        "umsatz.csv",
        len(LINES),
    )
    assert (failed.user, failed.detail["file"], failed.detail["dry_run"]) == (
        None,
        "fremd.csv",
        False,
    )
    assert (rolled_back.user, rolled_back.detail["run"]) == (controller, run.pk)


def test_the_log_keeps_the_name_of_a_deleted_user(users) -> None:
    Client().post(reverse("accounts:login"), {"username": "sales", "password": "falsch"})
    Client().post(
        reverse("accounts:login"), {"username": "sales", "password": "correct horse battery"}
    )
    users["sales"].delete()
    assert set(SecurityEvent.objects.filter(username="sales").values_list("kind", "user")) == {
        (SecurityEventKind.LOGIN_FAILED, None),
        (SecurityEventKind.LOGIN, None),
    }
