"""The buying-center page in the browser: roles picked with a click, the people first,
the forms on demand, and a relationship map whose nodes and labels stay in the canvas,
clear of the legend, on a laptop and on a phone."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from kundenbild.buying_center.models import Acquaintance, Contact, ContactRelation
from kundenbild.customers.models import Customer
from tests.e2e.screens import LAPTOP, SCREENS, tab_to
from tests.e2e.test_journeys import login
from tests.e2e.test_profile_walkthrough import _reference_data
from tests.factories import ContactFactory, CustomerFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


LONG_NAME = ("Maximiliane", "Oberbürgermeister-Schwarzenberger")
PEOPLE: list[tuple[str, str, list[str], str, str]] = [
    ("Eva", "Roth", ["decider", "initiator"], "high", "champion"),
    ("Jonas", "Klein", ["user"], "low", "neutral"),
    ("Petra", "Wolf", ["buyer", "gatekeeper"], "medium", "sceptic"),
    ("Ali", "Demir", ["influencer"], "medium", "supporter"),
    ("Sabine", "Lang", ["user", "influencer"], "low", "opponent"),
    ("Thomas", "Berg", ["decider"], "high", "neutral"),
    ("Ina", "Schulz", [], "", ""),
    ("Markus", "Vogel", ["gatekeeper"], "low", "supporter"),
    (*LONG_NAME, ["initiator", "user", "influencer", "decider", "buyer", "gatekeeper"], "high", ""),
    ("Lea", "Fuchs", ["buyer"], "medium", "champion"),
]


def _buying_center() -> Customer:
    """A customer with ten people, their relations and three of us who know some."""
    _reference_data()
    kam = UserFactory(username="kam", role_code="kam")
    colleagues = [kam, UserFactory(username="sales", role_code="sales")]
    customer = CustomerFactory(owner=kam, name="Nordwerk Hydraulik GmbH")
    people = [
        ContactFactory(
            customer=customer,
            first_name=first,
            last_name=last,
            roles=roles,
            influence=influence,
            attitude=attitude,
        )
        for first, last, roles, influence, attitude in PEOPLE
    ]
    for source, target, kind in [(1, 0, "reports_to"), (2, 0, "reports_to"), (3, 5, "influences"),
                                 (4, 3, "opposes"), (7, 2, "trusts"), (8, 5, "influences"),
                                 (9, 2, "reports_to")]:  # fmt: skip
        ContactRelation.objects.create(source=people[source], target=people[target], kind=kind)
    for person, user in [(0, 0), (2, 0), (5, 1), (8, 1), (3, 0)]:
        Acquaintance.objects.create(contact=people[person], user=colleagues[user], closeness="good")
    return customer


MAP_GEOMETRY = """(element) => {
  const chart = echarts.getInstanceByDom(element);
  const canvas = element.getBoundingClientRect();
  const series = chart.getModel().getSeriesByIndex(0);
  const data = series.getData();
  const nodes = [];
  for (let i = 0; i < data.count(); i++) {
    const [x, y] = chart.convertToPixel({seriesIndex: 0}, data.getItemLayout(i));
    const size = data.getItemVisual(i, "symbolSize");
    const r = (Array.isArray(size) ? Math.max(...size) : size) / 2;
    nodes.push({name: data.getName(i), left: x - r, top: y - r, right: x + r, bottom: y + r});
  }
  const legendNames = chart.getOption().legend[0].data;
  const texts = [...element.querySelectorAll("svg text")].map((t) => {
    const box = t.getBoundingClientRect();
    return {text: t.textContent, left: box.left - canvas.left, top: box.top - canvas.top,
            right: box.right - canvas.left, bottom: box.bottom - canvas.top};
  });
  return {width: canvas.width, height: canvas.height, nodes, legendNames, texts};
}"""


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    )


def _boxes_of_legend_and_labels(geometry: dict[str, Any]) -> tuple[dict[str, Any], list[Any]]:
    """The legend's box (its names and, left of each, its 25 px icon) and the label lines."""
    legend = [t for t in geometry["texts"] if t["text"] in geometry["legendNames"]]
    assert len(legend) == len(geometry["legendNames"]), "the legend is not drawn"
    box = {
        "left": min(t["left"] for t in legend) - 30,
        "top": min(t["top"] for t in legend) - 2,
        "right": max(t["right"] for t in legend),
        "bottom": max(t["bottom"] for t in legend) + 2,
    }
    return box, [t for t in geometry["texts"] if t not in legend]


def _inside(box: dict[str, Any], width: float, height: float) -> bool:
    return 0 <= box["left"] <= box["right"] <= width and 0 <= box["top"] <= box["bottom"] <= height


