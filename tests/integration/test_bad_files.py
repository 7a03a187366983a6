"""Bad files through every door (command line, API, import page): a clear refusal in the
user's language, never a 500 or a traceback, nothing in the database, the server up."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from typer.testing import CliRunner

from kundenbild.cli import app
from kundenbild.customers.models import Customer
from kundenbild.finance.models import SalesLine
from kundenbild.imports.models import ImportRun
from kundenbild.offerings.models import Offering
from tests.bad_files import BAD_FILES
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

# case: (API status, code, a German fragment of the message)
EXPECTED = {
    "empty": (400, "empty", "Die Datei ist leer."),
    "binary": (400, "binary", "enthält Binärdaten"),
    "image_named_csv": (400, "binary", "enthält Binärdaten"),
    "empty_xlsx": (400, "not_xlsx", "keine Excel-Arbeitsmappe"),
    "text_named_xlsx": (400, "not_xlsx", "keine Excel-Arbeitsmappe"),
    "csv_named_parquet": (400, "not_parquet", "keine Parquet-Datei"),
    "xlsx_named_csv": (400, "binary", "enthält Binärdaten"),
    "truncated_csv": (400, "not_csv", "nicht als CSV lesen"),
    "truncated_xlsx": (400, "not_xlsx", "keine Excel-Arbeitsmappe"),
    "corrupt_parquet": (400, "not_parquet", "keine Parquet-Datei"),
    "zip_bomb": (413, "too_large_unpacked", "Entpackt wäre die Datei 1024 MB groß"),
    "huge_header_200000_columns": (400, "too_many_columns", "Die Datei hat 200000 Spalten"),
    "10000_columns": (400, "too_many_columns", "Die Datei hat 10000 Spalten"),
    "1mb_cell": (400, "cell_too_long", "Zeile 3, Spalte „Artikel“: Eine Zelle hat 1048576"),
    "invalid_utf8": (400, "not_csv", "nicht als CSV lesen"),
    "mixed_encodings": (400, "mixed_encoding", "mischt zwei Kodierungen"),
    "impossible_date": (422, "invalid_rows", "1 Zeile ist ungültig"),
    "numbers_out_of_range": (422, "invalid_rows", "2 Zeilen sind ungültig"),
    "xlsx_formulas_and_merged_cells": (422, "invalid_rows", "1 Zeile ist ungültig"),
}
# Django's own form field refuses an empty file before we see it
ON_THE_PAGE = {
    "empty": "Die übertragene Datei ist leer.",
    "empty_xlsx": "Die übertragene Datei ist leer.",
}
# the refused cells of the files that are read, but not imported
PROBLEMS = {
    "impossible_date": {(3, "Rechnungsdatum", "31.02.2026", "ist kein Datum")},
    "numbers_out_of_range": {
        (3, "Nettoumsatz", "1.000.000.000.000.000,00", "ist zu groß"),
        (4, "Menge", "9" * 100 + "…", "ist zu groß"),
    },
    "xlsx_formulas_and_merged_cells": {
        (3, "Kundennummer", "", "ist leer"),
        (3, "Nettoumsatz", "", "ist leer"),
    },
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every bad file, made once for the module (the zip bomb takes a second)."""
    made = {}
    for name, make in BAD_FILES.items():
        folder = tmp_path_factory.mktemp(name)
        made[name] = make(folder)
    return made


@pytest.fixture(autouse=True)
def _known_customer(db: None) -> None:
    CustomerFactory(number="K-1")


def written() -> tuple[int, ...]:
    return (
        SalesLine.objects.count(),
        ImportRun.objects.count(),
        Customer.objects.count(),
        Offering.objects.count(),
    )


def test_the_corpus_has_every_case_of_the_issue() -> None:
    assert set(EXPECTED) == set(BAD_FILES)


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_the_api_refuses_with_json(case: str, corpus: dict[str, Path], api_client_for) -> None:
    client = api_client_for("controller")
    before = written()
    status, code, german = EXPECTED[case]
    with corpus[case].open("rb") as f:
        answer = client.post("/api/imports/", {"file": f, "create_missing": "true"})
    assert answer.status_code == status
    assert answer["Content-Type"].startswith("application/json")
    body = answer.json()
    assert body["code"] == code
    assert german in body["detail"]
    assert len(answer.content) < 20_000  # no file's worth of headers in the message
    if case in PROBLEMS:
        assert {
            (p["row"], p["column"], p["value"], p["message"]) for p in body["problems"]
        } == PROBLEMS[case]
    assert written() == before
    assert client.get("/api/imports/").status_code == 200  # the server is still up


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_the_import_page_shows_why_in_the_form(
    case: str, corpus: dict[str, Path], client_for, settings, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path
    client = client_for("controller")
    before = written()
    status, _code, german = EXPECTED[case]
    german = ON_THE_PAGE.get(case, german)
    upload = SimpleUploadedFile(corpus[case].name, corpus[case].read_bytes())
    page = client.post(reverse("imports:upload"), {"file": upload, "create_missing": "on"})
    assert page.status_code == status
    assert german in page.content.decode()
    assert len(page.content) < 200_000
    waiting = list((tmp_path / "uploads").glob("*"))
    if status == 422:  # read, but refused: kept for the user to correct the mapping
        assert len(waiting) == 2  # the file and its sidecar
    else:
        assert page.context["form"].errors["file"]
        assert waiting == []  # a failed upload is removed at once
    assert written() == before
    assert client.get(reverse("imports:index")).status_code == 200


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_the_command_line_says_why_and_exits_with_1(case: str, corpus: dict[str, Path]) -> None:
    before = written()
    _status, _code, german = EXPECTED[case]
    result = CliRunner().invoke(
        app, ["import-sales", str(corpus[case]), "--create-missing"], env={"COLUMNS": "10000"}
    )
    assert result.exit_code == 1
    assert german in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
    assert written() == before


def test_a_file_over_the_upload_limit_is_refused_by_api_and_page(
    api_client_for, client_for, settings, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path
    settings.MAX_UPLOAD_BYTES = 1 << 20
    before = written()
    big = tmp_path / "gross.csv"
    big.write_bytes(b"Kundennummer;Datum;Umsatz\n" + b"K-1;15.01.2026;1,00\n" * 52_500)
    assert 0 < big.stat().st_size - (1 << 20) < 64 * 1024  # just over: read, then refused
    announced = tmp_path / "riesig.csv"  # well over the limit: refused before it is read
    announced.write_bytes(big.read_bytes() * 3)
    api = api_client_for("controller")
    page = client_for("controller")
    for path in (big, announced):
        with path.open("rb") as f:
            answer = api.post("/api/imports/", {"file": f})
        assert answer.status_code == 413
        assert answer.json() == {
            "code": "file_too_large",
            "detail": "Die Datei ist größer als 1 MB.",
        }
        # the exact size is checked by the form (400); an announced size before (413)
        status = 400 if path == big else 413
        for url, field in (
            (reverse("imports:upload"), "file"),
            (reverse("imports:costs"), "costs-file"),
        ):
            shown = page.post(url, {field: SimpleUploadedFile(path.name, path.read_bytes())})
            assert shown.status_code == status
            assert "Die Datei ist größer als 1 MB." in shown.content.decode()
    assert written() == before
    assert list(tmp_path.glob("uploads/*")) == []
