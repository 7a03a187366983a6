"""The problem-solving chain drawn on the server as a standalone SVG: the download from the
chain's page and the picture in the customer's one-page PDF, where no browser draws it.

Stages are boxes in columns from our supplier on the left to the end user on the right;
actors are circles sized by their importance and filled by our relationship with them;
flows are arrows styled by what flows; a red dashed ring marks an actor where we know
nobody or have named roles we do not reach.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from django.utils.translation import gettext as _

from kundenbild.chains.models import ChainActor, FlowKind, Relationship
from kundenbild.chains.selectors import (
    BLIND_COLOR,
    OURSELVES_COLOR,
    RELATIONSHIP_COLORS,
    ChainPicture,
    actor_color,
)
from kundenbild.chains.selectors import FLOW_STYLES as SCREEN_FLOW_STYLES
from kundenbild.core.formatting import format_number


@dataclass(frozen=True)
class FlowStyle:
    color: str
    dash: str  # stroke-dasharray; empty for a solid line
    bend: float  # how far the arrow bows out, as a share of its length


# the colours and line types of the chain's page, so the download looks like the screen
DASHES = {"solid": "", "dashed": "4 2", "dotted": "1 2"}
BENDS: dict[str, float] = {
    FlowKind.GOODS: 0.05,
    FlowKind.SERVICES: 0.22,
    FlowKind.MONEY: 0.12,
    FlowKind.INFORMATION: 0.32,
}
FLOW_STYLES: dict[str, FlowStyle] = {
    kind: FlowStyle(style["color"], DASHES.get(style["type"], ""), BENDS.get(kind, 0.1))
    for kind, style in SCREEN_FLOW_STYLES.items()
}
TEXT = "#212529"
MUTED = "#6c757d"
STAGE_FILL = "#f8f9fa"
STAGE_LINE = "#dee2e6"

LETTER = 0.55  # DejaVu Sans: about 0.55 em per letter
MARGIN = 6.0
TITLE = 20.0


@dataclass(frozen=True)
class _Metrics:
    """Sizes in drawing units: the full drawing, and the compact strip for a printed page."""

    font: float
    line: float
    pad: float
    gutter: float
    radius_base: float
    radius_step: float  # per step of importance
    beside: bool  # names beside the circles instead of under them

    def radius(self, actor: ChainActor) -> float:
        return self.radius_base + self.radius_step * int(actor.importance)

    @property
    def widest(self) -> float:
        return self.radius_base + self.radius_step * 5


FULL = _Metrics(8.0, 9.5, 5.0, 8.0, 5.0, 2.6, beside=False)
COMPACT = _Metrics(7.0, 8.0, 3.5, 6.0, 2.5, 1.4, beside=True)


@dataclass(frozen=True)
class _Node:
    actor: ChainActor
    x: float
    y: float
    r: float
    lines: list[str]
    count: str  # "×400" for a group of 400, empty for a single company
    blind: bool
    label_x: float
    label_y: float  # the first line's baseline
    count_x: float
    count_y: float


@dataclass(frozen=True)
class _Box:
    column: int
    x: float
    y: float
    width: float
    height: float
    lines: list[str]


def chain_diagram_svg(
    picture: ChainPicture,
    *,
    width: int = 960,
    height: int | None = None,
    title: bool = True,
    compact: bool = False,
) -> str:
    """The chain as an SVG document, `width` units wide and as tall as its fullest column
    needs; a given `height` scales the drawing, keeping its proportions. Without `title`
    the chain's name is left to the page around it (the PDF has it as a heading);
    `compact` draws smaller circles with the names beside them, for a strip on a page."""
    m = COMPACT if compact else FULL
    top = MARGIN + (TITLE if title else 0.0)
    boxes, nodes, bottom = _layout(picture, width, top, m)
    legend, legend_height = _legend(width, bottom + m.pad + 2, m)
    natural = bottom + m.pad + 2 + legend_height + MARGIN
    name = picture.chain.name
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {natural:.0f}" '
        f'width="{width}" height="{height or round(natural)}" font-family="DejaVu Sans" '
        f'font-size="{m.font:g}" role="img" aria-label={quoteattr(name)}>',
        f"<title>{escape(name)}</title>",
    ]
    if title:
        parts.append(_text(MARGIN, MARGIN + 11, name, m, size=11, weight="bold", anchor="start"))
    parts += [_box(box) for box in boxes]
    by_actor = {node.actor.pk: node for node in nodes}
    bounds = (top - 6, bottom + 6)  # arrows bow out no further than this
    parts += [
        _arrow(flow.kind, by_actor[flow.source_id], by_actor[flow.target_id], flow.pk, bounds)
        for flow in picture.flows
        if flow.source_id in by_actor and flow.target_id in by_actor
    ]
    parts += [_box_label(box, m) for box in boxes]  # above the arrows, so they stay legible
    parts += [_actor(node, m) for node in nodes]
    parts.append(legend)
    parts.append("</svg>")
    return "".join(parts)


def _layout(
    picture: ChainPicture, width: int, top: float, m: _Metrics
) -> tuple[list[_Box], list[_Node], float]:
    """Stage boxes stacked in their columns and the actors inside them, top to bottom."""
    columns = picture.columns
    column_width = (width - 2 * MARGIN) / max(len(columns), 1)
    blind = picture.blind_actor_ids
    place = _beside if m.beside else _below
    boxes: list[_Box] = []
    nodes: list[_Node] = []
    bottom = top
    for index, views in enumerate(columns):
        x = MARGIN + index * column_width + m.gutter / 2
        inner = column_width - m.gutter
        y = top
        for view in views:
            label = _wrap(view.stage.name, inner - 2 * m.pad, m.font)
            box_top = y
            y += m.pad + m.line * len(label)
            for actor in view.actors:
                node = place(actor, x, y, inner, actor.pk in blind, m)
                nodes.append(node)
                y = _node_bottom(node, m)
            y += m.pad if view.actors else 2 * m.pad
            boxes.append(_Box(index, x, box_top, inner, y - box_top, label))
            y += m.gutter
        bottom = max(bottom, y - m.gutter)
    return boxes, nodes, bottom


def _count(actor: ChainActor) -> str:
    return f"×{format_number(actor.number)}" if actor.number > 1 else ""


def _below(actor: ChainActor, x: float, y: float, inner: float, blind: bool, m: _Metrics) -> _Node:
    """A circle centred in its stage, with the name under it and the number under that."""
    r = m.radius(actor)
    lines = _wrap(actor.display_name, inner - 4, m.font)
    cx, cy = x + inner / 2, y + m.pad + r
    first = cy + r + 1 + m.line
    count = _count(actor)
    return _Node(actor, cx, cy, r, lines, count, blind, cx, first, cx, first + len(lines) * m.line)


def _beside(actor: ChainActor, x: float, y: float, inner: float, blind: bool, m: _Metrics) -> _Node:
    """A small circle at the left of its stage, with the name beside it; the number
    follows the name's last line where it fits, else goes on a line of its own."""
    r = m.radius(actor)
    cx = x + m.pad / 2 + m.widest  # the circles line up, whatever their size
    text_x = cx + m.widest + 3
    room = x + inner - text_x - 2
    lines = _wrap(actor.display_name, room, m.font)
    count = _count(actor)
    inline = bool(count) and _width(f"{lines[-1]} {count}", m.font) * 1.05 <= room
    rows = len(lines) + (bool(count) and not inline)
    cy = y + m.pad / 2 + max(r + (2.5 if blind else 0), rows * m.line / 2)
    first = cy - rows * m.line / 2 + m.line - 2.5
    if inline:
        at = (text_x + _width(lines[-1] + " ", m.font), first + (len(lines) - 1) * m.line)
    else:
        at = (text_x, first + len(lines) * m.line)
    return _Node(actor, cx, cy, r, lines, count, blind, text_x, first, *at)


