"""A value type's reason in words: every code in German and English, numbers per language."""

from __future__ import annotations

import doctest
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kundenbild import reason_text as reason_text_module
from kundenbild.reason_text import (
    MINUS,
    REASON_CODES,
    format_number,
    month_list,
    reason_text,
    reason_texts,
)

NB = "\u00a0"  # German sets a non-breaking space before % and €

EXAMPLES: dict[str, dict[str, Any]] = {
    "no_orders": {},
    "insufficient_history": {"months": 6, "orders": 4, "min_months": 12, "min_orders": 3},
    "burr": {
        "months": 48,
        "monthly_revenue": 1234,
        "share_percent": 1.2,
        "percentile": 8,
        "margin_percent": 3,
    },
    "burr_no_cost": {"months": 48, "monthly_revenue": 35, "share_percent": 1.2, "percentile": 8},
    "cyclical": {"months": [11, 12, 1], "share_percent": 81, "recurrence_percent": 72, "years": 4},
    "bell": {"rise_factor": 3.0, "peak_months": 18, "now_percent": 25},
    "growth": {"months": 48, "factor": 2.8, "quarterly_percent": 9},
    "shrinking": {"months": 40, "now_percent": 21, "quarterly_percent": 13},
    "steady_flat": {"months": 48, "change_percent": 3},
    "steady_swings": {"months": 48, "change_percent": -30},
}

GERMAN = {
    "no_orders": "Keine Bestellung bis zum Stichtag.",
    "insufficient_history": "Erst 6 Monate Historie und 4 Bestellungen; für einen Werttyp sind "
    "mindestens 12 Monate und 3 Bestellungen nötig.",
    "burr": f"Seit 48 Monaten regelmäßig Kunde, aber nur 1.234{NB}€ Umsatz im Monat "
    f"(1,2{NB}% des mittleren Kunden; nur 8{NB}% der Kunden kaufen weniger) bei 3{NB}% "
    "Deckungsbeitrag I.",
    "burr_no_cost": f"Seit 48 Monaten regelmäßig Kunde, aber nur 35{NB}€ Umsatz im Monat "
    f"(1,2{NB}% des mittleren Kunden; nur 8{NB}% der Kunden kaufen weniger); die Daten "
    "enthalten keine Kosten, die Marge ist daher unbekannt.",
    "cyclical": f"In 4 Jahren entfielen 81{NB}% des Umsatzes auf Nov, Dez und Jan; das "
    f"Kalendermuster erklärt 72{NB}% der Schwankungen von Monat zu Monat.",
    "bell": "Umsatz in 18 Monaten bis zum Höhepunkt auf das 3,0-Fache gestiegen und seitdem "
    f"auf 25{NB}% davon gefallen.",
    "growth": f"Umsatz über 48 Monate um durchschnittlich 9{NB}% pro Quartal gestiegen "
    "(Faktor 2,8).",
    "shrinking": f"Umsatz über 40 Monate um durchschnittlich 13{NB}% pro Quartal gesunken, "
    f"auf 21{NB}% des Anfangsniveaus.",
    "steady_flat": f"Umsatzniveau über 48 Monate stabil (+3{NB}% vom Anfang bis zum Ende).",
    "steady_swings": f"Kein anhaltender Trend über 48 Monate: Das Niveau liegt 30{NB}% "
    "niedriger als am Anfang, im Rahmen seiner üblichen Schwankungen von Monat zu Monat.",
}

ENGLISH = {
    "no_orders": "No order up to the as-of date.",
    "insufficient_history": "Only 6 months of history and 4 orders; a value type needs at "
    "least 12 months and 3 orders.",
    "burr": "A regular customer for 48 months, but only €1,234 revenue a month (1.2% of the "
    "median customer; only 8% of the customers buy less), at 3% contribution margin I.",
    "burr_no_cost": "A regular customer for 48 months, but only €35 revenue a month (1.2% of "
    "the median customer; only 8% of the customers buy less); the data hold no costs, so its "
    "margin is unknown.",
    "cyclical": "In 4 years, 81% of the revenue came in Nov, Dec and Jan; the calendar "
    "pattern explains 72% of the swings from month to month.",
    "bell": "Revenue rose 3.0-fold in 18 months up to its peak and has since fallen to 25% of it.",
    "growth": "Revenue grew by 9% a quarter on average over 48 months (factor 2.8).",
    "shrinking": "Revenue fell by 13% a quarter on average over 40 months, to 21% of its "
    "starting level.",
    "steady_flat": "Revenue level stable over 48 months (+3% from start to end).",
    "steady_swings": "No lasting trend over 48 months: the level is 30% lower than at the "
    "start, within what its month-to-month swings allow.",
}


def test_every_code_has_an_example() -> None:
    assert set(EXAMPLES) == set(REASON_CODES) == set(GERMAN) == set(ENGLISH)


@pytest.mark.parametrize("code", REASON_CODES)
def test_every_code_reads_in_german_and_english(code: str) -> None:
    assert reason_text(code, EXAMPLES[code], "de") == GERMAN[code]
    assert reason_text(code, EXAMPLES[code], "en") == ENGLISH[code]


