"""Reading the cells of a master-data row: by field, as lists, and as one of a set of
choices named in German or English.

Shared by the customer, people and offering rows; `RowProblem` stays with the customer
rows, where it was first needed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from django.db import models
from django.utils import translation

from kundenbild.analytics.io.columns import normalise_header


@dataclass(frozen=True)
class Cells:
    """One row's cells by field: whitespace collapsed, "" where the file has no column."""

    cells: Mapping[str, str]
    columns: Mapping[str, str]  # field → header

    def text(self, field: str) -> str:
        header = self.columns.get(field)
        return " ".join((self.cells.get(header) or "").split()) if header else ""

    def header(self, field: str) -> str:
        return self.columns.get(field, field)

    def items(self, field: str, separators: str) -> tuple[str, ...]:
        """The items of a cell that lists several; see `split_list`."""
        header = self.columns.get(field)
        return split_list(self.cells.get(header) or "", separators) if header else ()


def split_list(text: str, separators: str) -> tuple[str, ...]:
    """The items of a cell that lists several ("Entscheider, Anwender"), split at any of
    `separators` or a line break, whitespace collapsed, in their order, each once; empty
    items (",," or a trailing ";") are dropped."""
    parts = re.split(f"[{re.escape(separators)}\\r\\n]", text)
    return tuple(dict.fromkeys(item for item in (" ".join(p.split()) for p in parts) if item))


def fold(word: str) -> str:
    """A word as it is looked up: lower case, umlauts folded whether written "ä" or "ae",
    "ß" as "ss", everything but letters and digits dropped ("Einkäufer", "EINKAEUFER" and
    "Einkaufer" are one word, "Hr." is "hr")."""
    return re.sub(r"ae|oe|ue", lambda m: m[0][0], normalise_header(word.replace("ß", "ss")))


@dataclass(frozen=True)
class Words:
    """The words a file may use for the values of one set of choices: each value itself,
    its label in German and in English, and the usual synonyms (`value → words`)."""

    choices: type[models.TextChoices]
    synonyms: Mapping[str, tuple[str, ...]]

    @cached_property
    def _values(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for choice in self.choices:
            words = [choice.value, *self.synonyms.get(choice.value, ())]
            for language in ("de", "en"):
                with translation.override(language):
                    words.append(str(choice.label))
            values.update(dict.fromkeys(map(fold, words), choice.value))
        return values

    def value_of(self, word: str) -> str | None:
        """The value a word names, or None where it names none."""
        return self._values.get(fold(word))

    def known(self) -> str:
        """The labels in the reader's language, for a message naming what a file may say."""
        return ", ".join(str(label) for label in self.choices.labels)


def max_lengths(model: type[models.Model], fields: Iterable[str]) -> dict[str, int]:
    """The longest text each of a model's fields keeps, for a message per cell before
    the database would refuse the row as a whole."""
    lengths = {}
    for name in fields:
        field = model._meta.get_field(name)
        if isinstance(field, models.Field) and field.max_length is not None:
            lengths[name] = field.max_length
    return lengths
