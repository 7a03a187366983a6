"""Customers and offerings an import creates: checked by their own services, each with a
history row naming the import, refused row by row, and removed again by the rollback."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.html import escape

from kundenbild.activities.models import Activity
from kundenbild.customers.models import Customer
from kundenbild.finance.models import SalesLine
from kundenbild.imports.models import ImportRun
from kundenbild.imports.services import ImportRefusedError, import_file, import_rollback
from kundenbild.offerings.models import Offering
from tests.factories import CustomerFactory
from tests.integration.test_import_sales import LINES, write_german_csv

pytestmark = pytest.mark.django_db

NEW = ["K-100", "K-200", "K-300"]  # the customers of LINES; none exists yet
ARTICLES = ["Dübel Ø10", "Schraube M8 verzinkt", "Wartung Hydraulik"]


def history_of(number: str) -> list[tuple[str, str | None, str | None]]:
    pk = Customer.objects.get(number=number).pk
    return [
        (
            h.history_type,
            h.history_change_reason,
            h.history_user.username if h.history_user else None,
        )
        for h in Customer.history.filter(id=pk).select_related("history_user")
    ]


def test_each_customer_an_import_creates_has_one_history_row_naming_it(
    tmp_path: Path, users
) -> None:
    result = import_file(
        write_german_csv(tmp_path / "umsatz.csv"), by=users["controller"], create_missing=True
    )
    assert sorted(result.customers_created) == NEW
    for number in NEW:
        assert history_of(number) == [("+", f"import:{result.run_id}", "controller")]
    assert Customer.objects.get(number="K-200").name == "Kunde K-200"
    offerings = Offering.objects.filter(number__in=ARTICLES)
    assert offerings.count() == 3
    assert {
        (h.history_type, h.history_change_reason)
        for h in Offering.history.filter(id__in=[o.pk for o in offerings])
    } == {("+", f"import:{result.run_id}")}
    assert Offering.history.count() == 3


def test_the_history_page_says_which_import_created_a_customer(
    tmp_path: Path, users, client_for
) -> None:
    result = import_file(
        write_german_csv(tmp_path / "umsatz.csv"), by=users["controller"], create_missing=True
    )
    customer = Customer.objects.get(number="K-100")
    url = reverse("profile:customer-history", args=[customer.pk])
    german = client_for("service").get(url).content.decode()
    assert f"Angelegt durch Import Nr. {result.run_id} der Datei umsatz.csv." in german
    assert escape(str(users["controller"])) in german  # who imported it
    users["kam"].language = "en"
    users["kam"].save()
    english = client_for("kam").get(url).content.decode()
    assert f"Created by import no. {result.run_id} of the file umsatz.csv." in english


def test_the_history_api_gives_the_reason_in_words(tmp_path: Path, users, api_client_for) -> None:
    result = import_file(write_german_csv(tmp_path / "umsatz.csv"), by=None, create_missing=True)
    customer = Customer.objects.get(number="K-300")
    (entry,) = api_client_for("kam").get(f"/api/customers/{customer.pk}/history").json()
    assert (entry["kind"], entry["who"]) == ("+", None)  # the command line: no user
    assert entry["reason"] == f"Angelegt durch Import Nr. {result.run_id} der Datei umsatz.csv."


def test_a_rollback_removes_what_the_import_created_and_dates_it_in_the_history(
    tmp_path: Path, users
) -> None:
    CustomerFactory(number="K-100")
    result = import_file(
        write_german_csv(tmp_path / "umsatz.csv"), by=users["controller"], create_missing=True
    )
    created = list(Customer.objects.filter(number__in=NEW[1:]).values_list("pk", flat=True))
    import_rollback(run=ImportRun.objects.get(pk=result.run_id), by=users["admin"])
    assert list(Customer.objects.values_list("number", flat=True)) == ["K-100"]
    assert not Offering.objects.exists()
    assert not SalesLine.objects.exists()
    for pk in created:
        rows = Customer.history.filter(id=pk).order_by("history_id")
        assert [(h.history_type, h.history_change_reason, h.history_user) for h in rows] == [
            ("+", f"import:{result.run_id}", users["controller"]),
            ("-", f"import-rollback:{result.run_id}", users["admin"]),
        ]
    assert Offering.history.filter(history_type="-").count() == 3


def test_a_rollback_keeps_a_created_customer_someone_has_worked_on(
    tmp_path: Path, users, client_for
) -> None:
    result = import_file(
        write_german_csv(tmp_path / "umsatz.csv"), by=users["controller"], create_missing=True
    )
    visited = Customer.objects.get(number="K-200")
    Activity.objects.create(customer=visited, kind="visit", subject="Antrittsbesuch")
    renamed = Customer.objects.get(number="K-300")
    client_for("management").post(
        reverse("customers:customer-update", args=[renamed.pk]),
        {"number": "K-300", "name": "Hydraulik Nord GmbH", "version": renamed.version},
    )
    import_rollback(run=ImportRun.objects.get(pk=result.run_id), by=users["controller"])
    assert sorted(Customer.objects.values_list("number", flat=True)) == ["K-200", "K-300"]
    html = (
        client_for("service")
        .get(reverse("profile:customer-history", args=[visited.pk]))
        .content.decode()
    )
    assert f"Import Nr. {result.run_id} der Datei umsatz.csv, der inzwischen" in html


def test_an_invalid_new_customer_number_is_refused_with_its_rows_and_nothing_written(
    tmp_path: Path, users
) -> None:
    lines = [*LINES, ("=HYPERLINK(1)", *LINES[0][1:3], 7, *LINES[0][4:])]
    with pytest.raises(ImportRefusedError) as refused:
        import_file(
            write_german_csv(tmp_path / "bad.csv", lines),
            by=users["controller"],
            create_missing=True,
        )
    result = refused.value.result
    (problem,) = result.problems
    assert (problem.row, problem.column, problem.value) == (7, "Kundennummer", "=HYPERLINK(1)")
    assert "keine gültige Kundennummer" in problem.message
    assert result.lines_invalid == 1
    assert not Customer.objects.exists()
    assert not Customer.history.exists()
    assert not Offering.objects.exists()
    assert not SalesLine.objects.exists()
    assert not ImportRun.objects.exists()
