"""The chain diagram drawn on the server as SVG: complete, escaped, in stage order, and a
download only for logged-in users."""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kundenbild.chains.diagram_svg import FLOW_STYLES, chain_diagram_svg
from kundenbild.chains.models import Chain, ChainActor
from kundenbild.chains.selectors import chain_picture
from kundenbild.chains.services import (
    ActorData,
    ChainData,
    FlowData,
    PersonData,
    StageData,
    actor_save,
    chain_save,
    flow_save,
    person_save,
    stage_save,
)
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


@dataclass
class Drawn:
    chain: Chain
    actors: dict[str, ChainActor]


@pytest.fixture
def drawn(users) -> Drawn:  # type: ignore[no-untyped-def]
    """Five stages with a parallel branch, six actors (one a group of 400), five flows."""
    customer = CustomerFactory(owner=users["kam"], name="Anlagenbau Ost GmbH")
    chain = chain_save(
        data=ChainData(name="Molkereilinien", scope="customer", customer_id=customer.pk),
        by=users["kam"],
    )
    stages: dict[str, int] = {}
    # created out of order on purpose: the columns follow `follows`, not the ids
    for name, follows in (
        ("Handel", ()),
        ("Lieferant", ()),
        ("Wir", ("Lieferant",)),
        ("Maschinenbauer", ("Wir",)),
        ("Planer", ("Wir",)),
    ):
        stages[name] = stage_save(
            chain=chain, data=StageData(name, follows_ids=tuple(stages[f] for f in follows))
        ).pk
    stage_save(
        chain=chain,
        stage=chain.stages.get(name="Handel"),
        data=StageData("Handel", follows_ids=(stages["Maschinenbauer"], stages["Planer"])),
    )

    def actor(stage: str, identity: str, **fields: object) -> ChainActor:
        data = ActorData(stage_id=stages[stage], identity=identity, kind="other", **fields)  # type: ignore[arg-type]
        return actor_save(chain=chain, data=data)

    actors = {
        "supplier": actor("Lieferant", "company", name='<Müller & Söhne> "Antriebe" KG'),
        "us": actor("Wir", "ourselves", importance=3),
        "customer": actor("Maschinenbauer", "customer", customer_id=customer.pk, importance=5),
        "planner": actor("Planer", "group", name="Planungsbüros", number=12),
        "craft": actor("Handel", "group", name="ca. 400 Handwerksbetriebe", number=400),
        "unknown": actor("Handel", "company", name="Baustoffe Nord AG", importance=1),
    }
    person_save(actor=actors["customer"], data=PersonData(name="Anna Roth", role="Einkauf"))
    person_save(actor=actors["craft"], data=PersonData(role="Produktionsleitung", in_contact=False))
    for source, target, kind in (
        ("supplier", "us", "goods"),
        ("us", "supplier", "money"),
        ("us", "customer", "goods"),
        ("customer", "us", "information"),
        ("planner", "craft", "services"),
    ):
        flow_save(
            chain=chain,
            data=FlowData(actors[source].pk, actors[target].pk, kind, volume="ca. 1.200 t/Jahr"),
        )
    return Drawn(chain, actors)


def _parse(svg: str) -> ElementTree.Element:
    root = ElementTree.fromstring(svg)  # noqa: S314 (our own output)
    assert root.tag == f"{SVG}svg"
    return root


def _texts(element: ElementTree.Element) -> list[str]:
    return [t.text or "" for t in element.iter(f"{SVG}text")]


def _groups(root: ElementTree.Element, cls: str) -> list[ElementTree.Element]:
    return [g for g in root.iter(f"{SVG}g") if cls in g.attrib.get("class", "").split()]


def test_every_actor_is_drawn_with_its_name_and_escaped(drawn: Drawn) -> None:
    svg = chain_diagram_svg(chain_picture(drawn.chain))
    root = _parse(svg)
    texts = " ".join(_texts(root))
    for actor in drawn.actors.values():
        if actor.identity != "ourselves":
            assert actor.display_name in texts
    assert "&lt;Müller &amp; Söhne&gt;" in svg
    assert "<Müller" not in svg
    assert root.find(f"{SVG}title").text == "Molkereilinien"  # type: ignore[union-attr]
    drawn_actors = {g.attrib["data-actor"] for g in _groups(root, "actor")}
    assert drawn_actors == {str(a.pk) for a in drawn.actors.values()}


def test_groups_show_their_number_and_circles_grow_with_importance(drawn: Drawn) -> None:
    root = _parse(chain_diagram_svg(chain_picture(drawn.chain)))
    by_id = {g.attrib["data-actor"]: g for g in _groups(root, "actor")}
    craft = by_id[str(drawn.actors["craft"].pk)]
    assert "×400" in _texts(craft)
    assert not any(t.startswith("×") for t in _texts(by_id[str(drawn.actors["us"].pk)]))

    def radius(key: str) -> float:
        circles = by_id[str(drawn.actors[key].pk)].findall(f"{SVG}circle")
        return min(float(c.attrib["r"]) for c in circles)

    assert radius("unknown") < radius("us") < radius("customer")


def test_one_arrow_per_flow_styled_by_what_flows(drawn: Drawn) -> None:
    picture = chain_picture(drawn.chain)
    root = _parse(chain_diagram_svg(picture))
    arrows = _groups(root, "flow")
    assert len(arrows) == len(picture.flows) == 5
    for arrow in arrows:
        kind = next(c[5:] for c in arrow.attrib["class"].split() if c.startswith("flow-"))
        path = arrow.find(f"{SVG}path")
        assert path is not None
        assert path.attrib["stroke"] == FLOW_STYLES[kind].color
        assert arrow.find(f"{SVG}polygon") is not None  # the arrowhead
    pairs = {(a.attrib["data-source"], a.attrib["data-target"]) for a in arrows}
    us, supplier = str(drawn.actors["us"].pk), str(drawn.actors["supplier"].pk)
    assert {(supplier, us), (us, supplier)} <= pairs


