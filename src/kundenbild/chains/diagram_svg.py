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
from kundenbild.chains.selectors import FLOW_STYLES as SCREEN_FLOW_STYLES
from kundenbild.chains.selectors import (
    OURSELVES_COLOR,
    RELATIONSHIP_COLORS,
    ChainPicture,
    actor_color,
)
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
BLIND = "#dc3545"
TEXT = "#212529"
MUTED = "#6c757d"
STAGE_FILL = "#f8f9fa"
STAGE_LINE = "#dee2e6"

FONT = 8.0
LINE = 9.5
LETTER = 0.55  # DejaVu Sans: about 0.55 em per letter
MARGIN = 6.0
GUTTER = 8.0
PAD = 5.0
TITLE = 20.0


@dataclass(frozen=True)
class _Node:
    actor: ChainActor
    x: float
    y: float
    r: float
    lines: list[str]
    count: str  # "×400" for a group of 400, empty for a single company
    blind: bool


@dataclass(frozen=True)
class _Box:
    column: int
    x: float
    y: float
    width: float
    height: float
    lines: list[str]


def chain_diagram_svg(
    picture: ChainPicture, *, width: int = 960, height: int | None = None, title: bool = True
) -> str:
    """The chain as an SVG document, `width` units wide and as tall as its fullest column
    needs; a given `height` scales the drawing, keeping its proportions. Without `title`
    the chain's name is left to the page around it (the PDF has it as a heading)."""
    top = MARGIN + (TITLE if title else 0.0)
    boxes, nodes, bottom = _layout(picture, width, top)
    legend, legend_height = _legend(width, bottom + 8)
    natural = bottom + 8 + legend_height + MARGIN
    name = picture.chain.name
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {natural:.0f}" '
        f'width="{width}" height="{height or round(natural)}" font-family="DejaVu Sans" '
        f'font-size="{FONT:g}" role="img" aria-label={quoteattr(name)}>',
        f"<title>{escape(name)}</title>",
    ]
    if title:
        parts.append(_text(MARGIN, MARGIN + 11, name, size=11, weight="bold", anchor="start"))
    parts += [_box(box) for box in boxes]
    by_actor = {node.actor.pk: node for node in nodes}
    bounds = (top - 6, bottom + 6)  # arrows bow out no further than this
    parts += [
        _arrow(flow.kind, by_actor[flow.source_id], by_actor[flow.target_id], flow.pk, bounds)
        for flow in picture.flows
        if flow.source_id in by_actor and flow.target_id in by_actor
    ]
    parts += [_box_label(box) for box in boxes]  # above the arrows, so they stay legible
    parts += [_actor(node) for node in nodes]
    parts.append(legend)
    parts.append("</svg>")
    return "".join(parts)


def _radius(actor: ChainActor) -> float:
    """7.6 units for a minor actor up to 18 for a decisive one."""
    return 5.0 + 2.6 * int(actor.importance)


def _layout(picture: ChainPicture, width: int, top: float) -> tuple[list[_Box], list[_Node], float]:
    """Stage boxes stacked in their columns and the actors inside them, top to bottom."""
    columns = picture.columns
    column_width = (width - 2 * MARGIN) / max(len(columns), 1)
    blind = {p.actor_id for p in picture.blind_spots} | {a.pk for a in picture.unreached}
    boxes: list[_Box] = []
    nodes: list[_Node] = []
    bottom = top
    for index, views in enumerate(columns):
        x = MARGIN + index * column_width + GUTTER / 2
        inner = column_width - GUTTER
        y = top
        for view in views:
            label = _wrap(view.stage.name, inner - 2 * PAD, FONT, 2)
            box_top = y
            y += PAD + LINE * len(label)
            for actor in view.actors:
                r = _radius(actor)
                lines = _wrap(actor.display_name, inner - 4, FONT, 2)
                count = f"×{format_number(actor.number)}" if actor.number > 1 else ""
                cy = y + PAD + r
                nodes.append(_Node(actor, x + inner / 2, cy, r, lines, count, actor.pk in blind))
                y += PAD + 2 * r + 3 + LINE * (len(lines) + bool(count))
            y += PAD if view.actors else 2 * PAD
            boxes.append(_Box(index, x, box_top, inner, y - box_top, label))
            y += GUTTER
        bottom = max(bottom, y - GUTTER)
    return boxes, nodes, bottom


