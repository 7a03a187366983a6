"""An article list imported by article number: added, changed, unchanged, refused, and
rolled back, on the real database."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kundenbild.imports.master.services import MasterImportRefusedError, import_master_file
from kundenbild.imports.models import ImportRun
from kundenbild.imports.services import import_rollback
from kundenbild.offerings.models import Offering, OfferingGroup

pytestmark = pytest.mark.django_db

HEADER = ["Artikelnummer", "Bezeichnung", "Bezeichnung EN", "Warengruppe", "Art", "Einheit"]


def articles() -> list[list[str]]:
    return [
        ["A-1", "Sechskantschraube M8", "Hex bolt M8", "Verbindungstechnik", "Ware", "Stück"],
        ["A-2", "Hydraulikschlauch 2 m", "", "Hydraulik", "Produkt", "Stück"],
        ["S-1", "Wartung Hydraulik", "Hydraulic maintenance", "Service", "Dienstleistung", "h"],
    ]


def import_articles(tmp_path: Path, rows: list[list[str]], **options):  # type: ignore[no-untyped-def]
    path = tmp_path / "artikel.csv"
    with path.open("w", encoding="cp1252", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(rows)
    return import_master_file(path, "offerings", by=None, **options)


def test_an_article_list_creates_the_offerings_and_their_groups(tmp_path: Path) -> None:
    result = import_articles(tmp_path, articles())
    assert result.summary()["added"] == 3
    service = Offering.objects.get(number="S-1")
    assert (service.name_de, service.name_en, service.kind, service.unit) == (
        "Wartung Hydraulik",
        "Hydraulic maintenance",
        "service",
        "h",
    )
    assert service.group.name_de == "Service"
    assert set(OfferingGroup.objects.values_list("name_de", flat=True)) >= {
        "Verbindungstechnik",
        "Hydraulik",
        "Service",
    }
    assert Offering.history.filter(history_change_reason=f"import:{result.run_id}").count() == 3


def test_the_same_list_again_changes_nothing_and_a_changed_one_changes_exactly_that(
    tmp_path: Path,
) -> None:
    import_articles(tmp_path, articles())
    again = import_articles(tmp_path, articles())
    assert (again.summary()["unchanged"], again.run_id) == (3, None)
    rows = articles()
    rows[1][2] = "Hydraulic hose 2 m"
    rows[2][3] = "Dienstleistungen"
    changed = import_articles(tmp_path, rows)
    assert {c["number"]: c["fields"] for c in changed.changed} == {
        "A-2": {"name_en": ["", "Hydraulic hose 2 m"]},
        "S-1": {"group": ["Service", "Dienstleistungen"]},
    }
    assert Offering.objects.get(number="S-1").group.name_de == "Dienstleistungen"
    import_rollback(run=ImportRun.objects.get(pk=changed.run_id), by=None)
    assert Offering.objects.get(number="S-1").group.name_de == "Service"
    assert Offering.objects.get(number="A-2").name_en == ""


def test_a_name_renamed_in_kundenbild_and_in_the_erp_is_a_conflict_and_kept(
    tmp_path: Path,
) -> None:
    import_articles(tmp_path, articles())
    Offering.objects.filter(number="A-1").update(name_de="Schraube M8 (Aktion)")
    rows = articles()
    rows[0][1] = "Sechskantschraube M8 verzinkt"
    result = import_articles(tmp_path, rows)
    assert [(c["number"], c["field"]) for c in result.conflicts] == [("A-1", "name")]
    assert Offering.objects.get(number="A-1").name_de == "Schraube M8 (Aktion)"


def test_unknown_kinds_and_numbers_twice_are_refused_with_their_rows(tmp_path: Path) -> None:
    rows = articles()
    rows[1][4] = "Zauberei"
    rows.append(["A-1", "Doppelt", "", "Hydraulik", "Ware", ""])
    with pytest.raises(MasterImportRefusedError) as refused:
        import_articles(tmp_path, rows)
    assert [(p.row, p.column) for p in refused.value.result.problems] == [
        (3, "Art"),
        (5, "Artikelnummer"),
    ]
    assert not Offering.objects.exists()


def test_rolling_back_the_first_list_removes_the_offerings_it_created(tmp_path: Path) -> None:
    result = import_articles(tmp_path, articles())
    import_rollback(run=ImportRun.objects.get(pk=result.run_id), by=None)
    assert not Offering.objects.exists()