def test_columns_follow_the_order_of_the_stages(drawn: Drawn) -> None:
    root = _parse(chain_diagram_svg(chain_picture(drawn.chain)))
    x_of: dict[str, float] = {}
    for group in _groups(root, "stage-name"):
        name = " ".join(_texts(group))
        x_of[name] = float(group.find(f"{SVG}text").attrib["x"])  # type: ignore[union-attr]
    assert x_of["Lieferant"] < x_of["Wir"] < x_of["Maschinenbauer"] < x_of["Handel"]
    assert x_of["Planer"] == x_of["Maschinenbauer"]  # a parallel branch shares the column
    actors = {g.attrib["data-actor"]: g for g in _groups(root, "actor")}

    def x(key: str) -> float:
        return float(actors[str(drawn.actors[key].pk)].find(f"{SVG}circle").attrib["cx"])  # type: ignore[union-attr]

    assert x("supplier") < x("us") < x("customer") < x("craft") == x("unknown")


def test_actors_we_do_not_reach_are_marked(drawn: Drawn) -> None:
    root = _parse(chain_diagram_svg(chain_picture(drawn.chain)))
    marked = {
        g.attrib["data-actor"]
        for g in _groups(root, "actor")
        if any(c.attrib.get("class") == "blind" for c in g.iter(f"{SVG}circle"))
    }
    # a role without contact (craft), nobody known at all (supplier, planner, unknown)
    assert marked == {str(drawn.actors[k].pk) for k in ("craft", "supplier", "planner", "unknown")}


def test_the_legend_is_in_the_users_language(drawn: Drawn) -> None:
    picture = chain_picture(drawn.chain)
    with translation.override("en"):
        legend = _groups(_parse(chain_diagram_svg(picture)), "legend")[0]
    assert {"customer", "partner", "goods", "money", "information", "services"} <= set(
        _texts(legend)
    )
    with translation.override("de"):
        legend = _groups(_parse(chain_diagram_svg(picture)), "legend")[0]
    assert "Kunde" in _texts(legend)


def test_an_empty_chain_is_a_valid_drawing(users) -> None:  # type: ignore[no-untyped-def]
    chain = chain_save(
        data=ChainData(name="Leer", scope="segment", industry_code="28"), by=users["kam"]
    )
    root = _parse(chain_diagram_svg(chain_picture(chain), width=400, height=120))
    assert root.attrib["width"] == "400"
    assert root.attrib["height"] == "120"
    assert _groups(root, "actor") == []


def test_the_diagram_downloads_as_svg(drawn: Drawn, client_for) -> None:  # type: ignore[no-untyped-def]
    url = reverse("chains:diagram-svg", args=[drawn.chain.pk])
    for role in ("service", "management"):  # everyone who may read the chain
        response = client_for(role).get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("image/svg+xml")
        assert response["Content-Disposition"] == (
            f'attachment; filename="chain-{drawn.chain.pk}.svg"'
        )
        root = _parse(response.content.decode())
        assert "Anlagenbau Ost GmbH" in _texts(root)


def test_the_download_needs_a_login(drawn: Drawn) -> None:
    url = reverse("chains:diagram-svg", args=[drawn.chain.pk])
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_unknown_chain_is_not_found(users, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("kam").get(reverse("chains:diagram-svg", args=[999_999]))
    assert response.status_code == 404


LONG_ACTOR = "Systemlieferant für Antriebstechnik und Steuerungen GmbH"
LONG_STAGE = "Systemlieferanten und Komponentenhersteller für Sondermaschinen"


@pytest.mark.parametrize(
    "options",
    [{}, {"width": 700, "title": False, "compact": True}],
    ids=["download", "pdf-strip"],
)
def test_long_names_wrap_whole_and_are_never_cut(drawn: Drawn, options: dict[str, object]) -> None:  # type: ignore[no-untyped-def]
    """Issue 22: every name on as many lines as it needs, never cut short with "…"."""
    supplier = drawn.chain.stages.get(name="Lieferant")
    stage_save(chain=drawn.chain, stage=supplier, data=StageData(LONG_STAGE))
    long_one = actor_save(
        chain=drawn.chain,
        data=ActorData(stage_id=supplier.pk, identity="company", kind="supplier", name=LONG_ACTOR),
    )
    word = "Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft"
    actor_save(
        chain=drawn.chain,
        data=ActorData(stage_id=supplier.pk, identity="company", kind="supplier", name=word),
    )
    picture = chain_picture(drawn.chain)
    root = _parse(chain_diagram_svg(picture, **options))  # type: ignore[arg-type]
    assert not any("…" in text for text in _texts(root))
    for group in _groups(root, "actor"):
        actor = next(a for a in picture.actors if str(a.pk) == group.attrib["data-actor"])
        lines = [t.text or "" for t in group.findall(f"{SVG}text")]  # the name, not the count
        if actor.identity != "ourselves":
            assert "".join(lines).replace(" ", "") == actor.display_name.replace(" ", "")
            assert (
                " ".join(lines).split() == actor.display_name.split() or actor.display_name == word
            )
    stage_names = [" ".join(_texts(g)) for g in _groups(root, "stage-name")]
    assert LONG_STAGE in stage_names
    assert str(long_one.pk) in {g.attrib["data-actor"] for g in _groups(root, "actor")}
