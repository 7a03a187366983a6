"""A master-data file read into rows of text, the way the sales import reads its files.

The reader is the sales import's (`analytics.io.reading.read_file`): the same dialect
detection (delimiter, cp1252, quoting), the same xlsx and Parquet support, the same
limits. Only what follows differs: a master-data row stays text (a customer number
"00123" keeps its zeros, a postal code too), and each kind converts its own cells.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from kundenbild.analytics.io.reading import (
    Dialect,
    RawFile,
    ReadError,
    read_file,
    sniff_override,
    text_column,
)
from kundenbild.core.errors import ApplicationError
from kundenbild.imports.master.kinds import Kind, KindMapping, guess_mapping
from kundenbild.imports.master_labels import field_label
from kundenbild.imports.read_errors import listed, unreadable


class MasterColumnsMissingError(ApplicationError):
    """The file lacks a column the kind needs; the user must map it."""

    def __init__(self, message: str, *, headers: list[str], mapping: dict[str, str]):
        super().__init__(message, code="columns_missing")
        self.headers = headers
        self.mapping = mapping


@dataclass(frozen=True)
class MasterFile:
    """A file of one kind, read: its rows as text, how it was read, and how it maps."""

    raw: RawFile
    mapping: KindMapping

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """(row number in the file, header → cell text) for each row, mapped headers
        only; a header the file has twice counts by its first column."""
        headers = sorted(set(self.mapping.columns.values()))
        columns = {
            h: text_column(self.raw.table.column(self.raw.headers.index(h))).to_pylist()
            for h in headers
        }
        for index in range(self.raw.table.num_rows):
            cells = {h: columns[h][index] or "" for h in headers}
            if any(cells.values()):  # an empty line at the end of an export is no row
                yield self.raw.first_row + index, cells

    @property
    def dialect(self) -> Dialect:
        return self.raw.dialect


def read_master_file(
    path: Path,
    kind: Kind,
    *,
    saved: Mapping[str, str] | None = None,
    dialect: Dialect | None = None,
    overrides: Mapping[str, str | None] | None = None,
) -> MasterFile:
    """Read the file and map its headers to the kind's fields (a saved mapping wins);
    refuse it, in the user's language, when it cannot be read or lacks a column the kind
    needs."""
    chosen = {k: v for k, v in (overrides or {}).items() if v}
    try:
        raw = read_file(path, dialect or sniff_override(path, chosen), settings.IMPORT_LIMITS)
    except ReadError as error:
        raise unreadable(error) from None
    mapping = guess_mapping(kind, raw.headers, saved)
    missing = mapping.missing_required()
    if missing:
        raise MasterColumnsMissingError(
            _(
                "Required columns not found: %(fields)s. The file has: %(headers)s. "
                "Map them by hand and save the mapping for next time."
            )
            % {
                "fields": ", ".join(field_label(kind.name, f) for f in missing),
                "headers": listed(raw.headers),
            },
            headers=raw.headers,
            mapping=dict(mapping.columns),
        )
    return MasterFile(raw, mapping)
