"""People from a CRM export: matched by e-mail address or by customer and name, with
buying roles and who of us knows them; changed, refused, flagged and rolled back."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kundenbild.buying_center.models import Contact
from kundenbild.imports.master.services import MasterImportRefusedError, import_master_file
from kundenbild.imports.models import ImportRun
from kundenbild.imports.services import import_rollback
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "Kundennummer", "Anrede", "Titel", "Vorname", "Nachname", "Funktion", "Abteilung",
    "E-Mail", "Telefon", "Mobil", "Rolle", "Einfluss", "Haltung", "Bekannt mit",
]  # fmt: skip


def people() -> list[list[str]]:
    return [
        ["K-1", "Frau", "Dr.", "Eva", "Roth", "Leiterin Einkauf", "Einkauf",
         "Eva.Roth@kessler.de", "+49 711 4711", "", "Entscheider, Einkäufer", "hoch",
         "Befürworter", "kam"],
        ["K-1", "Herr", "", "Jan", "Wolf", "Instandhaltung", "Technik", "", "", "0171 2345",
         "Anwender", "mittel", "neutral", ""],
        ["K-2", "Herr", "", "Ali", "Kaya", "Geschäftsführer", "", "a.kaya@huber.de", "", "",
         "Entscheider", "hoch", "Skeptiker", "kam@example.com; sales"],
    ]  # fmt: skip


@pytest.fixture
def customers(db):  # type: ignore[no-untyped-def]
    return [CustomerFactory(number="K-1"), CustomerFactory(number="K-2")]


def import_people(tmp_path: Path, rows: list[list[str]], **options):  # type: ignore[no-untyped-def]
    path = tmp_path / "kontakte.csv"
    with path.open("w", encoding="cp1252", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(rows)
    return import_master_file(path, "people", by=None, **options)


def test_people_are_added_to_their_customers_with_roles_and_who_knows_them(
    tmp_path: Path, users, customers
) -> None:
    result = import_people(tmp_path, people())
    assert result.summary()["added"] == 3
    roth = Contact.objects.get(email="eva.roth@kessler.de")
    assert (roth.salutation, roth.title, roth.customer.number, roth.influence) == (
        "ms",
        "Dr.",
        "K-1",
        "high",
    )
    assert sorted(r.code for r in roth.buying_roles.all()) == ["buyer", "decider"]
    assert [a.user.username for a in roth.acquaintances.all()] == ["kam"]
    kaya = Contact.objects.get(email="a.kaya@huber.de")
    assert sorted(a.user.username for a in kaya.acquaintances.all()) == ["kam", "sales"]
    assert Contact.objects.get(last_name="Wolf").mobile == "0171 2345"


def test_the_same_file_is_unchanged_and_a_change_is_found_by_email_or_by_name(
    tmp_path: Path, users, customers
) -> None:
    import_people(tmp_path, people())
    assert import_people(tmp_path, people()).summary()["unchanged"] == 3
    rows = people()
    rows[0][5] = "Geschäftsführerin"  # found by e-mail
    rows[1][8] = "+49 711 999"  # Jan Wolf has no e-mail: found by customer and name
    rows[2][13] = "kam"  # sales no longer knows him
    result = import_people(tmp_path, rows)
    assert {c["name"]: c["fields"] for c in result.changed} == {
        "Eva Roth": {"function": ["Leiterin Einkauf", "Geschäftsführerin"]},
        "Jan Wolf": {"phone": ["", "+49 711 999"]},
        "Ali Kaya": {"known_by": ["kam,sales", "kam"]},
    }
    assert Contact.objects.count() == 3
    kaya = Contact.objects.get(email="a.kaya@huber.de")
    assert [a.user.username for a in kaya.acquaintances.all()] == ["kam"]
    import_rollback(run=ImportRun.objects.get(pk=result.run_id), by=None)
    assert sorted(a.user.username for a in kaya.acquaintances.all()) == ["kam", "sales"]
    assert Contact.objects.get(email="eva.roth@kessler.de").function == "Leiterin Einkauf"


def test_an_email_two_people_share_in_kundenbild_is_flagged(
    tmp_path: Path, users, customers
) -> None:
    Contact.objects.create(customer=customers[0], last_name="Roth", email="eva.roth@kessler.de")
    Contact.objects.create(customer=customers[1], last_name="Roth", email="eva.roth@kessler.de")
    result = import_people(tmp_path, people(), dry_run=True)
    assert {(d["number"], d["reason"]) for d in result.duplicates} == {
        ("eva.roth@kessler.de", "email")
    }


def test_unknown_customers_users_and_bad_emails_are_refused(
    tmp_path: Path, users, customers
) -> None:
    rows = people()
    rows[0][0] = "K-9"
    rows[1][7] = "jan.wolf(at)kessler.de"
    rows[2][13] = "nobody"
    with pytest.raises(MasterImportRefusedError) as refused:
        import_people(tmp_path, rows)
    assert [(p.row, p.column) for p in refused.value.result.problems] == [
        (2, "Kundennummer"),
        (3, "E-Mail"),
        (4, "Bekannt mit"),
    ]
    assert not Contact.objects.exists()


def test_rolling_back_the_first_import_removes_the_people_it_created(
    tmp_path: Path, users, customers
) -> None:
    result = import_people(tmp_path, people())
    import_rollback(run=ImportRun.objects.get(pk=result.run_id), by=None)
    assert not Contact.objects.exists()
