"""Issue 20's acceptance: an empty installation onboarded from a company's own exports,
the way IT would do it on the command line, from German cp1252 CSV and from Excel:

1. 300 offerings (the article list),
2. 5,000 customers in groups three levels deep (the debtor export),
3. 12,000 people (the CRM's contact export),
4. then a year of sales lines,

each without an invalid row; then the customer list shows names, cities and
industries, and the group tree is the export's. Each import runs as its own
`kundenbild` process against a database of its own, as in production.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from kundenbild.demo.exports import write_master_exports, write_sales_export
from kundenbild.demo.generator import offerings

CUSTOMERS = 5_000
PEOPLE = 12_000
ARTICLES = 300

CHECK = """
import json
from django.test import Client
from kundenbild.accounts.models import User
from kundenbild.customers.models import Customer
sample = json.loads(input())
client = Client(SERVER_NAME="localhost")
client.force_login(User.objects.get(username="management"))
shown = {}
for number in sample:
    customer = Customer.objects.get(number=number)
    page = client.get("/customers/", {"q": customer.name}).content.decode()
    shown[number] = {
        "name": customer.name in page.replace("&amp;", "&"),
        "city": customer.addresses.get(kind="headquarters").city in page,
        "industry": customer.industries.get().code in page,
    }
parents = dict(Customer.objects.values_list("number", "parent__number"))
print(json.dumps({"shown": shown, "parents": parents}))
"""


def kundenbild(*args: str, env: dict[str, str], stdin: str = "") -> str:
    done = subprocess.run(
        [sys.executable, "-m", "kundenbild.cli", *args],
        env=env, capture_output=True, text=True, input=stdin, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def rows_of(path: Path) -> list[list[str]]:
    if path.suffix == ".xlsx":
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        return [[str(cell) for cell in row] for row in sheet]
    with path.open(encoding="cp1252", newline="") as f:
        return list(csv.reader(f, delimiter=";"))


@pytest.fixture(scope="module")
def empty_installation(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty installation, copied for each test (migrating takes a while)."""
    folder = tmp_path_factory.mktemp("empty") / "installation"
    env = {k: v for k, v in os.environ.items() if k != "KUNDENBILD_DATABASE_URL"}
    kundenbild("manage", "migrate", "-v0", env={**env, "KUNDENBILD_DATA_DIR": str(folder)})
    return folder


@pytest.mark.parametrize("excel", [False, True], ids=["cp1252-csv", "xlsx"])
def test_an_empty_installation_is_onboarded_from_the_companys_exports(
    tmp_path: Path, excel: bool, empty_installation: Path
) -> None:
    files = write_master_exports(
        tmp_path / "files",
        customers=CUSTOMERS,
        extra_articles=ARTICLES - len(offerings()),
        people=PEOPLE,
        excel=excel,
    )
    sales = tmp_path / f"umsatz.{'xlsx' if excel else 'csv'}"
    lines = write_sales_export(sales, customers=CUSTOMERS, years=1, excel=excel)
    env = {k: v for k, v in os.environ.items() if k != "KUNDENBILD_DATABASE_URL"}
    env["KUNDENBILD_DATA_DIR"] = str(tmp_path / "installation")
    shutil.copytree(empty_installation, tmp_path / "installation")
    expected = {"offerings": ARTICLES, "customers": CUSTOMERS, "people": PEOPLE}
    for kind in ("offerings", "customers", "people"):
        summary = json.loads(kundenbild(f"import-{kind}", str(files[kind]), "--json", env=env))
        assert (summary["added"], summary["invalid"]) == (expected[kind], 0), summary
    summary = json.loads(kundenbild("import-sales", str(sales), "--json", env=env))
    assert (summary["lines_added"], summary["customers_created"]) == (lines, 0), summary
    again = json.loads(kundenbild("import-customers", str(files["customers"]), "--json", env=env))
    assert (again["unchanged"], again["import_id"]) == (CUSTOMERS, None)

    debtors = rows_of(files["customers"])
    header = debtors[0]
    number, parent = header.index("Debitor"), header.index("Konzern")
    in_groups = [r for r in debtors[1:] if r[parent]]
    sample = [in_groups[0][number], in_groups[-1][number], debtors[1][number]]
    kundenbild("manage", "shell", "-c", _user_script(), env=env)
    checked = kundenbild("manage", "shell", "-c", CHECK, env=env, stdin=json.dumps(sample))
    facts = json.loads(checked.strip().splitlines()[-1])
    assert all(all(seen.values()) for seen in facts["shown"].values()), facts["shown"]
    assert facts["parents"] == {r[number]: r[parent] or None for r in debtors[1:]}
    depth = _depths(facts["parents"])
    assert max(depth.values()) == 2  # three levels: holding, subsidiary, its subsidiary


def _user_script() -> str:
    return (
        "from kundenbild.accounts.services import roles_ensure_standard, role_get\n"
        "from kundenbild.accounts.models import User\n"
        "roles_ensure_standard()\n"
        "User.objects.create_user('management', password='x', role=role_get('management'))"
    )


def _depths(parents: dict[str, str | None]) -> dict[str, int]:
    depth = {}
    for number in parents:
        above, levels = parents[number], 0
        while above:
            above, levels = parents[above], levels + 1
        depth[number] = levels
    return depth


EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def test_the_example_exports_are_the_demos_companies_as_the_generator_writes_them(
    tmp_path: Path,
) -> None:
    written = write_master_exports(tmp_path, customers=250)
    for path in written.values():
        assert path.read_bytes() == (EXAMPLES / path.name).read_bytes(), path.name


@pytest.mark.django_db
def test_the_example_exports_import_without_an_invalid_row(users) -> None:  # type: ignore[no-untyped-def]
    from kundenbild.imports.master.services import import_master_file

    for kind, name in (
        ("customers", "debitoren"),
        ("people", "kontakte"),
        ("offerings", "artikel"),
    ):
        result = import_master_file(EXAMPLES / f"{name}.csv", kind, by=None)
        assert result.invalid == 0
        assert result.summary()["added"] == result.rows_in_file
