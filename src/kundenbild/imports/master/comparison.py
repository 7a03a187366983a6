"""Who owns a field, and what an import does with it: three values decide.

For each field a file brings, compare the file's value (what the ERP says now), the
record's value (what Kundenbild holds now) and the baseline (what the last import
brought: the record's `erp_values`):

- file = record: nothing to do.
- no baseline yet (the field never came from the ERP): an empty field is filled in;
  a field someone filled in by hand differs from the ERP, and nobody can tell which is
  right, so it is a conflict.
- file = baseline: only Kundenbild changed it since; Kundenbild's value stays.
- record = baseline: only the ERP changed it; the import changes it.
- all three differ: both changed it; a conflict.

A conflict keeps Kundenbild's value unless the user says otherwise, for the field or
for the whole run. Either way the baseline becomes the file's value, so the same
conflict is not reported again by the next import of an unchanged export. A field the
file does not bring is never compared, and never touched (docs/decisions/0008).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

OVERWRITE_ALL = "*"


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class Conflict:
    """Both sides changed a field: Kundenbild's value, the ERP's, and whether the import
    takes the ERP's (the user said so)."""

    field: str
    kundenbild: str
    erp: str
    baseline: str | None
    overwritten: bool


@dataclass(frozen=True)
class Comparison:
    changes: tuple[FieldChange, ...]
    conflicts: tuple[Conflict, ...]
    baseline: dict[str, str]  # the record's erp_values after the import


def compare(
    file: Mapping[str, str],
    record: Mapping[str, str],
    baseline: Mapping[str, str],
    *,
    overwrite: Collection[str] = (),
) -> Comparison:
    """The changes and conflicts of one record; `overwrite` names the fields (or
    OVERWRITE_ALL) whose conflicts take the ERP's value."""
    changes: list[FieldChange] = []
    conflicts: list[Conflict] = []
    for field, erp in file.items():
        ours, before = record.get(field, ""), baseline.get(field)
        if erp == ours or (before is not None and erp == before):
            continue
        if (before is None and ours == "") or (before is not None and ours == before):
            changes.append(FieldChange(field, ours, erp))
            continue
        taken = OVERWRITE_ALL in overwrite or field in overwrite
        conflicts.append(Conflict(field, ours, erp, before, taken))
        if taken:
            changes.append(FieldChange(field, ours, erp))
    return Comparison(tuple(changes), tuple(conflicts), {**baseline, **file})
