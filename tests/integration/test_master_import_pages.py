"""The import page for master data: a German debtor export uploaded as customers, its
dry-run report, the mapping corrected by hand, conflicts settled, imported, rolled back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kundenbild.core.errors import ApplicationError
from kundenbild.customers.models import Customer
from kundenbild.customers.services import CustomerData, customer_update
from kundenbild.imports.master.customer_values import FIELDS as COMPARED_FIELDS
from kundenbild.imports.master.kinds import KINDS
from kundenbild.imports.master_labels import LABELS
from kundenbild.imports.master_mappings import master_mapping_save
from kundenbild.imports.models import ImportContent, ImportMapping, ImportRun, ImportStatus
from tests.integration.test_import_master_customers import debtors, write_debtors
from tests.integration.test_import_sales import customers, write_german_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path


def upload(client: Client, path: Path, content: str = "customers", **extra: str):  # type: ignore[no-untyped-def]
    data = {"file": SimpleUploadedFile(path.name, path.read_bytes()), "content": content}
    return client.post(reverse("imports:upload"), {**data, **extra})


def token_of(response) -> str:  # type: ignore[no-untyped-def]
    match = re.search(r"/imports/master-uploads/([\w-]+)/", response.content.decode())
    assert match, "no master-data form on the page"
    return match.group(1)


def form_data(response) -> dict[str, object]:  # type: ignore[no-untyped-def]
    form = response.context["form"]
    return {name: form[name].value() for name in form.fields if form[name].value()}


def run(client: Client, report, **extra: object):  # type: ignore[no-untyped-def]
    """Post the report's mapping form back, with `extra` on top."""
    url = reverse("imports:master-run", args=[token_of(report)])
    return client.post(url, {**form_data(report), **extra})


def count(response, key: str) -> str:  # type: ignore[no-untyped-def]
    match = re.search(rf'data-testid="count-{key}">([^<]*)<', response.content.decode())
    assert match, f"no count {key}"
    return match.group(1)


def debtor_file(tmp_path: Path, rows: list[list[str]] | None = None) -> Path:
    return write_debtors(tmp_path / "debitoren.csv", debtors() if rows is None else rows)


def test_a_debtor_file_is_checked_and_its_new_customers_listed(client_for, tmp_path) -> None:  # type: ignore[no-untyped-def]
    report = upload(client_for("controller"), debtor_file(tmp_path))
    assert report.status_code == 200
    html = report.content.decode()
    counts = {key: count(report, key) for key in ("added", "changed", "conflicts", "invalid")}
    assert counts == {"added": "4", "changed": "0", "conflicts": "0", "invalid": "0"}
    assert "Neue Datensätze" in html
    assert "Brenner Holding GmbH &amp; Co. KG" in html
    assert "Huber e.K." in html
    assert 'data-testid="import-now"' in html
    assert not Customer.objects.exists()  # the check wrote nothing
    assert form_data(report)["encoding"] == "cp1252"
    assert form_data(report)["col_number"] == "Debitor"