@SCREENS
def test_the_map_keeps_every_node_in_the_canvas_and_every_label_off_the_legend(
    page: Page, viewport: dict[str, int]
) -> None:
    customer = _buying_center()
    page.set_viewport_size(viewport)
    login(page, "kam")
    page.goto(f"/buying-center/customers/{customer.pk}/")
    chart = page.get_by_test_id("relationship-map")
    expect(chart.locator("svg")).to_have_count(1)
    geometry = chart.evaluate(MAP_GEOMETRY)
    width, height = geometry["width"], geometry["height"]
    assert width <= viewport["width"]

    assert len(geometry["nodes"]) == len(PEOPLE) + 2  # the people and two of us
    for node in geometry["nodes"]:
        assert _inside(node, width, height), f"{node['name']} is cut off: {node}"
    legend, labels = _boxes_of_legend_and_labels(geometry)
    assert _inside(legend, width, height)
    for label in labels:
        assert _inside(label, width, height), f"the label {label['text']!r} is cut off"
        assert not _overlap(label, legend), f"the label {label['text']!r} covers the legend"
    for node in geometry["nodes"]:
        assert not _overlap(node, legend), f"{node['name']} covers the legend"
    for i, label in enumerate(labels):
        for other in labels[i + 1 :]:
            assert not _overlap(label, other), f"{label['text']!r} covers {other['text']!r}"

    # the roles under the names, on a second line if need be
    lines = [label["text"] for label in labels]
    text = " · ".join(lines)
    assert "Eva Roth · Initiator · Entscheider · " in text
    assert "Petra Wolf · Einkäufer · Gatekeeper · " in text
    assert "Ina Schulz · Markus Vogel · Gatekeeper" in text  # no roles, no line
    long_name = next(line for line in lines if line.startswith(LONG_NAME[0]))
    assert long_name == " ".join(LONG_NAME) or long_name.endswith("…")


def test_the_map_names_a_persons_roles_in_full_in_the_tooltip(page: Page) -> None:
    customer = _buying_center()
    login(page, "kam")
    page.goto(f"/buying-center/customers/{customer.pk}/")
    chart = page.get_by_test_id("relationship-map")
    expect(chart.locator("svg")).to_have_count(1)
    chart.evaluate(
        """(element) => {
          const chart = echarts.getInstanceByDom(element);
          const index = chart.getOption().series[0].data.findIndex((n) => n.name === "Petra Wolf");
          chart.dispatchAction({type: "showTip", seriesIndex: 0, dataIndex: index});
        }"""
    )
    expect(chart).to_contain_text(
        "Rollen im Buying Center: Einkäufer, Informationsselektierer (Gatekeeper)"
    )


def test_two_buying_roles_are_picked_with_two_plain_clicks(page: Page) -> None:
    customer = _buying_center()
    page.set_viewport_size(LAPTOP)
    login(page, "kam")
    page.goto(f"/buying-center/customers/{customer.pk}/")
    people = page.get_by_test_id("people-table")
    box = people.bounding_box()
    assert box is not None
    assert box["y"] < LAPTOP["height"] / 2  # the people come first
    form = page.get_by_test_id("contact-form")
    expect(form).to_be_hidden()

    page.get_by_role("button", name="Person hinzufügen").click()
    expect(form).to_be_visible()
    form.get_by_label("Nachname").fill("Haas")
    roles = form.get_by_role("group", name="Rollen im Buying Center")
    roles.get_by_text("Entscheider", exact=True).click()
    roles.get_by_text("Einkäufer", exact=True).click()
    expect(roles.get_by_role("checkbox", checked=True)).to_have_count(2)
    form.get_by_role("button", name="Speichern").click()

    expect(page.get_by_role("alert").first).to_contain_text("Haas wurde dem Buying Center")
    haas = Contact.objects.get(last_name="Haas")
    assert sorted(r.code for r in haas.buying_roles.all()) == ["buyer", "decider"]
    page.goto(f"/buying-center/customers/{customer.pk}/")
    row = page.get_by_test_id("people-table").get_by_role("row").filter(has_text="Haas")
    expect(row).to_contain_text("Entscheider")
    expect(row).to_contain_text("Einkäufer")


def test_the_person_form_opens_by_keyboard_and_comes_back_open_with_its_errors(
    page: Page,
) -> None:
    customer = _buying_center()
    login(page, "kam")
    page.goto(f"/buying-center/customers/{customer.pk}/")
    toggle = page.get_by_role("button", name="Person hinzufügen")
    tab_to(page, toggle, limit=60, what="the button")
    page.keyboard.press("Enter")
    form = page.get_by_test_id("contact-form")
    expect(form).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(form.get_by_label("Anrede")).to_be_focused()  # the cursor is in the form

    page.keyboard.press("Tab")  # to the title
    page.keyboard.press("Tab")  # to the first name
    page.keyboard.type("Ohne Nachname")
    page.keyboard.press("Enter")  # sends the form: the last name is missing

    expect(form).to_be_visible()
    expect(form).to_contain_text("Dieses Feld ist zwingend erforderlich.")
    expect(form.get_by_label("Nachname")).to_be_focused()
    expect(form.get_by_label("Vorname")).to_have_value("Ohne Nachname")
