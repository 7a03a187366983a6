"""Excel files for any list: header in the active language, frozen and filterable, and
each column in the number format of what it holds (euros, percentages, counts, dates),
so that the sheet shows the values as the pages do and still sorts and sums."""

from __future__ import annotations

import enum
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.http import HttpResponse
from django.utils.translation import get_language

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Kind(enum.Enum):
    """What a column holds, which fixes how its cells are written and shown."""

    TEXT = "text"
    COUNT = "count"  # a whole number: customers, people, a rank
    NUMBER = "number"  # a measure with `decimals` places: days, years, a score
    MONEY = "money"  # euros
    PERCENT = "percent"  # a fraction: 0.9993 is shown as 99.9 %
    DATE = "date"


MONEY_FORMAT = '#,##0.00 "€"'
"""Excel shows its separators in the reader's language: 1.234,56 € in a German Excel."""


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header (already translated) and what it holds."""

    header: str
    kind: Kind = Kind.TEXT
    decimals: int = 0  # places shown for NUMBER and PERCENT

    def number_format(self) -> str | None:
        """The Excel number format of the column's cells (None: text, as written)."""
        places = "." + "0" * self.decimals if self.decimals else ""
        if self.kind is Kind.COUNT:
            return "#,##0"
        if self.kind is Kind.NUMBER:
            return "#,##0" + places
        if self.kind is Kind.MONEY:
            return MONEY_FORMAT
        if self.kind is Kind.PERCENT:
            return f"0{places} %"
        if self.kind is Kind.DATE:
            german = (get_language() or "de").startswith("de")
            return "dd.mm.yyyy" if german else "yyyy-mm-dd"
        return None


def text(header: str) -> Column:
    return Column(header)


def count(header: str) -> Column:
    return Column(header, Kind.COUNT)


def number(header: str, decimals: int = 0) -> Column:
    return Column(header, Kind.NUMBER, decimals)


def money(header: str) -> Column:
    return Column(header, Kind.MONEY)


def percent(header: str, decimals: int = 1) -> Column:
    """A column of fractions shown as percentages (0.125 → 12.5 %)."""
    return Column(header, Kind.PERCENT, decimals)


def day(header: str) -> Column:
    return Column(header, Kind.DATE)


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    """A workbook as a download named `filename`."""
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _cell_number(value: Any, *, whole: bool) -> float | int | None:
    """A number as Excel stores it; a whole count stays an integer, NaN an empty cell."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"not a number: {value!r}")
    if isinstance(value, int):
        return value
    as_float = float(value)
    if math.isnan(as_float):
        return None
    return int(as_float) if whole and as_float.is_integer() else as_float


def workbook(sheet: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> bytes:
    """One sheet: a bold, frozen, filterable header row, then the rows, each cell written
    as its column's kind says (None and NaN as empty cells); a value that does not fit
    its column's kind is a programming error and raises TypeError."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    page = book.add_worksheet(sheet[:31])
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    formats = [
        book.add_format({"num_format": f}) if (f := column.number_format()) else None
        for column in columns
    ]
    page.write_row(0, 0, [column.header for column in columns], bold)
    count = 0
    widths = [max(10, len(column.header) + 2) for column in columns]
    for r, row in enumerate(rows, start=1):
        count = r
        for c, (column, value) in enumerate(zip(columns, row, strict=True)):
            if value is None:
                continue
            if column.kind is Kind.TEXT:
                page.write_string(r, c, str(value))
                widths[c] = min(60, max(widths[c], len(str(value)) + 2))
            elif column.kind is Kind.DATE:
                if not isinstance(value, date):
                    raise TypeError(f"not a date: {value!r}")
                when = value if isinstance(value, datetime) else datetime(*value.timetuple()[:3])
                page.write_datetime(r, c, when, formats[c])
            elif (cell := _cell_number(value, whole=column.kind is Kind.COUNT)) is not None:
                page.write_number(r, c, cell, formats[c])
                widths[c] = max(widths[c], 14)
    for c, width in enumerate(widths):
        page.set_column(c, c, width)
    page.freeze_panes(1, 0)
    page.autofilter(0, 0, max(count, 1), len(columns) - 1)
    book.close()
    return buffer.getvalue()
