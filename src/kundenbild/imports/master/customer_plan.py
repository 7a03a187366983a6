"""What a customer file would do, found before anything is written: which customers are
new, which change and how, which conflict, and which rows are refused and why.

Every row is checked by the rules the customer form applies (the model's own
validation: VAT ID, register number and court, website; the address's postal code per
country), and against the database: a parent that is neither in the file nor a known
customer, a group that would become a circle with the parents already known, a key
account manager who is no user. Customers are found by their number.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from kundenbild.accounts.models import User
from kundenbild.customers.models import MAX_GROUP_DEPTH, Address, AddressKind, Customer
from kundenbild.imports.master.comparison import Comparison, compare
from kundenbild.imports.master.customer_values import (
    ADDRESS_KINDS,
    NO_RELATIONS,
    Relations,
    address_parts,
    apply_plain,
    brought,
    file_values,
    record_values,
    relations_of,
)
from kundenbild.imports.master.customers import CustomerRow, RowProblem, convert_customers
from kundenbild.imports.master.duplicates import Duplicate, Party, find_duplicates, stored_parties
from kundenbild.imports.master.kinds import KindMapping

CHUNK = 900  # values per IN (…) query: SQLite allows 999 parameters


@dataclass
class CustomerPlan:
    """One customer of the file: new (`existing` is None) or known, with its comparison."""

    row: CustomerRow
    values: dict[str, str]  # the file's value of each field it brings
    customer: Customer  # new and unsaved, or a copy of the known one with the file applied
    existing: Customer | None = None
    comparison: Comparison | None = None
    relations: Relations = NO_RELATIONS  # of the stored customer

    @property
    def row_number(self) -> int:
        return self.row.row

    @property
    def key(self) -> str:
        return self.row.number

    @property
    def label(self) -> str:
        return self.row.name

    @property
    def writes(self) -> bool:
        """Whether importing it writes anything: a new customer, a field, the baseline
        of the fields the ERP owns, or the end of "no master data yet"."""
        if self.existing is None or self.comparison is None:
            return True
        return bool(
            self.comparison.changes
            or self.comparison.baseline != self.existing.erp_values
            or self.existing.master_data_missing
        )


@dataclass
class CustomerFilePlan:
    customers: list[CustomerPlan] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    rows: int = 0
    unchanged: int = 0  # customers the file holds as Kundenbild does (not kept)

    @property
    def records(self) -> list[CustomerPlan]:
        return self.customers

    @property
    def invalid_rows(self) -> int:
        return len({p.row for p in self.problems})


def plan_customers(
    rows: Iterable[tuple[int, Mapping[str, str]]],
    mapping: KindMapping,
    *,
    overwrite: Collection[str] = (),
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> CustomerFilePlan:
    """Convert, check and compare every row of the file; write nothing; `progress`
    hears of each chunk compared (done, total).

    The customers are compared a chunk at a time, and only those the import writes are
    kept (with their copy from the database): a nightly file of 100,000 customers,
    nearly all unchanged, is not held in memory twice. An unchanged customer is not
    checked again: its values are the ones Kundenbild holds, or last imported.
    """
    counter = _Counted(rows)
    converted, problems = convert_customers(counter, mapping)
    plan = CustomerFilePlan(rows=counter.count, problems=problems)
    refused = {p.row for p in problems}
    converted = [c for c in converted if c.row not in refused]
    owners = _owners({c.owner for c in converted if c.owner})
    fields = brought(mapping)
    plan.problems += _unknown_owners(converted, owners, mapping)
    plan.problems += _parents(converted, mapping)
    refused = {p.row for p in plan.problems}
    parties = []
    for start in range(0, len(converted), CHUNK):
        progress(start, len(converted))
        chunk = [c for c in converted[start : start + CHUNK] if c.row not in refused]
        known = _known(c.number for c in chunk)
        for row in chunk:
            values = file_values(row, fields, owners.get(row.owner.casefold(), ""))
            existing, relations = known.get(row.number, (None, NO_RELATIONS))
            planned = _planned(row, values, existing, relations, overwrite)
            parties.append(_party(planned))
            if not planned.writes:
                plan.unchanged += 1
                continue
            found = _invalid(planned, mapping)
            plan.problems += found
            if not found:
                plan.customers.append(planned)
    plan.problems.sort(key=lambda p: (p.row, p.column))
    plan.duplicates = find_duplicates(parties, stored_parties(p.number for p in parties))
    return plan


class _Counted:
    """The file's rows, passed on once, counted on the way."""

    def __init__(self, rows: Iterable[tuple[int, Mapping[str, str]]]) -> None:
        self.rows = rows
        self.count = 0

    def __iter__(self) -> Iterator[tuple[int, Mapping[str, str]]]:
        for row in self.rows:
            self.count += 1
            yield row


