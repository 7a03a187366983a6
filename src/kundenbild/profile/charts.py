"""Charts drawn on the server as SVG, for documents without a browser (the profile PDF)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from django.utils import formats

from kundenbild.core.formatting import format_money

REVENUE = "#4c78a8"
MARGIN = "#e45756"
FORECAST = "#1f3b63"
BAND = "#9ecae9"
GRID = "#dee2e6"
TEXT = "#6c757d"

Series = list[float | None]


def value_chart_svg(
    chart: Mapping[str, Any], *, history_months: int = 24, width: int = 360, height: int = 150
) -> str:
    """The value chart (`profile_context.value_chart_data`) as an SVG element: monthly net
    revenue as bars and contribution margin I as a line over the last `history_months`,
    then the forecast revenue dashed inside its shaded band. Sized by the page's CSS."""
    months, revenue, margin, forecast = _window(chart, history_months)
    labels = chart.get("labels") or {}
    left, right, top, bottom = 54.0, 6.0, 18.0, 16.0
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [
        v for series in (revenue, margin, *forecast.values()) for v in series if v is not None
    ]
    low, high, ticks = _scale(values)

    def y(value: float) -> float:
        return top + plot_h * (high - value) / (high - low)

    step = plot_w / max(len(months), 1)

    def x(index: int) -> float:
        return left + step * (index + 0.5)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'font-family="DejaVu Sans" font-size="8" role="img" '
        f"aria-label={quoteattr(str(labels.get('revenue', '')))}>"
    ]
    for tick in ticks:
        parts.append(_line(left, y(tick), width - right, y(tick), GRID, 0.5))
        parts.append(_text(left - 3, y(tick) + 3, format_money(tick, 0), anchor="end"))
    labelled = [i for i, month in enumerate(months) if month.endswith(("-01", "-07"))]
    for index in labelled or range(min(len(months), 1)):
        parts.append(_text(x(index), height - 4, _month_label(months[index])))
        parts.append(_line(x(index), top + plot_h, x(index), top + plot_h + 2, TEXT, 0.5))
    if forecast:
        band = [(x(i), y(v)) for i, v in enumerate(forecast["high"]) if v is not None]
        band += [
            (x(i), y(v)) for i, v in reversed(list(enumerate(forecast["low"]))) if v is not None
        ]
        if len(band) > 2:
            parts.append(f'<polygon points="{_points(band)}" fill="{BAND}" fill-opacity="0.45"/>')
    zero, bar = y(0.0), step * 0.7
    for index, value in enumerate(revenue):
        if value:
            upper, lower = sorted((y(value), zero))
            parts.append(
                f'<rect x="{x(index) - bar / 2:.2f}" y="{upper:.2f}" width="{bar:.2f}" '
                f'height="{lower - upper:.2f}" fill="{REVENUE}"/>'
            )
    parts.append(_line(left, zero, width - right, zero, TEXT, 0.6))
    parts += _polylines([(x(i), v) for i, v in enumerate(margin)], y, MARGIN, width=0.9)
    if forecast:
        points = [(x(i), v) for i, v in enumerate(forecast["revenue"])]
        parts += _polylines(points, y, FORECAST, dash="3 2")
    parts.append(_legend(labels, has_margin=any(margin), has_forecast=bool(forecast)))
    parts.append("</svg>")
    return "".join(parts)


def _window(
    chart: Mapping[str, Any], history_months: int
) -> tuple[list[str], Series, Series, dict[str, Series]]:
    """The last `history_months` months before the forecast and all forecast months;
    values that are not finite numbers count as missing."""
    months = [str(m) for m in chart.get("months") or []]

    def series(values: Sequence[Any] | None) -> Series:
        padded = [*(values or []), *([None] * len(months))]
        return [_finite(v) for v in padded[: len(months)]]

    revenue, margin = series(chart.get("revenue")), series(chart.get("margin"))
    given = chart.get("forecast") or {}
    forecast = {key: series(given.get(key)) for key in ("revenue", "low", "high")}
    first = next((i for i, v in enumerate(forecast["revenue"]) if v is not None), None)
    if first is None:
        forecast, first = {}, len(months)
    start = max(first - history_months, 0)
    return (
        months[start:],
        revenue[start:],
        margin[start:],
        {key: values[start:] for key, values in forecast.items()},
    )


def _finite(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _scale(values: list[float]) -> tuple[float, float, list[float]]:
    """A rounded axis range that includes zero, with its ticks (1, 2, 2.5 or 5 × 10ⁿ apart)."""
    low, high = min([0.0, *values]), max([0.0, *values])
    if high - low < 1e-6:  # flat, or amounts far below a cent: no scale of their own
        return 0.0, 1.0, [0.0]
    raw = (high - low) / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    low, high = math.floor(low / step) * step, math.ceil(high / step) * step
    return low, high, [low + i * step for i in range(round((high - low) / step) + 1)]


def _month_label(month: str) -> str:
    """A month as "Jan 2026", in the user's language."""
    return formats.date_format(date(int(month[:4]), int(month[5:7]), 1), "M Y")


def _polylines(
    points: list[tuple[float, float | None]],
    y: Callable[[float], float],
    colour: str,
    *,
    width: float = 1.2,
    dash: str = "",
) -> list[str]:
    """One polyline per unbroken run of values: a month without a value breaks the line."""
    runs: list[list[tuple[float, float]]] = [[]]
    for px, value in points:
        if value is None:
            runs.append([])
        else:
            runs[-1].append((px, y(value)))
    dashing = f' stroke-dasharray="{dash}"' if dash else ""
    return [
        f'<polyline points="{_points(run)}" fill="none" stroke="{colour}" stroke-width="{width}" '
        f'stroke-linejoin="round"{dashing}/>'
        for run in runs
        if len(run) > 1
    ]


def _legend(labels: Mapping[str, Any], *, has_margin: bool, has_forecast: bool) -> str:
    """The series' names in a row above the plot, each after its symbol."""
    entries = [("revenue", f'<rect x="0" y="-5" width="7" height="5" fill="{REVENUE}"/>')]
    if has_margin:
        entries.append(("margin", _line(0, -2.5, 8, -2.5, MARGIN, 1.2)))
    if has_forecast:
        dashed = _line(0, -2.5, 8, -2.5, FORECAST, 1.2).replace("/>", ' stroke-dasharray="3 2"/>')
        band = f'<rect x="0" y="-5.5" width="8" height="6" fill="{BAND}" fill-opacity="0.45"/>'
        entries += [("forecast", dashed), ("band", band)]
    parts, offset = [], 4.0
    for key, symbol in entries:
        text = str(labels.get(key, ""))
        parts.append(
            f'<g transform="translate({offset:.2f} 9)">{symbol}'
            f"{_text(11, 0, text, anchor='start')}</g>"
        )
        offset += 18 + 4.5 * len(text)  # DejaVu Sans at 8 units: about 4.5 units a letter
    return "".join(parts)


def _line(x1: float, y1: float, x2: float, y2: float, colour: str, width: float) -> str:
    return (
        f'<line x1="{x1:.2f}" y1="{y1:.2f}" x2="{x2:.2f}" y2="{y2:.2f}" '
        f'stroke="{colour}" stroke-width="{width}"/>'
    )


def _text(x: float, y: float, text: str, *, anchor: str = "middle") -> str:
    return (
        f'<text x="{x:.2f}" y="{y:.2f}" text-anchor="{anchor}" fill="{TEXT}">{escape(text)}</text>'
    )


def _points(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{px:.2f},{py:.2f}" for px, py in points)
