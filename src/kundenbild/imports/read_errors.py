"""Why a file cannot be read, in the user's language, with a stable code for the API.

The reader (`analytics.io.reading`, no Django) says why with a code and numbers; the
sentences are made here, so that a controller reads German and the API client can
branch on `too_many_columns` or `compression_ratio` without parsing text.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from kundenbild.analytics.io.reading import ReadError
from kundenbild.core.errors import ApplicationError

LISTED_HEADERS = 50  # of a file's columns named in a message; the rest are counted
HEADER_CHARS = 60


class FileTooLargeError(ApplicationError):
    """Larger than the limits allow, packed or unpacked: 413 on the API."""

    status = 413


def _n(value: object) -> str:
    return f"{value:n}" if isinstance(value, int) else str(value)


MESSAGES: dict[str, Callable[[], str]] = {
    "empty": lambda: _("The file is empty."),
    "binary": lambda: _("The file contains binary data: it is no CSV file."),
    "no_header": lambda: _("The file has no header row."),
    "unknown_type": lambda: _("Use a CSV, Excel (.xlsx) or Parquet file."),
    "not_csv": lambda: _("It cannot be read as CSV (%(detail)s)."),
    "not_xlsx": lambda: _("The file is not an Excel workbook (.xlsx), or it is damaged."),
    "not_parquet": lambda: _("The file is not a Parquet file, or it is damaged."),
    "empty_sheet": lambda: _("The worksheet is empty."),
    "mixed_encoding": lambda: _(
        "The file mixes two encodings (UTF-8 and Windows-1252); save it again in one."
    ),
    "too_many_columns": lambda: _("The file has %(count)s columns; at most %(limit)s are allowed."),
    "too_many_rows": lambda: _("The file has %(count)s rows; at most %(limit)s are allowed."),
    "header_too_long": lambda: _("The header row is longer than %(limit)s bytes."),
    "header_cell_too_long": lambda: _(
        "A column name has %(length)s characters; at most %(limit)s are allowed."
    ),
    "cell_too_long": lambda: _(
        "Row %(row)s, column “%(column)s”: a cell has %(length)s characters; at most "
        "%(limit)s are allowed. Is a quotation mark never closed?"
    ),
    "too_large_unpacked": lambda: _(
        "Unpacked, the file would take %(size)s MB; at most %(limit)s MB are allowed."
    ),
    "compression_ratio": lambda: _(
        "The file unpacks to %(ratio)s times its size (at most %(limit)s times): it is "
        "not an ordinary export."
    ),
}
TOO_LARGE = {"too_large_unpacked", "compression_ratio", "too_many_rows"}


def unreadable(error: ReadError) -> ApplicationError:
    """The refusal for a file the reader gave up on; code = the reader's code."""
    template = MESSAGES.get(error.code)
    values = {k: _n(v) for k, v in error.values.items()}
    reason = template() % values if template else str(error)
    message = _("The file cannot be read: %(reason)s") % {"reason": reason}
    kind = FileTooLargeError if error.code in TOO_LARGE else ApplicationError
    return kind(message, code=error.code)


def listed(headers: list[str]) -> str:
    """The first columns of a file by name, each cut short, and how many more there are."""
    shown = [h if len(h) <= HEADER_CHARS else h[:HEADER_CHARS] + "…" for h in headers]
    text = ", ".join(shown[:LISTED_HEADERS])
    more = len(headers) - LISTED_HEADERS
    if more > 0:
        text += " " + _("and %(count)s more") % {"count": f"{more:n}"}
    return text
