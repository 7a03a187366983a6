"""The chain diagram as drawn in the browser (issue 22): it uses the width of its card,
grows with the number of actors, and shows every name in full — wrapped, never cut with
"…", never on top of a node or another name — at a desk (1280×800) and on a phone
(390×844), re-laid out when the window changes size. Read from the chart itself: the
rendered label texts and their boxes, the drawn nodes and their boxes."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from kundenbild.accounts.services import roles_ensure_standard
from kundenbild.chains.models import Chain
from kundenbild.chains.services import (
    ActorData,
    ChainData,
    FlowData,
    StageData,
    actor_save,
    chain_save,
    flow_save,
    stage_save,
)
from tests.e2e.screens import LAPTOP, PHONE
from tests.e2e.test_journeys import login
from tests.factories import CustomerFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LONG = "Systemlieferant für Antriebstechnik und Steuerungen GmbH"
STAGES = (
    "Systemlieferanten und Komponentenhersteller",
    "Wir",
    "Maschinen- und Anlagenbauer (OEM)",
    "Technischer Großhandel",
    "Handwerksbetriebe und Installateure",
    "Betreiber und Endkunden",
)
ACTORS: tuple[tuple[int, str, int], ...] = (  # stage, name, number
    (0, LONG, 1),
    (0, "Westfälische Drahtwerke und Kaltumformung AG", 1),
    (0, "Elektronikfertigung Oberlausitz GmbH & Co. KG", 1),
    (2, "Verpackungsmaschinenbau Allgäu GmbH", 1),
    (2, "Sondermaschinenbau für die Lebensmittelindustrie", 1),
    (2, "Anlagenbau Ost GmbH", 1),
    (3, "Technischer Großhandel Rhein-Main", 1),
    (3, "weitere Fachhändler für Antriebstechnik", 35),
    (4, "Elektroinstallationsbetriebe im Handwerk", 400),
    (4, "Instandhaltungsdienstleister", 12),
    (5, "Molkereien und Getränkeabfüller", 60),
    (5, "Betreiber von Großkläranlagen", 8),
)


def _crowded_chain() -> Chain:
    """Six stages with long names, thirteen actors with long names, a few flows: a chain
    as a key account manager draws it for an OEM customer."""
    roles_ensure_standard()
    kam = UserFactory(username="weber", role_code="kam")
    customer = CustomerFactory(owner=kam, name="Anlagenbau Ost GmbH")
    chain = chain_save(
        data=ChainData(name="Antriebe für Molkereien", scope="customer", customer_id=customer.pk),
        by=kam,
    )
    stages: list[int] = []
    for name in STAGES:
        follows = (stages[-1],) if stages else ()
        stages.append(stage_save(chain=chain, data=StageData(name, follows_ids=follows)).pk)
    ids = [actor_save(chain=chain, data=ActorData(stages[1], "ourselves", "other")).pk]
    for stage, name, number in ACTORS:
        identity = "group" if number > 1 else "company"
        data = ActorData(stages[stage], identity, "other", name=name, number=number)
        ids.append(actor_save(chain=chain, data=data).pk)
    flows = ((1, 0, "goods"), (0, 4, "goods"), (4, 0, "money"), (7, 9, "goods"))
    for source, target, kind in flows:
        flow_save(chain=chain, data=FlowData(ids[source], ids[target], kind))
    return chain


# what the chart has drawn: the canvas and its container, every node's box, every label's
# full text, the lines it shows and its box, all in pixels of the canvas
LAYOUT = """() => {
    const element = document.getElementById("chain-diagram");
    const chart = echarts.getInstanceByDom(element);
    const canvas = element.querySelector("canvas").getBoundingClientRect();
    const parent = element.parentElement;
    const style = getComputedStyle(parent);
    const container = parent.clientWidth - parseFloat(style.paddingLeft)
        - parseFloat(style.paddingRight);
    const data = chart.getModel().getSeriesByIndex(0).getData();
    const box = (el) => {
        const rect = el.getBoundingRect().clone();
        rect.applyTransform(el.getComputedTransform());
        return {x: rect.x, y: rect.y, width: rect.width, height: rect.height};
    };
    const nodes = [];
    for (let i = 0; i < data.count(); i++) {
        const item = data.getRawDataItem(i);
        const symbol = data.getItemGraphicEl(i);
        const path = symbol.childAt(0);
        const text = symbol.getTextContent() || (path && path.getTextContent());
        const shown = text && !text.ignore && !text.invisible;
        nodes.push({
            id: String(item.id),
            name: item.name,
            header: !!item.header,
            box: item.header ? null : box(path),
            label: shown ? {
                full: String(text.style.text),
                lines: text.childrenRef().filter(c => c.type === "tspan")
                    .map(c => String(c.style.text)),
                box: box(text),
            } : null,
        });
    }
    return {canvas: {width: canvas.width, height: canvas.height}, container, nodes};
}"""


def _intersect(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def _inside(a: dict[str, float], width: float, height: float) -> bool:
    return (
        a["x"] >= -0.5
        and a["y"] >= -0.5
        and a["x"] + a["width"] <= width + 0.5
        and a["y"] + a["height"] <= height + 0.5
    )


def _check_layout(page: Page, expected_names: set[str], where: str) -> dict[str, Any]:
    """Everything the issue asks of the drawing, at the page's present size."""
    page.wait_for_function(
        """() => { const el = document.getElementById("chain-diagram");
            return el && typeof echarts !== "undefined" && echarts.getInstanceByDom(el); }"""
    )
    page.wait_for_timeout(300)  # a resize is laid out on the next frame
    drawn: dict[str, Any] = page.evaluate(LAYOUT)
    canvas = drawn["canvas"]
    assert abs(canvas["width"] - drawn["container"]) <= 2, (where, canvas, drawn["container"])
    actors = [n for n in drawn["nodes"] if not n["header"]]
    assert {n["name"] for n in actors} == expected_names, where
    labels = [n for n in drawn["nodes"] if n["label"]]
    assert len(labels) == len(drawn["nodes"]), (where, "a node without its name")
    for node in actors:
        assert _inside(node["box"], canvas["width"], canvas["height"]), (where, node)
    for node in labels:
        label = node["label"]
        assert not any("…" in line for line in label["lines"]), (where, label["lines"])
        assert " ".join(" ".join(label["lines"]).split()) == " ".join(node["name"].split()), (
            where,
            node["name"],
            label["lines"],
        )
        assert label["full"].replace("\n", " ").split() == node["name"].split()
        assert _inside(label["box"], canvas["width"], canvas["height"]), (where, node["name"])
    for node in labels:
        for other in labels:
            if other is not node:
                assert not _intersect(node["label"]["box"], other["label"]["box"]), (
                    where,
                    node["name"],
                    other["name"],
                )
        for other in actors:
            if other is not node:
                assert not _intersect(node["label"]["box"], other["box"]), (
                    where,
                    node["name"],
                    "lies on",
                    other["name"],
                )
    # the drawing uses the width it has: its nodes and names reach across the canvas
    boxes = [n["box"] for n in actors] + [n["label"]["box"] for n in labels]
    left = min(b["x"] for b in boxes)
    right = max(b["x"] + b["width"] for b in boxes)
    assert right - left >= 0.8 * canvas["width"], (where, left, right, canvas)
    return drawn