def _node_bottom(node: _Node, m: _Metrics) -> float:
    """Where the next actor of the stage may start."""
    text = max(node.label_y + (len(node.lines) - 1) * m.line, node.count_y) + 2.5
    ring = node.y + node.r + (2.5 if node.blind else 0)
    return max(text, ring) + 2


def _wrap(text: str, room: float, size: float) -> list[str]:
    """The text in as many lines of `room` units as it needs, never cut short: whole words
    where they fit, a single word longer than a line split where it must be."""
    letters = max(int(room / (size * LETTER)), 4)
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) <= letters:
            line += " " + word
            continue
        if line:
            lines.append(line)
        while len(word) > letters:
            lines.append(word[:letters])
            word = word[letters:]
        line = word
    if line:
        lines.append(line)
    return lines or [""]


def _box(box: _Box) -> str:
    return (
        f'<g class="stage" data-column="{box.column}">'
        f'<rect x="{box.x:.2f}" y="{box.y:.2f}" width="{box.width:.2f}" '
        f'height="{box.height:.2f}" rx="4" fill="{STAGE_FILL}" stroke="{STAGE_LINE}" '
        f'stroke-width="0.8"/></g>'
    )


def _box_label(box: _Box, m: _Metrics) -> str:
    centre = box.x + box.width / 2
    first = box.y + m.pad + m.line - 2.5
    labels = "".join(
        _label(centre, first + i * m.line, line, m, weight="bold", fill=MUTED)
        for i, line in enumerate(box.lines)
    )
    return f'<g class="stage-name" data-column="{box.column}">{labels}</g>'


