"""Field validators with messages that tell the user what a valid value looks like."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kundenbild.identifiers import (
    is_valid_customer_number,
    is_valid_german_postal_code,
    is_valid_vat_id,
    parse_register_number,
)


def validate_customer_number(value: str) -> None:
    if value and not is_valid_customer_number(value):
        raise ValidationError(
            _(
                "“%(value)s” is not a valid customer number. A customer number starts with a "
                "letter or a digit and holds no tabs or line breaks, e.g. K-10042."
            ),
            code="invalid_customer_number",
            params={"value": value},
        )


def validate_vat_id(value: str) -> None:
    if value and not is_valid_vat_id(value):
        raise ValidationError(
            _(
                "“%(value)s” is not a valid VAT number. German VAT numbers are DE followed by "
                "nine digits, e.g. DE136695976."
            ),
            code="invalid_vat_id",
            params={"value": value},
        )


def validate_register_number(value: str) -> None:
    if not value:
        return
    try:
        parse_register_number(value)
    except ValueError:
        raise ValidationError(
            _(
                "“%(value)s” is not a valid register number. Write the register type and the "
                "number, e.g. HRB 12345 or HRA 6789."
            ),
            code="invalid_register_number",
            params={"value": value},
        ) from None


def validate_german_postal_code(value: str) -> None:
    if value and not is_valid_german_postal_code(value):
        raise ValidationError(
            _("“%(value)s” is not a German postal code. It has five digits, e.g. 80331."),
            code="invalid_postal_code",
            params={"value": value},
        )