def _party(planned: CustomerPlan) -> Party:
    """The customer as it will be, for the search for duplicates."""
    customer = planned.customer
    if "address_headquarters" in planned.values:
        address = address_parts(planned.values["address_headquarters"])
        postal_code = address[1] if address else ""
    else:
        known = planned.relations.first_address(AddressKind.HEADQUARTERS)
        postal_code = known.postal_code if known else ""
    return Party(customer.number, customer.name, customer.vat_id, postal_code, planned.row.row)


def _known(numbers: Iterable[str]) -> dict[str, tuple[Customer, Relations]]:
    """The customers of the file the database holds, by number, with what
    `record_values` reads (one chunk of numbers at a time)."""
    unique = sorted(set(numbers))
    found: dict[str, tuple[Customer, Relations]] = {}
    for start in range(0, len(unique), CHUNK):
        chunk = Customer.objects.filter(number__in=unique[start : start + CHUNK])
        customers = list(chunk.select_related("parent", "owner"))
        relations = relations_of([c.pk for c in customers])
        found.update((c.number, (c, relations[c.pk])) for c in customers)
    return found


def _owners(texts: set[str]) -> dict[str, str]:
    """User name of each key account manager the file names, by user name or e-mail
    (case folded)."""
    folded = {t.casefold() for t in texts}
    users = User.objects.filter(is_active=True).filter(
        Q(username__in=texts) | Q(email__in=texts) | Q(username__in=folded) | Q(email__in=folded)
    )
    found: dict[str, str] = {}
    for user in users:
        found.setdefault(user.email.casefold(), user.username)
        found[user.username.casefold()] = user.username
    return {t: found[t] for t in folded if t in found}


def _unknown_owners(
    rows: Sequence[CustomerRow], owners: Mapping[str, str], mapping: KindMapping
) -> list[RowProblem]:
    header = mapping.columns.get("owner", "owner")
    message = _("is no active user of Kundenbild (give a user name or e-mail address)")
    return [
        RowProblem(r.row, header, r.owner, message)
        for r in rows
        if r.owner and r.owner.casefold() not in owners
    ]


def _parents(rows: Sequence[CustomerRow], mapping: KindMapping) -> list[RowProblem]:
    """Parents neither in the file nor in the database, groups that become circles with
    the parents the database knows (those within the file are refused already), and
    groups deeper than Kundenbild allows."""
    header = mapping.columns.get("parent_number", "parent_number")
    in_file = {r.number for r in rows}
    listed = {r.parent_number for r in rows if r.parent_number and r.parent_number not in in_file}
    stored = _parent_numbers(listed | in_file)
    parent = {**stored, **{r.number: r.parent_number for r in rows if r.parent_number}}
    if "parent_number" in mapping.columns:  # the file says these have no parent
        parent.update({r.number: "" for r in rows if not r.parent_number})
    problems = []
    for row in rows:
        if not row.parent_number:
            continue
        if row.parent_number not in in_file and row.parent_number not in stored:
            message = _("is neither in the file nor a known customer number")
            problems.append(RowProblem(row.row, header, row.parent_number, message))
            continue
        depth, above, seen = 0, row.parent_number, {row.number}
        while above and above not in seen and depth <= MAX_GROUP_DEPTH:
            seen.add(above)
            above, depth = parent.get(above, ""), depth + 1
        if above == row.number and any(p not in in_file for p in seen):
            message = _("makes a circle of parents with the groups Kundenbild knows")
            problems.append(RowProblem(row.row, header, row.parent_number, message))
        elif depth > MAX_GROUP_DEPTH:
            message = _("makes the group hierarchy deeper than %(n)s levels") % {
                "n": MAX_GROUP_DEPTH
            }
            problems.append(RowProblem(row.row, header, row.parent_number, message))
    return problems