def _actor(node: _Node, m: _Metrics) -> str:
    parts = [f'<g class="actor" data-actor="{node.actor.pk}">']
    if node.blind:
        parts.append(
            f'<circle class="blind" cx="{node.x:.2f}" cy="{node.y:.2f}" r="{node.r + 2.5:.2f}" '
            f'fill="none" stroke="{BLIND_COLOR}" stroke-width="1.4" stroke-dasharray="3 1.5"/>'
        )
    parts.append(
        f'<circle cx="{node.x:.2f}" cy="{node.y:.2f}" r="{node.r:.2f}" '
        f'fill="{actor_color(node.actor)}" stroke="#ffffff" stroke-width="1"/>'
    )
    anchor = "start" if m.beside else "middle"
    parts += [
        _label(node.label_x, node.label_y + i * m.line, line, m, anchor=anchor)
        for i, line in enumerate(node.lines)
    ]
    if node.count:
        count = _label(node.count_x, node.count_y, node.count, m, anchor=anchor, weight="bold")
        parts.append(f'<g class="count">{count}</g>')
    parts.append("</g>")
    return "".join(parts)


def _arrow(
    kind: str, source: _Node, target: _Node, flow_id: int, bounds: tuple[float, float]
) -> str:
    """A bowed arrow from the edge of one circle to the edge of the other; flows in
    opposite directions between the same actors bow to opposite sides, long ones no
    further than `bounds` (top and bottom of the stages)."""
    style = FLOW_STYLES.get(kind, FLOW_STYLES[FlowKind.GOODS])
    dx, dy = target.x - source.x, target.y - source.y
    length = math.hypot(dx, dy) or 1.0
    bow = style.bend * min(length, 160.0) / length
    cx = (source.x + target.x) / 2 - dy * bow
    cy = min(max((source.y + target.y) / 2 + dx * bow, bounds[0]), bounds[1])
    start = _towards(source.x, source.y, cx, cy, source.r + 1.5 + (2.5 if source.blind else 0))
    tip = _towards(target.x, target.y, cx, cy, target.r + 1.5 + (2.5 if target.blind else 0))
    ux, uy = _unit(tip[0] - cx, tip[1] - cy)
    head, half = 5.5, 2.6
    base = (tip[0] - ux * head, tip[1] - uy * head)
    corners = [
        tip,
        (base[0] - uy * half, base[1] + ux * half),
        (base[0] + uy * half, base[1] - ux * half),
    ]
    dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
    return (
        f'<g class="flow flow-{escape(kind)}" data-flow="{flow_id}" '
        f'data-source="{source.actor.pk}" data-target="{target.actor.pk}">'
        f'<path d="M {start[0]:.2f} {start[1]:.2f} Q {cx:.2f} {cy:.2f} {base[0]:.2f} '
        f'{base[1]:.2f}" fill="none" stroke="{style.color}" stroke-width="1.1"{dash}/>'
        f'<polygon points="{" ".join(f"{px:.2f},{py:.2f}" for px, py in corners)}" '
        f'fill="{style.color}"/></g>'
    )