def _wrap(text: str, room: float, size: float, max_lines: int) -> list[str]:
    """The text in lines that fit `room` units, at most `max_lines`; a line ends in "…"
    where the text is cut."""
    letters = max(int(room / (size * LETTER)), 4)
    lines: list[str] = []
    words = text.split()
    while words and len(lines) < max_lines:
        line = words.pop(0)
        while words and len(line) + 1 + len(words[0]) <= letters:
            line += " " + words.pop(0)
        lines.append(line)
    lines = [line if len(line) <= letters else line[: letters - 1] + "…" for line in lines]
    if words:
        lines[-1] = lines[-1].rstrip("…")[: letters - 1].rstrip() + "…"
    return lines or [""]


def _box(box: _Box) -> str:
    return (
        f'<g class="stage" data-column="{box.column}">'
        f'<rect x="{box.x:.2f}" y="{box.y:.2f}" width="{box.width:.2f}" '
        f'height="{box.height:.2f}" rx="4" fill="{STAGE_FILL}" stroke="{STAGE_LINE}" '
        f'stroke-width="0.8"/></g>'
    )


def _box_label(box: _Box) -> str:
    labels = "".join(
        _label(box.x + box.width / 2, box.y + PAD + 6 + i * LINE, line, weight="bold", fill=MUTED)
        for i, line in enumerate(box.lines)
    )
    return f'<g class="stage-name" data-column="{box.column}">{labels}</g>'


def _actor(node: _Node) -> str:
    parts = [f'<g class="actor" data-actor="{node.actor.pk}">']
    if node.blind:
        parts.append(
            f'<circle class="blind" cx="{node.x:.2f}" cy="{node.y:.2f}" r="{node.r + 2.5:.2f}" '
            f'fill="none" stroke="{BLIND}" stroke-width="1.4" stroke-dasharray="3 1.5"/>'
        )
    parts.append(
        f'<circle cx="{node.x:.2f}" cy="{node.y:.2f}" r="{node.r:.2f}" '
        f'fill="{actor_color(node.actor)}" stroke="#ffffff" stroke-width="1"/>'
    )
    first = node.y + node.r + 3 + LINE - 2
    parts += [_label(node.x, first + i * LINE, line) for i, line in enumerate(node.lines)]
    if node.count:
        below = first + len(node.lines) * LINE
        parts.append(f'<g class="count">{_label(node.x, below, node.count, weight="bold")}</g>')
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


def _legend(width: int, top: float) -> tuple[str, float]:
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
        room = 16 + _width(label) + 10
        if x + room > width - MARGIN:
            x, y = MARGIN, y + LINE + 2
        parts.append(
            f'<g transform="translate({x:.2f} {y:.2f})">{symbol}'
            f"{_text(16, 7, label, anchor='start', fill=MUTED)}</g>"
        )
        x += room
    parts.append("</g>")
    return "".join(parts), y - top + LINE


def _width(text: str) -> float:
    return len(text) * FONT * LETTER


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
        f'<circle cx="6" cy="4.5" r="5.6" fill="none" stroke="{BLIND}" stroke-width="1.2" '
        f'stroke-dasharray="2 1"/>'
    )


def _label(x: float, y: float, text: str, *, weight: str = "normal", fill: str = TEXT) -> str:
    """Centred text on a pale background, readable where arrows run behind it."""
    width = _width(text) * (1.08 if weight == "bold" else 1.0) + 3
    return (
        f'<rect x="{x - width / 2:.2f}" y="{y - FONT + 0.5:.2f}" width="{width:.2f}" '
        f'height="{FONT + 2:g}" rx="1.5" fill="#ffffff" fill-opacity="0.8"/>'
        + _text(x, y, text, weight=weight, fill=fill)
    )


def _text(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "middle",
    size: float = FONT,
    weight: str = "normal",
    fill: str = TEXT,
) -> str:
    sized = f' font-size="{size:g}"' if size != FONT else ""
    bold = f' font-weight="{weight}"' if weight != "normal" else ""
    return (
        f'<text x="{x:.2f}" y="{y:.2f}" text-anchor="{anchor}" fill="{fill}"{sized}{bold}>'
        f"{escape(text)}</text>"
    )
