"""An article list imported into the catalogue by article number: checked as a whole,
compared field by field (`comparison`), written in bulk with history, rolled back field
by field. The same shape as the customer import, for a record without relations: its
group is named by its German name and created where new.
"""

from __future__ import annotations

import copy
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from kundenbild.accounts.models import User
from kundenbild.core.bulk import ids_created
from kundenbild.imports.master.comparison import Comparison, compare
from kundenbild.imports.master.customers import RowProblem
from kundenbild.imports.master.kinds import KindMapping
from kundenbild.imports.master.offerings import OfferingRow, convert_offerings
from kundenbild.imports.models import ImportRun, MasterChange
from kundenbild.offerings.models import Offering, OfferingGroup, OfferingKind
from kundenbild.offerings.services import (
    CheckedOfferings,
    groups_ensure,
    offerings_create_many,
    offerings_delete_unused,
    offerings_update_many,
)

IMPORTED_GROUP = "Aus dem ERP importiert"  # the group of a new offering the file gives none
CHUNK = 900
# the file's field → the offering's column; "group" is the group's German name
COLUMNS = {"name": "name_de", "name_en": "name_en", "kind": "kind", "unit": "unit"}


@dataclass
class OfferingPlan:
    row: OfferingRow
    values: dict[str, str]
    offering: Offering
    existing: Offering | None = None
    comparison: Comparison | None = None

    @property
    def row_number(self) -> int:
        return self.row.row

    @property
    def key(self) -> str:
        return self.row.number

    @property
    def label(self) -> str:
        return self.row.name_de

    @property
    def writes(self) -> bool:
        if self.existing is None or self.comparison is None:
            return True
        return bool(self.comparison.changes or self.comparison.baseline != self.existing.erp_values)


@dataclass
class OfferingFilePlan:
    offerings: list[OfferingPlan] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    duplicates: list[object] = field(default_factory=list)
    rows: int = 0
    unchanged: int = 0  # counted among the records, not apart

    @property
    def records(self) -> list[OfferingPlan]:
        return self.offerings

    @property
    def invalid_rows(self) -> int:
        return len({p.row for p in self.problems})


def plan_offerings(
    rows: Iterable[tuple[int, Mapping[str, str]]],
    mapping: KindMapping,
    overwrite: Collection[str] = (),
) -> OfferingFilePlan:
    """Convert, check and compare every row; write nothing."""
    counted = list(rows)
    converted, problems = convert_offerings(counted, mapping)
    plan = OfferingFilePlan(rows=len(counted), problems=problems)
    refused = {p.row for p in problems}
    rows_ok = [r for r in converted if r.row not in refused]
    known = _known(r.number for r in rows_ok)
    groups = {g.name_de: g for g in OfferingGroup.objects.all()}
    for row in rows_ok:
        values = _file_values(row, mapping)
        existing = known.get(row.number)
        offering = copy.copy(existing) if existing else Offering(number=row.number)
        if existing is None:
            values.setdefault("kind", OfferingKind.PRODUCT)
            values.setdefault("group", IMPORTED_GROUP)
        _apply(offering, values, groups)
        planned = OfferingPlan(row, values, offering, existing)
        if existing is not None:
            mine = f"{row.number}:"
            asked = {o.removeprefix(mine) for o in overwrite if ":" not in o or o.startswith(mine)}
            planned.comparison = compare(
                values, _record_values(existing), existing.erp_values, overwrite=asked
            )
        plan.problems += _invalid(planned, mapping)
        plan.offerings.append(planned)
    refused = {p.row for p in plan.problems}
    plan.offerings = [o for o in plan.offerings if o.row.row not in refused]
    plan.problems.sort(key=lambda p: (p.row, p.column))
    return plan


def _file_values(row: OfferingRow, mapping: KindMapping) -> dict[str, str]:
    """The fields the file brings: the name always, the others where the file has their
    column and the row a value (an empty kind or group keeps the offering's)."""
    values = {"name": row.name_de}
    for name, value in (("name_en", row.name_en), ("unit", row.unit)):
        if name in mapping.columns:
            values[name] = value
    for name, value in (("kind", row.kind), ("group", row.group)):
        if value:
            values[name] = value
    return values