def _towards(x: float, y: float, to_x: float, to_y: float, distance: float) -> tuple[float, float]:
    ux, uy = _unit(to_x - x, to_y - y)
    return x + ux * distance, y + uy * distance


def _unit(dx: float, dy: float) -> tuple[float, float]:
    length = math.hypot(dx, dy) or 1.0
    return dx / length, dy / length


def _legend(width: int, top: float, m: _Metrics) -> tuple[str, float]:
    """What the colours, lines and rings mean, in rows that wrap at the drawing's width."""
    entries: list[tuple[str, str]] = [(_("we"), _dot(OURSELVES_COLOR))]
    entries += [
        (str(Relationship(code).label), _dot(color)) for code, color in RELATIONSHIP_COLORS.items()
    ]
    entries += [(str(FlowKind(code).label), _stroke(style)) for code, style in FLOW_STYLES.items()]
    entries.append((_("we have no contact with someone here"), _ring()))
    parts = ['<g class="legend">']
    x, y = MARGIN, top
    for label, symbol in entries:
        room = 15 + _width(label, m.font) + 7
        if x + room > width - MARGIN:
            x, y = MARGIN, y + m.line + 2
        text = _text(15, 7, label, m, anchor="start", fill=MUTED)
        parts.append(f'<g transform="translate({x:.2f} {y:.2f})">{symbol}{text}</g>')
        x += room
    parts.append("</g>")
    return "".join(parts), y - top + m.line


def _width(text: str, size: float) -> float:
    return len(text) * size * LETTER


def _dot(color: str) -> str:
    return f'<circle cx="6" cy="4.5" r="4" fill="{color}"/>'


def _stroke(style: FlowStyle) -> str:
    dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
    return (
        f'<line x1="0" y1="4.5" x2="10" y2="4.5" stroke="{style.color}" stroke-width="1.4"{dash}/>'
        f'<polygon points="13,4.5 9,2.4 9,6.6" fill="{style.color}"/>'
    )


def _ring() -> str:
    return (
        f'<circle cx="6" cy="4.5" r="4" fill="{RELATIONSHIP_COLORS[Relationship.NONE]}"/>'
        f'<circle cx="6" cy="4.5" r="5.6" fill="none" stroke="{BLIND_COLOR}" stroke-width="1.2" '
        f'stroke-dasharray="2 1"/>'
    )


def _label(
    x: float,
    y: float,
    text: str,
    m: _Metrics,
    *,
    anchor: str = "middle",
    weight: str = "normal",
    fill: str = TEXT,
) -> str:
    """Text on a pale background, readable where arrows run behind it."""
    width = _width(text, m.font) * (1.08 if weight == "bold" else 1.0) + 3
    left = x - width / 2 if anchor == "middle" else x - 1.5
    return (
        f'<rect x="{left:.2f}" y="{y - m.font + 0.5:.2f}" width="{width:.2f}" '
        f'height="{m.font + 2:g}" rx="1.5" fill="#ffffff" fill-opacity="0.8"/>'
        + _text(x, y, text, m, anchor=anchor, weight=weight, fill=fill)
    )


def _text(
    x: float,
    y: float,
    text: str,
    m: _Metrics,
    *,
    anchor: str = "middle",
    size: float | None = None,
    weight: str = "normal",
    fill: str = TEXT,
) -> str:
    sized = f' font-size="{size:g}"' if size is not None and size != m.font else ""
    bold = f' font-weight="{weight}"' if weight != "normal" else ""
    return (
        f'<text x="{x:.2f}" y="{y:.2f}" text-anchor="{anchor}" fill="{fill}"{sized}{bold}>'
        f"{escape(text)}</text>"
    )