def _parent_numbers(numbers: set[str]) -> dict[str, str]:
    """Customer number → its parent's number ("" for none), for the given customers and
    every customer above them in the database."""
    found: dict[str, str] = {}
    wanted = set(numbers)
    while wanted:
        batch = sorted(wanted)
        wanted = set()
        for start in range(0, len(batch), CHUNK):
            chunk = Customer.objects.filter(number__in=batch[start : start + CHUNK])
            for number, above in chunk.values_list("number", "parent__number"):
                found[number] = above or ""
                if above and above not in found:
                    wanted.add(above)
    return found


def _planned(
    row: CustomerRow,
    values: dict[str, str],
    existing: Customer | None,
    relations: Relations,
    overwrite: Collection[str],
) -> CustomerPlan:
    """The customer as the file would have it: a new one, or a copy of the known one
    compared field by field."""
    if existing is None:
        customer = Customer(number=row.number)
        apply_plain(customer, values)
        return CustomerPlan(row, values, customer)
    current = record_values(
        existing,
        relations,
        existing.parent.number if existing.parent else "",
        existing.owner.username if existing.owner else "",
    )
    # a customer a sales import created holds placeholders only: the ERP's values win
    baseline = (
        {f: current[f] for f in values} if existing.master_data_missing else existing.erp_values
    )
    comparison = compare(values, current, baseline, overwrite=_asked(row, overwrite))
    customer = copy.copy(existing)
    apply_plain(customer, values)  # the file's values are checked even where they stay out
    return CustomerPlan(row, values, customer, existing, comparison, relations)


def _asked(row: CustomerRow, overwrite: Collection[str]) -> set[str]:
    """The fields whose conflicts the user settles for the ERP: a field name for every
    customer, "number:field" for one, or "*"."""
    return {
        o.split(":", 1)[-1] for o in overwrite if ":" not in o or o.startswith(f"{row.number}:")
    }


def _invalid(planned: CustomerPlan, mapping: KindMapping) -> list[RowProblem]:
    """What the customer form would refuse, named by the file's columns."""
    row = planned.row
    problems = []
    customer = copy.copy(planned.customer)
    customer.parent_id = None  # checked against file and database in `_parents`
    try:
        customer.full_clean(validate_unique=False, exclude=["parent", "owner"])
    except ValidationError as error:
        cells = {f: str(getattr(row, f, "") or "") for f in error.message_dict}
        problems += _named(row.row, error.message_dict, mapping, cells, "")
    for field_name, (kind, prefix) in ADDRESS_KINDS.items():
        parts = address_parts(planned.values.get(field_name, ""))
        if parts is None:
            continue
        street, postal_code, city, country = parts
        address = Address(
            kind=kind, street=street, postal_code=postal_code, city=city, country=country
        )
        try:
            address.clean_fields(exclude=["customer"])
            address.check_postal_code()
        except ValidationError as error:
            cells = dict(zip(("street", "postal_code", "city", "country"), parts, strict=True))
            problems += _named(row.row, error.message_dict, mapping, cells, prefix)
    return problems


_COLUMN_OF = {"industries": "industry", "size_class": "employees", "__all__": "name"}


def _named(
    row: int,
    errors: Mapping[str, list[str]],
    mapping: KindMapping,
    cells: Mapping[str, str],
    prefix: str,
) -> list[RowProblem]:
    """The errors of one row by the file's headers (the name's where no column fits)."""
    problems = []
    for name, messages in errors.items():
        column = prefix + _COLUMN_OF.get(name, name)
        header = mapping.columns.get(column) or mapping.columns.get("name", column)
        problems.append(RowProblem(row, header, cells.get(name, ""), " ".join(messages)))
    return problems