def _within_the_screen(page: Page) -> None:
    """The diagram and its card end inside the phone's screen: nothing to scroll sideways."""
    right = page.evaluate(
        """() => { const el = document.getElementById("chain-diagram");
            return Math.max(el.getBoundingClientRect().right,
                            el.closest(".card").getBoundingClientRect().right); }"""
    )
    assert right <= PHONE["width"] + 0.5, right


def _expected_names() -> set[str]:
    names = {"wir"}
    for _, name, number in ACTORS:
        names.add(f"{name} (×{number})" if number > 1 else name)
    return names


def test_every_name_is_shown_whole_at_a_desk_and_on_a_phone(page: Page) -> None:
    chain = _crowded_chain()
    names = _expected_names()
    page.set_viewport_size(LAPTOP)
    login(page, "weber")
    page.goto(f"/chains/{chain.pk}/")
    expect(page.get_by_test_id("chain-name")).to_have_text(chain.name)
    desk = _check_layout(page, names, "chain page, desk")
    # three actors stacked in a stage, names wrapped: taller than the 260 px it used to be
    # held to (and drawn smaller in), and still every node inside
    assert desk["canvas"]["height"] > 300
    # at a desk the stages stand side by side, left to right
    expect(page.get_by_test_id("chain-diagram")).to_have_attribute("data-orientation", "horizontal")

    # the whole name on hover, too
    node = next(n for n in desk["nodes"] if n["name"] == LONG)
    diagram = page.get_by_test_id("chain-diagram")
    diagram.scroll_into_view_if_needed()
    frame = diagram.bounding_box()
    assert frame is not None
    centre = (
        node["box"]["x"] + node["box"]["width"] / 2,
        node["box"]["y"] + node["box"]["height"] / 2,
    )
    page.mouse.move(frame["x"] + centre[0], frame["y"] + centre[1])
    expect(diagram.locator("div").filter(has_text=LONG).last).to_be_visible()
    # … and in the list of actors under it
    expect(page.get_by_test_id("actor-table")).to_contain_text(LONG)

    # the same page turned into a phone: laid out again for the narrow card
    page.set_viewport_size(PHONE)
    phone = _check_layout(page, names, "chain page, phone")
    assert phone["canvas"]["width"] < 380
    # six stages do not fit side by side on a phone: they run from top to bottom
    expect(diagram).to_have_attribute("data-orientation", "vertical")
    _within_the_screen(page)

    # the customer's page draws the chain small: opened on a phone, then at a desk
    page.goto(f"/customers/{chain.customer_id}/")
    section = page.get_by_test_id("customer-chains")
    expect(section.get_by_test_id("chain-diagram").locator("canvas")).not_to_have_count(0)
    _check_layout(page, names, "customer page, phone")
    _within_the_screen(page)
    listed = section.get_by_test_id("chain-actor-list")
    for name in names - {"wir"}:
        expect(listed).to_contain_text(name.split(" (×")[0])
    page.set_viewport_size(LAPTOP)
    _check_layout(page, names, "customer page, desk")