def _record_values(offering: Offering) -> dict[str, str]:
    values = {name: getattr(offering, column) or "" for name, column in COLUMNS.items()}
    values["group"] = offering.group.name_de
    return values


def _apply(offering: Offering, values: Mapping[str, str], groups: dict[str, OfferingGroup]) -> None:
    for name, column in COLUMNS.items():
        if name in values:
            setattr(offering, column, values[name])
    if "group" in values:
        name = values["group"]
        offering.group = groups.get(name) or OfferingGroup(name_de=name)


def _invalid(planned: OfferingPlan, mapping: KindMapping) -> list[RowProblem]:
    """What the catalogue's form would refuse, by the file's columns."""
    try:
        planned.offering.full_clean(exclude=["group"], validate_unique=False)
    except ValidationError as error:
        of_column = {column: name for name, column in COLUMNS.items()}
        return [
            RowProblem(
                planned.row.row,
                mapping.columns.get(of_column.get(f, "name"), f),
                planned.values.get(of_column.get(f, "name"), ""),
                " ".join(messages),
            )
            for f, messages in error.message_dict.items()
        ]
    return []


def _known(numbers: Iterable[str]) -> dict[str, Offering]:
    unique = sorted(set(numbers))
    found: dict[str, Offering] = {}
    for start in range(0, len(unique), CHUNK):
        chunk = Offering.objects.filter(number__in=unique[start : start + CHUNK])
        found.update((o.number, o) for o in chunk.select_related("group"))
    return found


def write_offerings(
    plan: OfferingFilePlan, *, run: ImportRun, by: User | None, reason: str
) -> None:
    """Create the new offerings, change the known ones where the plan says so, and keep
    what each change replaced for the rollback."""
    groups = groups_ensure([p.values["group"] for p in plan.offerings if "group" in p.values])
    new = [p for p in plan.offerings if p.existing is None]
    for planned in new:
        _apply(planned.offering, planned.values, groups)
        planned.offering.erp_values = dict(planned.values)
    offerings_create_many(
        CheckedOfferings(tuple(p.offering for p in new), ()), by=by, reason=reason
    )
    changed, changes = [], []
    for planned in plan.offerings:
        if planned.existing is None or planned.comparison is None or not planned.writes:
            continue
        offering, comparison = planned.existing, planned.comparison
        fields = {c.field: [c.old, c.new] for c in comparison.changes}
        before = dict(offering.erp_values)
        _apply(offering, {f: new for f, (_old, new) in fields.items()}, groups)
        offering.erp_values = comparison.baseline
        changed.append(offering)
        changes.append(
            MasterChange(run=run, object_id=offering.pk, fields=fields, erp_values_before=before)
        )
    moved = [c.object_id for c in changes if c.fields]
    offerings_update_many(
        changed, [*COLUMNS.values(), "group", "erp_values"], by=by, reason=reason, changed=moved
    )
    MasterChange.objects.bulk_create(changes, batch_size=1000)


def rollback_offerings(run: ImportRun, *, by: User | None, created: str, reason: str) -> None:
    """Each field the import changed gets its old value back where nobody changed it
    since; the offerings it created go where nobody uses them."""
    changes = {c.object_id: c for c in MasterChange.objects.filter(run=run)}
    offerings = list(Offering.objects.filter(pk__in=list(changes)).select_related("group"))
    names = [old for c in changes.values() for f, (old, _n) in c.fields.items() if f == "group"]
    groups = groups_ensure(names)
    restored: list[int] = []
    for offering in offerings:
        change = changes[offering.pk]
        current = _record_values(offering)
        restore = {f: old for f, (old, new) in change.fields.items() if current.get(f) == new}
        _apply(offering, restore, groups)
        offering.erp_values = change.erp_values_before
        if restore:
            restored.append(offering.pk)
    offerings_update_many(
        offerings,
        [*COLUMNS.values(), "group", "erp_values"],
        by=by,
        reason=reason,
        changed=restored,
    )
    offerings_delete_unused(ids_created(Offering, created), by=by, reason=reason)
