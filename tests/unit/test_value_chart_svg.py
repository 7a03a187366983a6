"""The value chart drawn as SVG for the profile PDF: well-formed for any series."""

from __future__ import annotations

import math
import re
from typing import Any
from xml.etree import ElementTree

from hypothesis import given, settings
from hypothesis import strategies as st

from kundenbild.profile.charts import FORECAST, REVENUE, value_chart_svg

SVG = "{http://www.w3.org/2000/svg}"
LABELS = {"revenue": "Umsatz", "margin": "DB I", "forecast": "Prognose", "band": "80 % Band"}
NUMERIC = ("x", "y", "x1", "y1", "x2", "y2", "width", "height")


def _months(first_year: int, count: int) -> list[str]:
    return [f"{first_year + i // 12:04d}-{i % 12 + 1:02d}" for i in range(count)]


def _parse(svg: str) -> ElementTree.Element:
    root = ElementTree.fromstring(svg)  # noqa: S314 (our own output)
    assert root.tag == f"{SVG}svg"
    return root


def _coordinates(root: ElementTree.Element) -> list[float]:
    numbers = []
    for element in root.iter():
        for name in NUMERIC:
            if name in element.attrib:
                numbers.append(float(element.attrib[name]))
        for pair in element.attrib.get("points", "").split():
            numbers += [float(n) for n in pair.split(",")]
        if match := re.fullmatch(
            r"translate\(([^ ]+) ([^)]+)\)", element.attrib.get("transform", "")
        ):
            numbers += [float(match[1]), float(match[2])]
    return numbers


def _bars(root: ElementTree.Element) -> list[ElementTree.Element]:
    """The revenue bars (the legend's symbol sits inside a group)."""
    return [e for e in root.findall(f"{SVG}rect") if e.attrib.get("fill") == REVENUE]


def _dashed(root: ElementTree.Element) -> list[ElementTree.Element]:
    return [e for e in root.findall(f"{SVG}polyline") if e.attrib.get("stroke") == FORECAST]


def test_no_data_gives_an_empty_but_valid_chart() -> None:
    root = _parse(value_chart_svg({"months": [], "revenue": [], "margin": [], "labels": LABELS}))
    assert _bars(root) == []
    assert all(math.isfinite(n) for n in _coordinates(root))


def test_all_zeros_draw_no_bars_and_no_division_by_zero() -> None:
    months = _months(2024, 18)
    chart = {"months": months, "revenue": [0.0] * 18, "margin": [0.0] * 18, "labels": LABELS}
    root = _parse(value_chart_svg(chart))
    assert _bars(root) == []
    assert all(math.isfinite(n) for n in _coordinates(root))


def test_without_a_forecast_the_last_24_months_are_drawn_and_nothing_dashed() -> None:
    months = _months(2020, 60)
    chart = {"months": months, "revenue": [1000.0] * 60, "margin": [300.0] * 60, "labels": LABELS}
    root = _parse(value_chart_svg(chart))
    assert len(_bars(root)) == 24
    assert _dashed(root) == []
    assert root.find(f"{SVG}polygon") is None
    assert "Prognose" not in value_chart_svg(chart)


def test_a_forecast_continues_24_months_of_history_dashed_inside_its_band() -> None:
    months = _months(2021, 48)
    history = [2000.0 + i for i in range(36)] + [None] * 12
    path = [None] * 36 + [2500.0] * 12
    chart = {
        "months": months,
        "revenue": history,
        "margin": [h * 0.3 if h is not None else None for h in history],
        "forecast": {
            "revenue": path,
            "low": [p * 0.8 if p else None for p in path],
            "high": [p * 1.2 if p else None for p in path],
        },
        "labels": LABELS,
    }
    svg = value_chart_svg(chart)
    root = _parse(svg)
    assert len(_bars(root)) == 24
    (dashed,) = _dashed(root)
    assert len(dashed.attrib["points"].split()) == 12
    assert root.find(f"{SVG}polygon") is not None
    assert "Jan 2023" in svg  # month labels in the active language (German by default)
    assert "3.000\u00a0€" in svg  # the axis in euros, formatted for the reader


def test_labels_are_escaped() -> None:
    labels = {"revenue": 'Umsatz <b>&</b> "Marge"'}
    svg = value_chart_svg({"months": ["2025-01"], "revenue": [5.0], "labels": labels})
    texts = [t.text for t in _parse(svg).iter(f"{SVG}text")]
    assert 'Umsatz <b>&</b> "Marge"' in texts


def test_a_negative_margin_stays_inside_the_drawing() -> None:
    chart = {"months": _months(2025, 3), "revenue": [100.0, 0.0, 50.0], "margin": [-80.0, 0, 10]}
    root = _parse(value_chart_svg(chart, width=360, height=150))
    ys = [float(e.attrib[k]) for e in root for k in ("y", "y1", "y2") if k in e.attrib]
    assert ys
    assert all(0 <= y <= 150 for y in ys)
    assert "−100\u00a0€" in ElementTree.tostring(root, encoding="unicode")


amounts = st.one_of(st.none(), st.floats(min_value=0, max_value=1e13, allow_nan=False))


@st.composite
def charts(draw: Any) -> dict[str, Any]:
    count = draw(st.integers(min_value=0, max_value=80))
    chart: dict[str, Any] = {
        "months": _months(2018, count),
        "revenue": draw(st.lists(amounts, min_size=count, max_size=count)),
        "margin": draw(st.lists(amounts, min_size=count, max_size=count)),
        "labels": LABELS,
    }
    if count and draw(st.booleans()):
        chart["forecast"] = {
            key: draw(st.lists(amounts, min_size=count, max_size=count))
            for key in ("revenue", "low", "high")
        }
    return chart


@settings(max_examples=150, deadline=None)
@given(charts())
def test_any_non_negative_series_gives_valid_svg_with_finite_coordinates(chart) -> None:  # type: ignore[no-untyped-def]
    root = _parse(value_chart_svg(chart))
    assert all(math.isfinite(n) for n in _coordinates(root))
    assert len(_bars(root)) <= len(chart["months"])
