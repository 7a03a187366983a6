"""The import pages: upload, dry-run report, correcting the mapping, import, rollback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kundenbild.finance.models import CustomerCost, SalesLine
from kundenbild.imports.models import ImportMapping, ImportRun
from tests.factories import CustomerFactory
from tests.integration.test_import_sales import TOTAL, customers, write_german_csv

pytestmark = pytest.mark.django_db


def upload(client, path: Path, **extra):  # type: ignore[no-untyped-def]
    data = {"file": SimpleUploadedFile(path.name, path.read_bytes()), **extra}
    return client.post(reverse("imports:upload"), data)


def token_of(response) -> str:  # type: ignore[no-untyped-def]
    match = re.search(r"/imports/uploads/([\w-]+)/", response.content.decode())
    assert match, "no import form on the page"
    return match.group(1)


def form_data(response) -> dict[str, object]:  # type: ignore[no-untyped-def]
    form = response.context["form"]
    return {
        name: form[name].value() for name in form.fields if form[name].value() not in (None, False)
    }


def test_upload_check_then_import(client_for, tmp_path: Path, settings) -> None:
    settings.DATA_DIR = tmp_path
    customers()
    client = client_for("controller")
    report = upload(client, write_german_csv(tmp_path / "umsatz.csv"))
    assert report.status_code == 200
    html = report.content.decode()
    assert 'data-testid="would-add">5<' in html
    assert "Jetzt importieren" in html
    assert not SalesLine.objects.exists()  # the check wrote nothing
    token = token_of(report)
    done = client.post(
        reverse("imports:run", args=[token]), {**form_data(report), "action": "import"}
    )
    assert done.status_code == 302
    assert SalesLine.objects.count() == 5
    page = client.get(reverse("imports:index")).content.decode()
    assert "umsatz.csv" in page
    assert "5 Zeilen hinzugefügt" in page
    assert not list((tmp_path / "uploads").glob("*"))  # the waiting file is gone
    run = ImportRun.objects.get()
    assert run.revenue_total == TOTAL
    rolled = client.post(reverse("imports:rollback", args=[run.pk]))
    assert rolled.status_code == 302
    assert not SalesLine.objects.exists()


def test_invalid_rows_are_listed_and_cannot_be_imported(
    client_for, tmp_path: Path, settings
) -> None:
    settings.DATA_DIR = tmp_path
    CustomerFactory(number="K-100")
    client = client_for("controller")
    report = upload(client, write_german_csv(tmp_path / "e.csv"))
    assert report.status_code == 422
    html = report.content.decode()
    assert "ist keine bekannte Kundennummer" in html
    assert "Jetzt importieren" not in html
    token = token_of(report)
    forced = client.post(
        reverse("imports:run", args=[token]), {**form_data(report), "action": "import"}
    )
    assert forced.status_code == 422  # shown again, not imported
    assert not SalesLine.objects.exists()
    fixed = client.post(
        reverse("imports:run", args=[token]),
        {**form_data(report), "create_missing": "on", "action": "check"},
    )
    assert fixed.status_code == 200
    assert "2 neue Kunden werden angelegt" in fixed.content.decode()


def test_unknown_headers_are_mapped_by_hand_and_the_mapping_saved(
    client_for, tmp_path: Path, settings
) -> None:
    settings.DATA_DIR = tmp_path
    CustomerFactory(number="K-1")
    path = tmp_path / "odd.csv"
    path.write_text("Konto;Tag;Betrag (EUR)\nK-1;02.01.2026;1.000,00\nK-1;03.01.2026;250,50\n")
    client = client_for("controller")
    report = upload(client, path)
    assert report.status_code == 422
    assert "Pflichtspalten nicht gefunden" in report.content.decode()
    token = token_of(report)
    mapped = {
        **form_data(report),
        "col_customer_number": "Konto",
        "col_invoice_date": "Tag",
        "col_net_revenue": "Betrag (EUR)",
        "mapping_name": "Buchhaltung",
        "action": "check",
    }
    checked = client.post(reverse("imports:run", args=[token]), mapped)
    assert checked.status_code == 200
    assert 'data-testid="would-add">2<' in checked.content.decode()
    assert ImportMapping.objects.get(name="Buchhaltung").columns["net_revenue"] == "Betrag (EUR)"
    again = upload(client, path, mapping="Buchhaltung")
    assert again.status_code == 200


def test_only_importers_reach_the_import_pages(client_for, tmp_path: Path, settings) -> None:
    settings.DATA_DIR = tmp_path
    customers()
    kam = client_for("kam")
    assert kam.get(reverse("imports:index")).status_code == 403
    assert upload(kam, write_german_csv(tmp_path / "x.csv")).status_code == 403
    report = upload(client_for("controller"), write_german_csv(tmp_path / "y.csv"))
    other = client_for("admin").post(
        reverse("imports:run", args=[token_of(report)]), {"action": "import"}
    )
    assert other.status_code == 404  # somebody else's upload


def test_costs_are_imported_on_the_import_page(client_for, tmp_path: Path, settings) -> None:
    settings.DATA_DIR = tmp_path
    CustomerFactory(number="K-5")
    client = client_for("controller")
    good = SimpleUploadedFile(
        "kosten.csv", b"Kundennummer;Periode;Kostenart;Betrag\nK-5;2025;Bonus;500\n"
    )
    response = client.post(reverse("imports:costs"), {"costs-file": good}, follow=True)
    assert "kosten.csv: 1 Kosten hinzugefügt" in response.content.decode()
    assert CustomerCost.objects.get().amount == 500
    bad = SimpleUploadedFile(
        "kosten.csv", b"Kundennummer;Periode;Kostenart;Betrag\nK-5;2025;Miete;500\n"
    )
    refused = client.post(reverse("imports:costs"), {"costs-file": bad})
    assert refused.status_code == 422
    assert "ist keine Kostenart" in refused.content.decode()


def test_abandoned_uploads_are_removed_after_a_day(client_for, tmp_path: Path, settings) -> None:
    import os
    import time

    settings.DATA_DIR = tmp_path
    customers()
    report = upload(client_for("controller"), write_german_csv(tmp_path / "left.csv"))
    waiting = sorted((tmp_path / "uploads").glob("*"))
    assert waiting  # the file and its sidecar wait for the import
    day_ago = time.time() - 25 * 3600
    for path in waiting:
        os.utime(path, (day_ago, day_ago))
    upload(client_for("controller"), write_german_csv(tmp_path / "next.csv"))
    assert not any(
        p.name.startswith(f"u{report.wsgi_request.user.pk}-{token_of(report)}")
        for p in (tmp_path / "uploads").glob("*")
    )


def test_other_file_types_are_refused_by_both_forms(client_for, tmp_path: Path, settings) -> None:
    settings.DATA_DIR = tmp_path
    client = client_for("controller")
    word = SimpleUploadedFile("umsatz.docx", b"x")
    sales = client.post(reverse("imports:upload"), {"file": word})
    assert sales.status_code == 400
    assert "Verwenden Sie eine CSV-, Excel- (.xlsx) oder Parquet-Datei." in sales.content.decode()
    costs = client.post(
        reverse("imports:costs"), {"costs-file": SimpleUploadedFile("k.docx", b"x")}
    )
    assert costs.status_code == 400
    assert "Verwenden Sie eine CSV-" in costs.content.decode()
    assert list(tmp_path.glob("uploads/*")) == []  # nothing of a refused file is kept