def test_a_missing_required_column_is_mapped_by_hand_and_checked_again(
    client_for, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    path = write_debtors(tmp_path / "konten.csv", debtors())
    path.write_bytes(path.read_bytes().replace(b"Debitor;", b"Konto;", 1))
    client = client_for("controller")
    report = upload(client, path)
    assert report.status_code == 422
    html = report.content.decode()
    assert "Pflichtspalten nicht gefunden" in html
    assert '<option value="Konto">Konto</option>' in html
    assert 'data-testid="import-now"' not in html
    unmapped = run(client, report, action="check")
    assert unmapped.status_code == 400  # the required field is still blank
    checked = run(client, report, col_number="Konto", action="check")
    assert checked.status_code == 200
    assert count(checked, "added") == "4"


def test_an_invalid_row_is_listed_and_the_file_cannot_be_imported(client_for, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rows = debtors()
    rows[1][8] = "DE123"  # no VAT ID
    client = client_for("controller")
    report = upload(client, debtor_file(tmp_path, rows))
    assert report.status_code == 422
    html = report.content.decode()
    assert "1 Zeile ist ungültig" in html
    assert 'data-testid="problems"' in html
    assert "<td>3</td><td>USt-IdNr.</td>" in html  # row 3 of the file: header, then 10000
    assert count(report, "invalid") == "1"
    assert 'data-testid="import-now"' not in html
    forced = run(client, report, action="import")
    assert forced.status_code == 422
    assert not Customer.objects.exists()


def test_an_import_adds_the_customers_lists_the_run_and_rolls_back(client_for, tmp_path) -> None:  # type: ignore[no-untyped-def]
    client = client_for("controller")
    report = upload(client, debtor_file(tmp_path))
    done = run(client, report, action="import")
    assert done.status_code == 302
    assert done["Location"] == reverse("imports:index")
    assert Customer.objects.count() == 4
    page = client.get(done["Location"]).content.decode()
    assert (
        "debitoren.csv importiert: 4 Kunden hinzugefügt, 0 geändert, 0 unverändert, "
        "0 Konflikte." in page
    )
    assert re.search(r'data-testid="run-content"[^>]*>Kunden<', page)
    assert not list((tmp_path / "uploads").glob("*"))  # the waiting file is gone
    imported = ImportRun.objects.get()
    assert imported.content == ImportContent.CUSTOMERS
    assert client.post(reverse("imports:rollback", args=[imported.pk])).status_code == 302
    assert ImportRun.objects.get().status == ImportStatus.ROLLED_BACK
    assert not Customer.objects.exists()


def renamed_in_both(client: Client, tmp_path: Path, users) -> object:  # type: ignore[no-untyped-def]
    """Import the debtors, rename Huber in Kundenbild and in the ERP, and check again."""
    assert run(client, upload(client, debtor_file(tmp_path)), action="import").status_code == 302
    huber = Customer.objects.get(number="20000")
    data = CustomerData(number=huber.number, name="Huber Landtechnik e.K.", legal_form="e.K.")
    customer_update(customer=huber, data=data, by=users["kam"], expected_version=None)
    rows = debtors()
    rows[3][1] = "Huber Agrar e.K."
    return upload(client, debtor_file(tmp_path, rows))


def test_a_conflict_takes_the_erps_value_when_its_box_is_ticked(
    client_for, users, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    client = client_for("controller")
    report = renamed_in_both(client, tmp_path, users)
    assert report.status_code == 200
    assert count(report, "conflicts") == "1"
    html = report.content.decode()
    assert 'name="overwrite" value="20000:name"' in html
    assert "Huber Landtechnik e.K." in html
    assert "Huber Agrar e.K." in html
    done = run(client, report, overwrite=["20000:name"], action="import")
    assert done.status_code == 302
    assert Customer.objects.get(number="20000").name == "Huber Agrar e.K."


def test_a_conflict_keeps_kundenbilds_value_without_its_box(client_for, users, tmp_path) -> None:  # type: ignore[no-untyped-def]
    client = client_for("controller")
    report = renamed_in_both(client, tmp_path, users)
    done = run(client, report, action="import")
    assert done.status_code == 302
    assert "1 Konflikte." in client.get(done["Location"]).content.decode()
    assert Customer.objects.get(number="20000").name == "Huber Landtechnik e.K."


def test_checking_again_keeps_the_ticked_conflicts(client_for, users, tmp_path) -> None:  # type: ignore[no-untyped-def]
    client = client_for("controller")
    report = renamed_in_both(client, tmp_path, users)
    again = run(client, report, overwrite=["*"], action="check")
    assert again.status_code == 200
    assert re.search(r'value="\*"[^>]*checked', again.content.decode())
    assert run(client, again, overwrite=["*"], action="import").status_code == 302
    assert Customer.objects.get(number="20000").name == "Huber Agrar e.K."


def test_changes_and_probable_duplicates_are_shown_in_words(client_for, tmp_path) -> None:  # type: ignore[no-untyped-def]
    client = client_for("controller")
    assert run(client, upload(client, debtor_file(tmp_path)), action="import").status_code == 302
    rows = debtors()
    rows[1][6] = "Bremerhaven"
    twin = list(rows[1])
    twin[0], twin[16:19] = "10099", ["", "", ""]
    report = upload(client, debtor_file(tmp_path, [*rows, twin]))
    html = report.content.decode()
    old, new = "Am Hafen 12, 28217, Bremen, DE", "Am Hafen 12, 28217, Bremerhaven, DE"
    assert f"Hauptsitz:</span> <del>{old}</del> → {new}" in html
    assert "ähnlicher Name, gleiche Postleitzahl" in html
    bremen = Customer.objects.get(number="10010")
    assert reverse("profile:customer-detail", args=[bremen.pk]) in html
    assert "/merge/" not in html


def test_a_mapping_saved_for_customers_serves_the_next_customer_upload(
    client_for, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    path = write_debtors(tmp_path / "konten.csv", debtors())
    path.write_bytes(path.read_bytes().replace(b"Debitor;", b"Konto;", 1))
    client = client_for("controller")
    report = upload(client, path)
    saved = run(client, report, col_number="Konto", mapping_name="Debitoren ERP", action="check")
    assert saved.status_code == 200
    mapping = ImportMapping.objects.get(name="Debitoren ERP")
    assert (mapping.content, mapping.columns["number"]) == ("customers", "Konto")
    again = upload(client, path, mapping="Debitoren ERP")
    assert again.status_code == 200
    assert count(again, "added") == "4"
    sales_file = write_german_csv(tmp_path / "umsatz.csv")
    as_sales = upload(client, sales_file, "sales", mapping="Debitoren ERP")
    assert as_sales.status_code == 400
    assert "Diese Zuordnung gilt für Kunden" in as_sales.content.decode()


def test_a_mapping_name_is_unique_across_kinds(client_for, users, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ImportMapping.objects.create(name="Export", columns={"customer_number": "Konto"})
    client = client_for("controller")
    report = upload(client, debtor_file(tmp_path))
    refused = run(client, report, mapping_name="Export", action="check")
    assert refused.status_code == 400
    taken = "„Export“ ist schon eine Zuordnung für Umsatzzeilen gespeichert"
    assert taken in refused.content.decode()
    assert ImportMapping.objects.get(name="Export").content == ImportContent.SALES
    with pytest.raises(ApplicationError, match="invoice_date"):
        master_mapping_save(
            name="X", content="customers", columns={"invoice_date": "A"}, dialect={}, by=None
        )


def test_a_sales_upload_and_a_customer_upload_each_continue_on_their_own_page(
    client_for, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    customers()
    client = client_for("controller")
    sales = upload(client, write_german_csv(tmp_path / "umsatz.csv"), "sales")
    sales_token = re.search(r"/imports/uploads/([\w-]+)/", sales.content.decode())
    assert sales_token
    master = upload(client, debtor_file(tmp_path))
    sales_at_master = reverse("imports:master-run", args=[sales_token.group(1)])
    assert client.post(sales_at_master).status_code == 404
    assert client.post(reverse("imports:run", args=[token_of(master)])).status_code == 404


def test_without_the_import_capability_every_master_data_view_is_forbidden(
    client_for, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    report = upload(client_for("controller"), debtor_file(tmp_path))
    kam = client_for("kam")
    assert upload(kam, debtor_file(tmp_path)).status_code == 403
    for action in ("check", "import"):
        url = reverse("imports:master-run", args=[token_of(report)])
        assert kam.post(url, {**form_data(report), "action": action}).status_code == 403
    assert not Customer.objects.exists()


def test_every_field_of_every_kind_has_a_label_in_both_languages() -> None:
    wanted = {name: set(kind.fields) for name, kind in KINDS.items()}
    wanted["customers"] |= set(COMPARED_FIELDS)
    for name, fields in wanted.items():
        assert fields <= set(LABELS[name]), (name, fields - set(LABELS[name]))
    with translation.override("de"):
        assert str(LABELS["customers"]["address_delivery"]) == "Lieferadresse"
        assert str(LABELS["customers"]["parent_number"]) != "number of the group parent"


EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def test_the_example_exports_are_imported_on_the_page_kind_by_kind(client_for, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from kundenbild.buying_center.models import Contact
    from kundenbild.customers.models import Customer
    from kundenbild.offerings.models import Offering

    client = client_for("controller")
    for content, name in (
        ("customers", "debitoren"),
        ("people", "kontakte"),
        ("offerings", "artikel"),
    ):
        report = upload(client, EXAMPLES / f"{name}.csv", content)
        assert report.status_code == 200, report.content.decode()[:2000]
        assert count(report, "invalid") == "0"
        done = run(client, report, action="import")
        assert done.status_code == 302
    assert Customer.objects.count() == 250
    assert Contact.objects.count() > 500
    assert Offering.objects.count() > 10
    from kundenbild.imports.models import ImportRun

    assert sorted(ImportRun.objects.values_list("content", flat=True)) == [
        "customers",
        "offerings",
        "people",
    ]
