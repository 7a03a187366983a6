"""Tables fit: on a 13" laptop every action stays in view and the important columns
show; on a phone the main tables turn into cards, one per row, each field with its label.

One demo load for the module: a single walk visits every page with a table as the key
account manager, the management and the administrator, at 1280 × 800 and at 390 × 844,
and reports every problem it finds at once.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page

from kundenbild.accounts.models import User
from kundenbild.buying_center.models import BuyingCenter, Contact
from kundenbild.buying_center.services import ContactData, contact_save
from kundenbild.chains.models import Chain
from kundenbild.customers.models import Customer
from kundenbild.demo.loader import load_demo
from kundenbild.imports.services import import_file
from kundenbild.insights.models import RunStatus
from kundenbild.insights.services import run_analysis
from tests.e2e.screens import LAPTOP, PHONE, sideways_overflow
from tests.e2e.test_journeys import login
from tests.e2e.test_profile_walkthrough import _reference_data
from tests.e2e.visible_actions import actions_out_of_view, assert_actions_in_view
from tests.integration.test_import_sales import write_german_csv

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


# Tables that become cards on a phone: page key → the data-testids of its tables.
CARD_TABLES = {
    "customer-list": ["customer-table"],
    "customer": ["people-table"],
    "buying-center": ["people-table"],
    "imports": ["import-list"],
    "coaching": ["focus-table"],
    "selection": ["selection-table"],
    "users": ["user-table"],
}

# The columns a key account manager needs at a glance: (page key, table, header).
MUST_SHOW = [
    ("customer", "people-table", "Letzter Kontakt"),
    ("buying-center", "people-table", "Letzter Kontakt"),
    ("buying-center", "people-table", "Haltung zu uns"),
]


def _demo(tmp_path: Path) -> dict[str, dict[str, str]]:
    """The demo, analysed, with one sales import (so that the imports list offers a
    rollback); the pages of its busiest customer of the key account manager."""
    _reference_data()
    load_demo(customers=25, seed=11)  # 25: the first with a customer in coaching
    import_file(
        write_german_csv(tmp_path / "umsatz.csv"),
        by=User.objects.get(username="admin"),
        create_missing=True,
    )
    run = run_analysis()
    assert run.status == RunStatus.DONE, run.error
    customer = max(
        Customer.objects.filter(owner__username="kam"),
        key=lambda c: Contact.objects.filter(customer=c).count(),
    )
    _a_person_with_everything_recorded(customer)
    chain = Chain.objects.order_by("pk").first()
    assert chain is not None
    c = customer.pk
    return {
        "kam": {
            "start": "/",
            "customer-list": "/customers/",
            "customer": f"/customers/{c}/",
            "buying-center": f"/buying-center/customers/{c}/",
            "activities": f"/activities/customers/{c}/",
            "finance": f"/finance/customers/{c}/",
            "potential": f"/potential/customers/{c}/",
            "fascination": f"/offerings/customers/{c}/",
            "group": f"/customers/{c}/group/",
            "history": f"/customers/{c}/history/",
            "coverage": "/buying-center/coverage/",
            "catalogue": "/offerings/",
            "matrix": "/offerings/matrix/",
            "chains": "/chains/",
            "chain": f"/chains/{chain.pk}/",
            "coaching": "/portfolio/coaching/",
            "selection": "/portfolio/selection/",
            "portfolio": "/portfolio/",
            "search": "/search/?q=a",
        },
        "management": {
            "coverage-all": "/buying-center/coverage/?all=1",
            "customer-list-all": "/customers/?owner=",
            "coaching-management": "/portfolio/coaching/",
        },
        "admin": {
            "imports": "/imports/",
            "users": "/accounts/users/",
            "security-log": "/accounts/security-log/",
            "runs": "/insights/runs/",
            "overhead-rates": "/finance/overhead-rates/",
            "settings": "/accounts/settings/",
        },
    }


def _a_person_with_everything_recorded(customer: Customer) -> None:
    """The widest row a buying center holds: an external adviser in a buying center, with
    long German words, three roles and two colleagues who know her."""
    centers = tuple(BuyingCenter.objects.filter(customer=customer).values_list("pk", flat=True))
    contact_save(
        customer=customer,
        data=ContactData(
            first_name="Annemarie",
            last_name="Schönberger-Hohenstein",
            function="Qualitätssicherungsbeauftragte",
            department="Instandhaltungsplanung",
            organisation="Ingenieurgesellschaft Schönberger",
            email="annemarie.schoenberger-hohenstein@ingenieurgesellschaft.example",
            phone="+49 911 1234567",
            mobile="+49 171 7654321",
            role_codes=("influencer", "gatekeeper", "decider"),
            influence="high",
            attitude="supporter",
            known_by_ids=tuple(
                User.objects.filter(username__in=["kam", "sales"]).values_list("pk", flat=True)
            ),
            last_contact_on=date(2026, 11, 18),
            buying_center_ids=centers[:1],
        ),
    )


_CARD_PROBLEMS = """
(table) => {
  const problems = [];
  const head = table.tHead;
  if (head && getComputedStyle(head).display !== "none")
    problems.push("its header row still shows");
  const row = table.tBodies[0] && table.tBodies[0].rows[0];
  if (!row) return ["it has no rows"];
  if (!["block", "grid"].includes(getComputedStyle(row).display))
    problems.push("its rows are no blocks");
  let labelled = 0;
  for (const cell of row.cells) {
    if (getComputedStyle(cell).display === "none" || !cell.innerText.trim()) continue;
    const label = cell.dataset.label || "";
    const before = getComputedStyle(cell, "::before").content;
    if (label && before === JSON.stringify(label)) labelled += 1;
    else if (label) problems.push(`the cell "${label}" shows ${before} as its label`);
  }
  if (labelled < 2) problems.push(`only ${labelled} cells of its first row show a label`);
  const right = row.getBoundingClientRect().right;
  if (right > document.documentElement.clientWidth + 1)
    problems.push(`its first card reaches x = ${Math.round(right)}`);
  return problems;
}
"""

_COLUMN_IN_VIEW = """
(table, header) => {
  const th = [...table.querySelectorAll("thead th")].find(
    (cell) => cell.innerText.trim() === header);
  if (!th) return "is missing";
  const r = th.getBoundingClientRect();
  if (!th.checkVisibility() || r.width === 0) return "is hidden";
  const box = (table.closest(".table-responsive") || document.documentElement)
    .getBoundingClientRect();
  const right = Math.min(box.right, document.documentElement.clientWidth);
  return r.left >= box.left - 1 && r.right <= right + 1 ? "" : `lies at x = ${Math.round(r.left)}`;
}
"""


def _check_page(page: Page, key: str, url: str, width: int) -> list[str]:
    """Every problem of one page at the current viewport width."""
    page.goto(url)
    page.wait_for_load_state("networkidle")
    problems = [f"{width} px {p}" for p in actions_out_of_view(page)]
    overflow = sideways_overflow(page)
    if overflow > 0:  # a wide table scrolls inside its box, never the page
        problems.append(f"{width} px {url}: the page is {overflow} px too wide")
    if key == "customer-list":  # the cards hide the sortable header: phones get a menu
        shown = page.get_by_test_id("sort-menu").is_visible()
        if shown != (width < 768):
            problems.append(f"{width} px {url}: the sort menu {'shows' if shown else 'is missing'}")
    if width < 768:
        for testid in CARD_TABLES.get(key, []):
            table = page.get_by_test_id(testid).first
            if not table.count():
                problems.append(f"{width} px {url}: no table {testid}")
                continue
            found = table.evaluate(_CARD_PROBLEMS)
            problems += [f"{width} px {url}: {testid}: {p}" for p in found]
    else:
        for page_key, testid, header in MUST_SHOW:
            if page_key == key:
                where = page.get_by_test_id(testid).first.evaluate(_COLUMN_IN_VIEW, header)
                if where:
                    problems.append(f'{width} px {url}: {testid}: "{header}" {where}')
    return problems


def test_every_table_fits_a_laptop_and_a_phone(page: Page, tmp_path: Path) -> None:
    pages = _demo(tmp_path)
    problems: list[str] = []
    for username, urls in pages.items():
        page.context.clear_cookies()
        page.set_viewport_size(LAPTOP)
        login(page, username, "demo")
        page.wait_for_url("**/")
        for viewport in (LAPTOP, PHONE):
            page.set_viewport_size(viewport)
            for key, url in urls.items():
                problems += _check_page(page, key, url, viewport["width"])
    assert not problems, "\n".join(problems)


def test_the_helper_finds_an_action_a_table_pushes_out_of_its_card(page: Page) -> None:
    """The helper itself can fail: a button right of a too narrow card, a button scrolled
    away inside a .table-responsive, but not a hidden dropdown item nor a sticky one."""
    page.set_viewport_size({"width": 600, "height": 400})
    page.set_content(
        """
        <div class="card" style="width: 300px"><table style="width: 500px"><tr>
          <td style="width: 450px">wide</td><td><button>Bearbeiten</button></td>
        </tr></table></div>
        <div class="table-responsive" style="width: 300px; overflow-x: auto">
          <table style="width: 500px"><tr><td style="width: 450px">wide</td>
          <td><a class="btn" href="#">Zurücknehmen</a></td>
          <td style="position: sticky; right: 0"><button>Sticky</button></td></tr></table>
        </div>
        <ul style="display: none"><li><button>Löschen</button></li></ul>
        <button style="margin-left: 580px">Rechts</button>
        <button>Gut</button>
        """
    )
    found = actions_out_of_view(page)
    assert [p.split('"')[1] for p in found] == ["Bearbeiten", "Zurücknehmen", "Rechts"], found
    boxes = [p.split(" lies outside ")[1].split(" (")[0] for p in found]
    assert boxes == ["its card", "its .table-responsive", "viewport"], found
    with pytest.raises(AssertionError, match="Zurücknehmen"):
        assert_actions_in_view(page)
