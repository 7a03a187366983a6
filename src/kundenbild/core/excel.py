"""Excel files for any list: header in the active language, frozen and filterable,
numbers as numbers and dates as dates, so that the sheet sorts and sums as expected."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.http import HttpResponse

MONEY = "#,##0.00"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    """A workbook as a download named `filename`."""
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def workbook(sheet: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """One sheet: bold header row, then the rows. Decimals and floats are written as
    numbers, dates as dates, None as an empty cell, everything else as text."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    page = book.add_worksheet(sheet[:31])
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    money = book.add_format({"num_format": MONEY})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    page.write_row(0, 0, list(headers), bold)
    count = 0
    widths = [max(10, len(str(h)) + 2) for h in headers]
    for r, row in enumerate(rows, start=1):
        count = r
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, bool):
                page.write_boolean(r, c, value)
            elif isinstance(value, int):
                page.write_number(r, c, value)
            elif isinstance(value, Decimal | float):
                page.write_number(r, c, float(value), money)
            elif isinstance(value, date):
                page.write_datetime(r, c, value, day)
            else:
                text = str(value)
                page.write_string(r, c, text)
                widths[c] = min(60, max(widths[c], len(text) + 2))
    for c, width in enumerate(widths):
        page.set_column(c, c, width)
    page.freeze_panes(1, 0)
    page.autofilter(0, 0, max(count, 1), len(headers) - 1)
    book.close()
    return buffer.getvalue()
