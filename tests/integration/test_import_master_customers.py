"""Customers from an ERP debtor export: added, changed field by field, unchanged,
conflicting, refused row by row, and rolled back, on the real database."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.urls import reverse

from kundenbild.customers.models import AddressKind, Customer
from kundenbild.customers.services import CustomerData, customer_update
from kundenbild.identifiers import de_vat_check_digit
from kundenbild.imports.master.services import MasterImportRefusedError, import_master_file
from kundenbild.imports.models import ImportRun, MasterChange
from kundenbild.imports.selectors import ImportReasons
from kundenbild.imports.services import import_file, import_rollback
from tests.integration.test_import_sales import write_german_csv

pytestmark = pytest.mark.django_db

HEADER = [
    "Debitor", "Name 1", "Name 2", "Straße", "Hausnummer", "PLZ", "Ort", "Land",
    "USt-IdNr.", "Handelsregister", "Registergericht", "Branche", "Mitarbeiter",
    "Konzern", "Betreuer", "Kundengruppe", "Lieferstraße", "Liefer-PLZ", "Lieferort",
]  # fmt: skip


def vat(eight: str) -> str:
    return f"DE{eight}{de_vat_check_digit(eight)}"


def debtors() -> list[list[str]]:
    """A group three levels deep (10000 → 10010 → 10011) and one customer on its own."""
    return [
        ["10000", "Brenner Holding", "GmbH & Co. KG", "Industriestr.", "5", "70565",
         "Stuttgart", "Deutschland", vat("12345678"), "HRA 7001", "Amtsgericht Stuttgart",
         "64.20", "1.250", "", "kam", "A-Kunde", "", "", ""],
        ["10010", "Brenner Antriebe GmbH", "", "Am Hafen", "12", "28217", "Bremen", "D",
         "", "", "", "28.15", "320", "10000", "kam@example.com", "A-Kunde",
         "Lagerweg", "28219", "Bremen"],
        ["10011", "Brenner Service AG", "", "Ringstraße", "1", "01067", "Dresden", "DE",
         "", "", "", "33", "45", "10010", "", "B-Kunde", "", "", ""],
        ["20000", "Huber e.K.", "", "Dorfplatz", "3", "6020", "Innsbruck", "Österreich",
         "", "", "", "", "8", "", "", "C-Kunde", "", "", ""],
    ]  # fmt: skip


def write_debtors(path: Path, rows: list[list[str]]) -> Path:
    """As a German ERP writes it: Windows-1252, semicolons."""
    with path.open("w", encoding="cp1252", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def import_debtors(tmp_path: Path, rows: list[list[str]], by=None, **options):  # type: ignore[no-untyped-def]
    path = write_debtors(tmp_path / "debitoren.csv", rows)
    return import_master_file(path, "customers", by=by, **options)


def test_a_dry_run_reports_what_would_be_added_and_writes_nothing(tmp_path: Path, users) -> None:
    result = import_debtors(tmp_path, debtors(), by=users["controller"], dry_run=True)
    assert result.summary() == {
        "content": "customers",
        "dry_run": True,
        "rows": 4,
        "added": 4,
        "changed": 0,
        "unchanged": 0,
        "invalid": 0,
        "conflicts": 0,
        "duplicates": 0,
        "import_id": None,
    }
    assert [a["number"] for a in result.added] == ["10000", "10010", "10011", "20000"]
    assert not Customer.objects.exists()
    assert not ImportRun.objects.exists()


def test_an_import_creates_the_customers_with_addresses_groups_and_industries(
    tmp_path: Path, users
) -> None:
    result = import_debtors(tmp_path, debtors(), by=users["controller"])
    assert result.summary()["added"] == 4
    holding = Customer.objects.get(number="10000")
    assert holding.name == "Brenner Holding GmbH & Co. KG"
    assert holding.legal_form == "GmbH & Co. KG"
    assert holding.employees == 1250
    assert holding.size_class == "large"
    assert holding.register_number == "HRA 7001"
    assert holding.vat_id == vat("12345678")
    assert holding.owner == users["kam"]
    assert holding.segment == "A-Kunde"
    assert [i.code for i in holding.industries.all()] == ["64"]
    middle = Customer.objects.get(number="10010")
    assert middle.parent == holding
    assert middle.owner == users["kam"]  # found by e-mail
    assert Customer.objects.get(number="10011").parent == middle
    kinds = {a.kind: (a.street, a.postal_code, a.city) for a in middle.addresses.all()}
    assert kinds == {
        AddressKind.HEADQUARTERS: ("Am Hafen 12", "28217", "Bremen"),
        AddressKind.DELIVERY: ("Lagerweg", "28219", "Bremen"),
    }
    huber = Customer.objects.get(number="20000")
    assert huber.legal_form == "e.K."
    assert huber.addresses.get().country == "AT"
    history = Customer.history.filter(id=holding.pk)
    assert [(h.history_type, h.history_change_reason) for h in history] == [
        ("+", f"import:{result.run_id}")
    ]


def test_the_same_file_again_is_unchanged_and_writes_nothing(tmp_path: Path, users) -> None:
    import_debtors(tmp_path, debtors())
    rows_before = Customer.history.count()
    stamps = dict(Customer.objects.values_list("number", "updated_at"))
    again = import_debtors(tmp_path, debtors())
    assert again.summary()["unchanged"] == 4
    assert (again.summary()["added"], again.summary()["changed"]) == (0, 0)
    assert Customer.history.count() == rows_before
    assert dict(Customer.objects.values_list("number", "updated_at")) == stamps
    assert not MasterChange.objects.exists()
    assert again.run_id is None
    assert ImportRun.objects.count() == 1


def changed_five(rows: list[list[str]]) -> list[list[str]]:
    rows = [list(r) for r in rows]
    rows[0][12] = "1.300"  # employees
    rows[1][6] = "Bremerhaven"  # city of the headquarters
    rows[1][14] = ""  # no key account manager any more
    rows[2][13] = "10000"  # moved up in the group
    rows[3][15] = "B-Kunde"  # segment
    return rows


def test_five_changed_fields_are_reported_and_changed_with_history_naming_the_import(
    tmp_path: Path, users
) -> None:
    import_debtors(tmp_path, debtors())
    result = import_debtors(tmp_path, changed_five(debtors()), by=users["controller"])
    changes = {c["number"]: c["fields"] for c in result.changed}
    assert changes == {
        "10000": {"employees": ["1250", "1300"]},
        "10010": {
            "address_headquarters": [
                "Am Hafen 12\n28217\nBremen\nDE",
                "Am Hafen 12\n28217\nBremerhaven\nDE",
            ],
            "owner": ["kam", ""],
        },
        "10011": {"parent": ["10010", "10000"]},
        "20000": {"segment": ["C-Kunde", "B-Kunde"]},
    }
    assert result.summary()["unchanged"] == 0
    middle = Customer.objects.get(number="10010")
    assert middle.headquarters is not None
    assert middle.headquarters.city == "Bremerhaven"
    assert middle.owner is None
    assert Customer.objects.get(number="10011").parent.number == "10000"  # type: ignore[union-attr]
    reason = f"import:{result.run_id}"
    changed_rows = Customer.history.filter(history_type="~", history_change_reason=reason)
    assert sorted(changed_rows.values_list("number", flat=True)) == [
        "10000", "10010", "10011", "20000"
    ]  # fmt: skip
    assert ImportReasons().author(reason) == f"ERP-Import Nr. {result.run_id}"


def test_a_field_edited_in_kundenbild_is_a_conflict_and_kept(tmp_path: Path, users) -> None:
    import_debtors(tmp_path, debtors())
    huber = Customer.objects.get(number="20000")
    data = CustomerData(number=huber.number, name="Huber Landtechnik e.K.", legal_form="e.K.")
    customer_update(customer=huber, data=data, by=users["kam"], expected_version=None)
    rows = debtors()
    rows[3][1] = "Huber Agrar e.K."  # the ERP renamed it too
    result = import_debtors(tmp_path, rows)
    assert [(c["number"], c["field"], c["kundenbild"], c["erp"]) for c in result.conflicts] == [
        ("20000", "name", "Huber Landtechnik e.K.", "Huber Agrar e.K.")
    ]
    assert Customer.objects.get(number="20000").name == "Huber Landtechnik e.K."
    assert import_debtors(tmp_path, rows).summary()["conflicts"] == 0  # reported once


def test_a_conflict_takes_the_erp_value_when_the_user_says_so(tmp_path: Path, users) -> None:
    import_debtors(tmp_path, debtors())
    huber = Customer.objects.get(number="20000")
    data = CustomerData(number=huber.number, name="Huber Landtechnik e.K.", legal_form="e.K.")
    customer_update(customer=huber, data=data, by=users["kam"], expected_version=None)
    rows = debtors()
    rows[3][1] = "Huber Agrar e.K."
    result = import_debtors(tmp_path, rows, overwrite=["20000:name"])
    assert result.conflicts[0]["overwritten"] is True
    assert Customer.objects.get(number="20000").name == "Huber Agrar e.K."


def test_a_field_only_kundenbild_changed_stays_when_the_erp_did_not(tmp_path: Path, users) -> None:
    import_debtors(tmp_path, debtors())
    huber = Customer.objects.get(number="20000")
    data = CustomerData(number=huber.number, name="Huber Landtechnik e.K.", legal_form="e.K.")
    customer_update(customer=huber, data=data, by=users["kam"], expected_version=None)
    result = import_debtors(tmp_path, debtors())
    assert result.summary()["unchanged"] == 4
    assert Customer.objects.get(number="20000").name == "Huber Landtechnik e.K."


def test_rolling_back_restores_every_changed_field(tmp_path: Path, users) -> None:
    import_debtors(tmp_path, debtors())

    def snapshot() -> dict[str, tuple[object, ...]]:
        return {
            c.number: (
                c.name, c.employees, c.owner_id, c.parent_id, c.segment, c.erp_values,
                sorted((a.kind, a.street, a.city) for a in c.addresses.all()),
            )
            for c in Customer.objects.prefetch_related("addresses")
        }  # fmt: skip

    before = snapshot()
    result = import_debtors(tmp_path, changed_five(debtors()), by=users["controller"])
    assert snapshot() != before
    import_rollback(run=ImportRun.objects.get(pk=result.run_id), by=users["controller"])
    assert snapshot() == before


def test_rolling_back_the_first_import_removes_the_customers_it_created(
    tmp_path: Path, users
) -> None:
    result = import_debtors(tmp_path, debtors())
    import_rollback(run=ImportRun.objects.get(pk=result.run_id), by=None)
    assert not Customer.objects.exists()


def test_invalid_rows_are_named_and_nothing_is_written(tmp_path: Path, users) -> None:
    rows = debtors()
    rows[0][8] = "DE123456789"  # wrong check digit
    rows[1][5] = "2821"  # four digits: no German postal code
    rows[2][13] = "99999"  # a parent nobody has
    rows[3][14] = "nobody"
    with pytest.raises(MasterImportRefusedError) as refused:
        import_debtors(tmp_path, rows)
    problems = [(p.row, p.column, p.value) for p in refused.value.result.problems]
    assert problems == [
        (2, "USt-IdNr.", "DE123456789"),
        (3, "PLZ", "2821"),
        (4, "Konzern", "99999"),
        (5, "Betreuer", "nobody"),
    ]
    assert refused.value.result.invalid == 4
    assert not Customer.objects.exists()
    assert not ImportRun.objects.exists()


def test_a_parent_circle_through_the_database_is_refused(tmp_path: Path, users) -> None:
    import_debtors(tmp_path, debtors())
    rows = [debtors()[0]]
    rows[0][13] = "10011"  # the holding below its own grandchild
    with pytest.raises(MasterImportRefusedError) as refused:
        import_debtors(tmp_path, rows)
    assert [(p.row, p.column) for p in refused.value.result.problems] == [(2, "Konzern")]


def test_a_customer_a_sales_import_created_is_filled_in_by_the_customer_import(
    tmp_path: Path, users
) -> None:
    import_file(write_german_csv(tmp_path / "umsatz.csv"), by=None, create_missing=True)
    created = Customer.objects.get(number="K-100")
    assert created.master_data_missing
    rows = [["K-100", "Kessler Maschinenbau GmbH", *[""] * 17]]
    result = import_debtors(tmp_path, rows)
    assert [c["number"] for c in result.changed] == ["K-100"]
    filled = Customer.objects.get(number="K-100")
    assert (filled.name, filled.legal_form, filled.master_data_missing) == (
        "Kessler Maschinenbau GmbH",
        "GmbH",
        False,
    )
    import_rollback(run=ImportRun.objects.get(pk=result.run_id), by=None)
    assert Customer.objects.get(number="K-100").master_data_missing


def test_an_excel_file_imports_the_same(tmp_path: Path, users) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in debtors():
        sheet.append(row)
    path = tmp_path / "debitoren.xlsx"
    book.save(path)
    result = import_master_file(path, "customers", by=None)
    assert result.summary()["added"] == 4
    assert Customer.objects.get(number="10011").parent.number == "10010"  # type: ignore[union-attr]


def test_the_api_imports_customers_and_answers_with_the_report(
    tmp_path: Path, users, api_client_for
) -> None:
    api = api_client_for("controller")
    path = write_debtors(tmp_path / "debitoren.csv", debtors())

    def post(**form: object):  # type: ignore[no-untyped-def]
        with path.open("rb") as f:
            return api.post("/api/imports/customers", {"file": f, **form})

    dry = post(dry_run="true")
    assert dry.status_code == 200
    assert (dry.json()["added"], dry.json()["import_id"]) == (4, None)
    done = post()
    assert done.status_code == 201
    assert ImportRun.objects.get(pk=done.json()["import_id"]).content == "customers"
    again = post()
    assert (again.status_code, again.json()["unchanged"], again.json()["import_id"]) == (
        200,
        4,
        None,
    )
    rows = debtors()
    rows[0][8] = "DE123456789"
    write_debtors(path, rows)
    refused = post()
    assert refused.status_code == 422
    assert refused.json()["problems"][0]["column"] == "USt-IdNr."


def test_only_who_may_import_may_import_customers(tmp_path: Path, users, api_client_for) -> None:
    path = write_debtors(tmp_path / "debitoren.csv", debtors())
    with path.open("rb") as f:
        answer = api_client_for("kam").post("/api/imports/customers", {"file": f})
    assert answer.status_code == 403
    assert not Customer.objects.exists()


def test_planted_duplicates_are_flagged_in_the_dry_run(tmp_path: Path, users) -> None:
    import_debtors(tmp_path, debtors())
    rows = debtors()
    twin = list(rows[0])
    twin[0], twin[1], twin[2] = "10099", "Brenner Beteiligungen", "GmbH"  # same VAT ID
    lookalike = list(rows[1])  # same postal code, the name spelled differently
    lookalike[0], lookalike[1], lookalike[8] = "10098", "Brenner Antriebe G.m.b.H.", ""
    lookalike[13] = ""
    result = import_debtors(tmp_path, [*rows, twin, lookalike], dry_run=True)
    flagged = {(d["number"], d["other_number"], d["reason"]) for d in result.duplicates}
    assert flagged == {("10099", "10000", "vat_id"), ("10098", "10010", "name_postal_code")}
    assert result.summary()["duplicates"] == 2


def test_the_history_page_names_the_erp_import_as_the_author_of_a_change(
    tmp_path: Path, users, client_for
) -> None:
    import_debtors(tmp_path, debtors())
    result = import_debtors(tmp_path, changed_five(debtors()), by=users["controller"])
    holding = Customer.objects.get(number="10000")
    page = client_for("management").get(reverse("profile:customer-history", args=[holding.pk]))
    text = page.content.decode()
    assert f"ERP-Import Nr. {result.run_id}" in text
    assert f"Geändert durch Import Nr. {result.run_id} der Datei debitoren.csv." in text


def test_the_customer_page_says_no_master_data_yet_until_a_customer_import(
    tmp_path: Path, users, client_for
) -> None:
    import_file(write_german_csv(tmp_path / "umsatz.csv"), by=None, create_missing=True)
    customer = Customer.objects.get(number="K-100")
    url = reverse("profile:customer-detail", args=[customer.pk])
    assert "noch keine Stammdaten" in client_for("management").get(url).content.decode()
    import_debtors(tmp_path, [["K-100", "Kessler Maschinenbau GmbH", *[""] * 17]])
    page = client_for("management").get(url).content.decode()
    assert "noch keine Stammdaten" not in page
    assert "Kessler Maschinenbau GmbH" in page


def test_a_flagged_twin_merged_into_its_original_takes_everything_along(
    tmp_path: Path, users
) -> None:
    from django.db.models import Sum

    from kundenbild.buying_center.models import Contact
    from kundenbild.customers.merge import customer_merge
    from kundenbild.finance.models import SalesLine
    from tests.factories import SalesLineFactory

    rows = debtors()
    twin = list(rows[0])
    twin[0], twin[1], twin[2], twin[13] = "10099", "Brenner Beteiligungen", "GmbH", ""
    import_debtors(tmp_path, [*rows, twin])
    flagged = import_debtors(tmp_path, [*rows, twin], dry_run=True).duplicates
    assert [(d["number"], d["other_number"], d["reason"]) for d in flagged] == [
        ("10099", "10000", "vat_id")
    ]
    original, duplicate = (Customer.objects.get(number=n) for n in ("10000", "10099"))
    for customer in (original, duplicate):
        SalesLineFactory.create_batch(3, customer=customer)
        Contact.objects.create(customer=customer, last_name=f"Person {customer.number}")
    revenue = SalesLine.objects.aggregate(total=Sum("net_revenue"))["total"]
    customer_merge(survivor=original, duplicate=duplicate, by=users["management"])
    assert not Customer.objects.filter(number="10099").exists()
    assert SalesLine.objects.filter(customer=original).count() == 6
    assert SalesLine.objects.aggregate(total=Sum("net_revenue"))["total"] == revenue
    assert Contact.objects.filter(customer=original).count() == 2


def test_a_sales_mapping_never_takes_the_name_of_a_customer_mapping(users) -> None:
    from kundenbild.core.errors import ApplicationError
    from kundenbild.imports.models import ImportMapping
    from kundenbild.imports.services import mapping_save

    ImportMapping.objects.create(name="ERP", content="customers", columns={"number": "Debitor"})
    with pytest.raises(ApplicationError):
        mapping_save(name="ERP", columns={"customer_number": "Kunde"}, dialect={}, by=None)
    assert ImportMapping.objects.get(name="ERP").columns == {"number": "Debitor"}