def test_one_month_and_one_order_are_said_in_the_singular() -> None:
    one = {"months": 1, "orders": 1, "min_months": 12, "min_orders": 3}
    assert reason_text("insufficient_history", one, "de").startswith(
        "Erst 1 Monat Historie und 1 Bestellung;"
    )
    assert reason_text("insufficient_history", one, "en").startswith(
        "Only 1 month of history and 1 order;"
    )
    # a minimum of one is a count of its own
    assert "mindestens 1 Monat und 1 Bestellung nötig" in reason_text(
        "insufficient_history", {**one, "min_months": 1, "min_orders": 1}, "de"
    )
    growth = {"months": 1, "factor": 2.0, "quarterly_percent": 50}
    assert "über 1 Monat um" in reason_text("growth", growth, "de")
    assert "over 1 month (" in reason_text("growth", growth, "en")
    assert "In 1 Jahr entfielen" in reason_text(
        "cyclical", {**EXAMPLES["cyclical"], "years": 1}, "de"
    )
    assert "In 1 year," in reason_text("cyclical", {**EXAMPLES["cyclical"], "years": 1}, "en")


@pytest.mark.parametrize(
    ("months", "german", "english"),
    [
        ([12], "Dez", "Dec"),
        ([6, 7], "Jun und Jul", "Jun and Jul"),
        ([11, 12, 1], "Nov, Dez und Jan", "Nov, Dec and Jan"),
        ([3, 5, 10], "Mär, Mai und Okt", "Mar, May and Oct"),
    ],
)
def test_months_are_listed_with_their_translated_names(
    months: list[int], german: str, english: str
) -> None:
    assert month_list(months, "de") == german
    assert month_list(months, "en") == english


def test_a_steady_change_has_its_sign_and_a_swing_its_direction() -> None:
    flat = EXAMPLES["steady_flat"]
    assert f"(−4{NB}% vom Anfang" in reason_text(
        "steady_flat", {**flat, "change_percent": -4}, "de"
    )
    assert "(0% from start" in reason_text("steady_flat", {**flat, "change_percent": 0}, "en")
    swings = EXAMPLES["steady_swings"]
    higher = reason_text("steady_swings", {**swings, "change_percent": 25}, "de")
    assert f"liegt 25{NB}% höher als am Anfang" in higher
    assert "is 25% higher than" in reason_text(
        "steady_swings", {**swings, "change_percent": 25}, "en"
    )
    assert "+" not in higher
    assert MINUS not in reason_text("steady_swings", swings, "de")


def test_the_language_may_carry_a_region_and_unknown_languages_get_english() -> None:
    growth = EXAMPLES["growth"]
    assert reason_text("growth", growth, "de-DE") == GERMAN["growth"]
    assert reason_text("growth", growth, "en_US") == ENGLISH["growth"]
    assert reason_text("growth", growth, "fr") == ENGLISH["growth"]


def test_reasons_stored_before_codes_show_their_text() -> None:
    stored = {"de": "Alter Grund", "en": "Old reason"}
    assert reason_text("text", stored, "de") == "Alter Grund"
    assert reason_text("text", stored, "en") == "Old reason"
    assert reason_text("text", {"de": "Nur Deutsch"}, "en") == "Nur Deutsch"


def test_an_unknown_code_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown reason code 'shapeless'"):
        reason_text("shapeless", {}, "de")


def test_many_reasons_at_once_from_the_cores_columns() -> None:
    growth = '{"months": 48, "factor": 2.8, "quarterly_percent": 9}'
    codes = ["growth", "no_orders", "growth"]
    values = [growth, "{}", growth]
    assert reason_texts(codes, values, "en") == [
        ENGLISH["growth"],
        ENGLISH["no_orders"],
        ENGLISH["growth"],
    ]


def _read_back(text: str, language: str) -> Decimal:
    """A number as a reader of the language takes it."""
    thousands, mark = (".", ",") if language == "de" else (",", ".")
    plain = text.replace(MINUS, "-").replace("+", "").replace(thousands, "").replace(mark, ".")
    return Decimal(plain)


@given(st.floats(allow_nan=False, allow_infinity=False) | st.integers(-(10**15), 10**15))
def test_any_number_reads_back_in_both_languages(value: float) -> None:
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    for language in ("de", "en"):
        text = format_number(value, language)
        assert _read_back(text, language) == exact
        assert _read_back(format_number(value, language, signed=True), language) == exact
        _whole, _mark, fraction = text.partition("," if language == "de" else ".")
        assert not fraction or fraction.isdigit()  # the decimals are never grouped


@given(
    st.sampled_from(REASON_CODES),
    st.integers(0, 10**7),
    st.floats(0, 1e7, allow_nan=False).map(lambda x: round(x, 1)),
    st.lists(st.integers(1, 12), min_size=1, max_size=12, unique=True),
)
def test_any_numbers_render_in_both_languages(
    code: str, count: int, decimal: float, months: list[int]
) -> None:
    values: dict[str, Any] = {}
    for name, example in EXAMPLES[code].items():
        if isinstance(example, list):
            values[name] = months
        else:
            values[name] = decimal if isinstance(example, float) else count
    for language in ("de", "en"):
        text = reason_text(code, values, language)
        assert "%(" not in text
        for name, value in values.items():
            if isinstance(value, list):
                assert month_list(value, language) in text
            elif not (code == "steady_swings" and name == "change_percent"):
                assert format_number(value, language, signed=name == "change_percent") in text


def test_the_docstring_examples_hold() -> None:
    assert doctest.testmod(reason_text_module).failed == 0
