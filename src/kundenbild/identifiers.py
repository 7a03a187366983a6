"""Parsing and checking of German business identifiers, free of Django.

Kept pure so that forms, the API, imports and the demo generator share one truth about
what a valid VAT number, commercial register entry or customer number looks like.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_VAT_SHAPE = re.compile(r"^[A-Z]{2}[0-9A-Z+*]{2,12}$")
_DE_VAT = re.compile(r"^DE[1-9][0-9]{8}$")
_REGISTER = re.compile(r"^(HRA|HRB|GnR|PR|VR|GsR)\s?([1-9][0-9]{0,5})(?:\s?([A-Z]{1,2}))?$")
_DE_POSTAL_CODE = re.compile(r"^(?!00)[0-9]{5}$")

REGISTER_TYPES = ("HRA", "HRB", "GnR", "PR", "VR", "GsR")


def normalize_vat_id(raw: str) -> str:
    """Upper-case and drop the spaces, dots and dashes people type into VAT numbers."""
    return re.sub(r"[\s.\-]", "", raw).upper()


def de_vat_check_digit(first_eight: str) -> int:
    """Return the check digit of a German VAT number (ISO 7064, MOD 11,10).

    >>> de_vat_check_digit("13669597")
    6
    """
    if len(first_eight) != 8 or not first_eight.isdigit():
        raise ValueError("expected eight digits")
    product = 10
    for char in first_eight:
        total = (int(char) + product) % 10
        if total == 0:
            total = 10
        product = (2 * total) % 11
    check = 11 - product
    return 0 if check == 10 else check


def is_valid_vat_id(raw: str) -> bool:
    """True for a well-formed EU VAT number; German ones must also pass their checksum."""
    vat = normalize_vat_id(raw)
    if vat.startswith("DE"):
        return bool(_DE_VAT.match(vat)) and de_vat_check_digit(vat[2:10]) == int(vat[10])
    return bool(_VAT_SHAPE.match(vat))


@dataclass(frozen=True)
class RegisterNumber:
    """An entry number of a German commercial, cooperative, partnership or association register."""

    kind: str
    number: int
    suffix: str = ""

    def __str__(self) -> str:
        text = f"{self.kind} {self.number}"
        return f"{text} {self.suffix}" if self.suffix else text


def parse_register_number(raw: str) -> RegisterNumber:
    """Parse "HRB 12345", "HRB12345 B", "GnR 77"; raise ValueError on anything else.

    >>> str(parse_register_number("hrb12345"))
    'HRB 12345'
    """
    text = raw.strip()
    for kind in REGISTER_TYPES:
        if text.upper().startswith(kind.upper()):
            text = kind + text[len(kind) :]
            break
    match = _REGISTER.match(text)
    if not match:
        raise ValueError(raw)
    return RegisterNumber(match.group(1), int(match.group(2)), match.group(3) or "")


def is_valid_german_postal_code(raw: str) -> bool:
    """Five digits, not starting with 00 (no German postal area uses it)."""
    return bool(_DE_POSTAL_CODE.match(raw.strip()))


def is_valid_customer_number(raw: str) -> bool:
    """A customer number as ERPs write them: it starts with a letter or a digit and holds
    only printable characters, so no tab, line break or formula (=, +, @) from a column
    that slipped in an export.

    >>> is_valid_customer_number("K-10042"), is_valid_customer_number("=HYPERLINK(1)")
    (True, False)
    """
    return raw[:1].isalnum() and raw.isprintable()
