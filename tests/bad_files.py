"""A corpus of bad export files, generated on the fly (nothing big is committed).

Each maker writes one file into a folder and returns its path. The cases are what
controllers really upload by mistake (a picture, a half-copied file, a title row merged
over the header) and what an attacker would send (a zip bomb, 200,000 columns). None of
them may import a line, crash the server or give a 500.
"""

from __future__ import annotations

import random
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import xlsxwriter

HEADER = "Kundennummer;Rechnungsdatum;Belegnummer;Pos.;Artikel;Menge;Nettoumsatz"
GOOD_ROW = "K-1;15.01.2026;R-1;1;Schraube;10;123,45"


def _csv(path: Path, *rows: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join([HEADER, *rows]) + "\n").encode(encoding))
    return path


def empty(folder: Path) -> Path:
    path = folder / "leer.csv"
    path.write_bytes(b"")
    return path


def binary(folder: Path) -> Path:
    path = folder / "daten.csv"
    path.write_bytes(random.Random(18).randbytes(200_000))
    return path


def image(folder: Path) -> Path:
    """A real (tiny) PNG, named .csv."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    pixels = zlib.compress(b"".join(b"\x00" + b"\xff\x00\x00" * 64 for _ in range(64)))
    path = folder / "umsatz.csv"
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 64, 64, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )
    return path


def empty_xlsx(folder: Path) -> Path:
    path = folder / "leer.xlsx"
    path.write_bytes(b"")
    return path


def text_as_xlsx(folder: Path) -> Path:
    return _csv(folder / "umsatz.xlsx", GOOD_ROW)


def csv_as_parquet(folder: Path) -> Path:
    return _csv(folder / "umsatz.parquet", GOOD_ROW)


def xlsx_as_csv(folder: Path) -> Path:
    path = formulas_and_merged_cells(folder)
    return path.rename(folder / "umsatz.csv")


def truncated_csv(folder: Path) -> Path:
    """Copied half: the last row ends in the middle of a cell."""
    return _csv(folder / "halb.csv", GOOD_ROW, "K-1;15.01.20")


def truncated_xlsx(folder: Path) -> Path:
    whole = formulas_and_merged_cells(folder).read_bytes()
    path = folder / "halb.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    return path


def corrupt_parquet(folder: Path) -> Path:
    """A valid Parquet file with its middle overwritten (footer and magic intact)."""
    path = folder / "kaputt.parquet"
    pq.write_table(
        pa.table(
            {
                "customer_number": [f"K-{i}" for i in range(2000)],
                "invoice_date": pa.array([19_000 + i for i in range(2000)], pa.date32()),
                "net_revenue": [float(i) for i in range(2000)],
            }
        ),
        path,
        write_page_checksum=True,
    )
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle - 2000 : middle + 2000] = random.Random(6).randbytes(4000)
    path.write_bytes(bytes(data))
    return path


def _zip(path: Path, members: list[tuple[str, bytes, int, int]]) -> None:
    """A zip of already deflated members: (name, deflated bytes, crc32, unpacked size)."""
    out = bytearray()
    directory = bytearray()
    for name, deflated, crc, size in members:
        offset = len(out)
        encoded = name.encode()
        fields = struct.pack("<HHHHHIII", 20, 0, 8, 0, 0x21, crc, len(deflated), size)
        out += b"PK\x03\x04" + fields + struct.pack("<HH", len(encoded), 0) + encoded + deflated
        directory += (
            b"PK\x01\x02"
            + struct.pack("<H", 20)
            + fields
            + struct.pack("<HHHHHII", len(encoded), 0, 0, 0, 0, 0, offset)
            + encoded
        )
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(directory), len(out), 0
    )
    path.write_bytes(bytes(out + directory + end))


def zip_bomb(folder: Path, unpacked: int = 1 << 30) -> Path:
    """An .xlsx of about 1 MB whose sheet unpacks to `unpacked` bytes (1 GB).

    The same megabyte of rows is deflated once after a full flush, which resets the
    compressor, so its bytes can simply be repeated; the zip is then written by hand.
    """
    source = folder / "klein.xlsx"
    book = xlsxwriter.Workbook(str(source))
    book.add_worksheet().write_row(0, 0, HEADER.split(";"))
    book.close()
    with zipfile.ZipFile(source) as small:
        parts = {name: small.read(name) for name in small.namelist()}
    head = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
    head += b'spreadsheetml/2006/main"><sheetData>'
    tail = b"</sheetData></worksheet>"
    row = b'<row><c t="inlineStr"><is><t>K-1</t></is></c><c><v>1</v></c></row>'
    block = row * ((1 << 20) // len(row))
    repeats = (unpacked - len(head) - len(tail)) // len(block)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    repeated = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    last = packer.compress(tail) + packer.flush()
    crc = zlib.crc32(head)
    for _ in range(repeats):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + repeats * len(block) + len(tail)
    members = []
    for name, data in parts.items():
        if name == "xl/worksheets/sheet1.xml":
            members.append((name, first + repeated * repeats + last, crc, size))
        else:
            packed = zlib.compressobj(9, zlib.DEFLATED, -15)
            deflated = packed.compress(data) + packed.flush()
            members.append((name, deflated, zlib.crc32(data), len(data)))
    source.unlink()
    path = folder / "bombe.xlsx"
    _zip(path, members)
    return path


def _wide(folder: Path, name: str, columns: int) -> Path:
    """The usual columns, then `columns` in all, and one good row."""
    extra = [f"Spalte {i}" for i in range(columns - 7)]
    path = folder / name
    path.write_text(
        ";".join([HEADER, *extra]) + "\n" + ";".join([GOOD_ROW, *("x" * len(extra))]) + "\n",
        encoding="utf-8",
    )
    return path


def huge_header(folder: Path) -> Path:
    return _wide(folder, "breit.csv", 200_000)


def ten_thousand_columns(folder: Path) -> Path:
    return _wide(folder, "zehntausend.csv", 10_000)


def huge_cell(folder: Path) -> Path:
    """One article name of a megabyte (as when a quotation mark is never closed)."""
    return _csv(
        folder / "zelle.csv", GOOD_ROW, "K-1;15.01.2026;R-1;2;" + "A" * (1 << 20) + ";1;1,00"
    )


def invalid_utf8(folder: Path) -> Path:
    """Bytes that are neither UTF-8 nor Windows-1252 (0x81 and 0x8D are unassigned)."""
    path = folder / "kaputt.csv"
    path.write_bytes(
        (HEADER + "\n" + GOOD_ROW + "\n").encode() + b"K-1;15.01.2026;R-1;2;\x81\x8d\xff;1;1,00\n"
    )
    return path


def mixed_encodings(folder: Path) -> Path:
    """UTF-8 first, then a part appended from a Windows-1252 export."""
    path = folder / "gemischt.csv"
    utf8 = (HEADER + "\n" + "K-1;15.01.2026;R-1;1;Dübel;10;1,00\n").encode("utf-8")
    path.write_bytes(utf8 + "K-1;16.01.2026;R-2;1;Dübel;10;1,00\n".encode("cp1252"))
    return path


def impossible_dates(folder: Path) -> Path:
    return _csv(folder / "datum.csv", GOOD_ROW, "K-1;31.02.2026;R-1;2;Schraube;1;1,00")


def numbers_out_of_range(folder: Path) -> Path:
    return _csv(
        folder / "zahlen.csv",
        GOOD_ROW,
        "K-1;15.01.2026;R-1;2;Schraube;1;1.000.000.000.000.000,00",
        "K-1;15.01.2026;R-1;3;Schraube;" + "9" * 400 + ";1,00",
    )


def formulas_and_merged_cells(folder: Path) -> Path:
    """Excel as people make it: the customer merged over its rows, formulas that failed."""
    path = folder / "formeln.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Umsätze")
    sheet.write_row(0, 0, HEADER.split(";"))
    day = book.add_format({"num_format": "dd.mm.yyyy"})
    sheet.merge_range(1, 0, 2, 0, "K-1")
    for row in (1, 2):
        sheet.write_number(row, 1, 46037, day)
        sheet.write_row(row, 2, ["R-1", row, "Schraube", 10])
    sheet.write_formula(1, 6, "=F2*12,5")  # no cached value
    sheet.write_formula(2, 6, "=1/0", None, "#DIV/0!")
    book.close()
    return path


BAD_FILES: dict[str, Callable[[Path], Path]] = {
    "empty": empty,
    "binary": binary,
    "image_named_csv": image,
    "empty_xlsx": empty_xlsx,
    "text_named_xlsx": text_as_xlsx,
    "csv_named_parquet": csv_as_parquet,
    "xlsx_named_csv": xlsx_as_csv,
    "truncated_csv": truncated_csv,
    "truncated_xlsx": truncated_xlsx,
    "corrupt_parquet": corrupt_parquet,
    "zip_bomb": zip_bomb,
    "huge_header_200000_columns": huge_header,
    "10000_columns": ten_thousand_columns,
    "1mb_cell": huge_cell,
    "invalid_utf8": invalid_utf8,
    "mixed_encodings": mixed_encodings,
    "impossible_date": impossible_dates,
    "numbers_out_of_range": numbers_out_of_range,
    "xlsx_formulas_and_merged_cells": formulas_and_merged_cells,
}
