"""Writing a checked customer file, and undoing it: in bulk, with history, all or nothing.

Values travel as the text `customer_values` gives them, both ways: an import writes the
file's values, a rollback the values from before, through the same `_Writes`, so that
what a rollback restores is exactly what the import compared.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import Q

from kundenbild.accounts.models import User
from kundenbild.core.bulk import ids_changed, ids_created
from kundenbild.customers.models import Address, Customer
from kundenbild.customers.services import (
    CheckedCustomers,
    addresses_write_many,
    customers_create_many,
    customers_delete_unused,
    customers_update_many,
    industries_replace_many,
)
from kundenbild.imports.master.customer_plan import CHUNK, CustomerFilePlan, CustomerPlan
from kundenbild.imports.master.customer_values import (
    ADDRESS_KINDS,
    NO_RELATIONS,
    PLAIN,
    Relations,
    address_parts,
    apply_plain,
    record_values,
    relations_of,
)
from kundenbild.imports.models import ImportRun, MasterChange

FLAG = "master_data_missing"  # kept with the changes, so that a rollback sets it again


@dataclass
class _Writes:
    """Everything one import (or rollback) writes besides new customers, gathered first
    and then written in a few statements."""

    numbers: dict[str, int]  # customer number → id, for parents
    users: dict[str, int]  # user name → id, for key account managers
    fields: set[str] = field(default_factory=set)
    customers: list[Customer] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)
    create: list[Address] = field(default_factory=list)
    update: list[Address] = field(default_factory=list)
    delete: list[int] = field(default_factory=list)
    industries: dict[int, tuple[str, ...]] = field(default_factory=dict)

    def apply(
        self, customer: Customer, values: Mapping[str, str], relations: Relations = NO_RELATIONS
    ) -> None:
        """Give the customer these values; `relations` are its stored addresses."""
        apply_plain(customer, values)
        self.fields |= {f for f in values if f in PLAIN}
        if "employees" in values:
            self.fields |= {"employees", "size_class"}
        if "parent" in values:
            customer.parent_id = self.numbers[values["parent"]] if values["parent"] else None
            self.fields.add("parent")
        if "owner" in values:
            customer.owner_id = self.users.get(values["owner"])
            self.fields.add("owner")
        if FLAG in values:
            customer.master_data_missing = bool(values[FLAG])
        if "industry" in values:
            self.industries[customer.pk] = tuple(c for c in values["industry"].split(",") if c)
        for name, (kind, _prefix) in ADDRESS_KINDS.items():
            if name in values:
                self._address(customer, kind, values[name], relations.first_address(kind))

    def _address(self, customer: Customer, kind: str, text: str, found: Address | None) -> None:
        """Change the first address of the kind (as `record_values` reads it), or add or
        delete one."""
        parts = address_parts(text)
        if parts is None:
            if found is not None:
                self.delete.append(found.pk)
            return
        address = found or Address(customer_id=customer.pk, kind=kind)
        address.street, address.postal_code, address.city, address.country = parts
        (self.update if found else self.create).append(address)

    def write(self, *, by: User | None, reason: str) -> None:
        fields = sorted(self.fields | {"erp_values", FLAG})
        customers_update_many(self.customers, fields, by=by, reason=reason, changed=self.changed)
        addresses_write_many(
            create=self.create, update=self.update, delete=self.delete, by=by, reason=reason
        )
        industries_replace_many(self.industries)


def write_customers(
    plan: CustomerFilePlan, *, run: ImportRun, by: User | None, reason: str
) -> None:
    """Create the new customers (parents first), change the known ones where the plan
    says so, and keep what each change replaced for the rollback."""
    new = [p for p in plan.customers if p.existing is None]
    known = [p for p in plan.customers if p.existing is not None]
    parents = {p.values.get("parent", "") for p in plan.customers} - {""}
    writes = _Writes(_ids_of(parents - {p.row.number for p in new}), _users(plan.customers))
    for level in _levels(new):
        for planned in level:
            writes.apply(planned.customer, _parent_owner(planned.values))
            planned.customer.erp_values = dict(planned.values)
        checked = CheckedCustomers(tuple(p.customer for p in level), ())
        for customer in customers_create_many(checked, by=by, reason=reason):
            writes.numbers[customer.number] = customer.pk
    for planned in new:
        rest = {k: v for k, v in planned.values.items() if k == "industry" or k in ADDRESS_KINDS}
        writes.apply(planned.customer, rest)
    changes = [_change(planned, writes, run) for planned in known]
    writes.write(by=by, reason=reason)
    MasterChange.objects.bulk_create([c for c in changes if c is not None], batch_size=1000)


def _change(planned: CustomerPlan, writes: _Writes, run: ImportRun) -> MasterChange | None:
    """Apply the comparison to the known customer; what it replaced, or None where
    neither a field nor the baseline moves."""
    customer, comparison = planned.existing, planned.comparison
    if customer is None or comparison is None or not planned.writes:
        return None
    fields = {c.field: [c.old, c.new] for c in comparison.changes}
    if customer.master_data_missing:
        fields[FLAG] = ["yes", ""]
    before = dict(customer.erp_values)
    writes.apply(customer, {f: new for f, (_old, new) in fields.items()}, planned.relations)
    customer.erp_values = comparison.baseline
    writes.customers.append(customer)
    if fields:
        writes.changed.append(customer.pk)
    return MasterChange(run=run, object_id=customer.pk, fields=fields, erp_values_before=before)


def rollback_customers(run: ImportRun, *, by: User | None, created: str, reason: str) -> None:
    """Undo a customer import: each field it changed gets its old value back where
    nobody changed it since; each customer it created goes where nobody has worked on
    it (`customers_delete_unused`), with the addresses the import gave it."""
    changes = {c.object_id: c for c in MasterChange.objects.filter(run=run)}
    customers = _with_values(changes)
    relations = relations_of([c.pk for c in customers])
    numbers = {old for c in changes.values() for f, (old, _n) in c.fields.items() if f == "parent"}
    writes = _Writes(_ids_of(numbers - {""}), _users_named(_owners_in(changes.values())))
    for customer in customers:
        change = changes[customer.pk]
        current = record_values(
            customer,
            relations[customer.pk],
            customer.parent.number if customer.parent else "",
            customer.owner.username if customer.owner else "",
        )
        restore = {f: old for f, (old, new) in change.fields.items() if current.get(f, new) == new}
        writes.apply(customer, restore, relations[customer.pk])
        customer.erp_values = change.erp_values_before
        writes.customers.append(customer)
        if set(restore) - {FLAG}:
            writes.changed.append(customer.pk)
    writes.write(by=by, reason=reason)
    _remove_created(created, by=by, reason=reason)


def _remove_created(created: str, *, by: User | None, reason: str) -> None:
    """The customers the import created and nobody changed since lose what the import
    gave them, then go, children before parents."""
    ids = ids_created(Customer, created)
    untouched = sorted(set(ids) - ids_changed(Customer, ids))
    addresses = ids_created(Address, created)
    given = Address.objects.filter(pk__in=addresses, customer_id__in=untouched)
    addresses_write_many(delete=sorted(given.values_list("pk", flat=True)), by=by, reason=reason)
    industries_replace_many(dict.fromkeys(untouched, ()))
    remaining = untouched
    while remaining:
        gone = customers_delete_unused(remaining, by=by, reason=reason)
        if not gone:
            break
        remaining = [pk for pk in remaining if pk not in set(gone)]


def _with_values(changes: Mapping[int, MasterChange]) -> list[Customer]:
    ids = sorted(changes)
    found: list[Customer] = []
    for start in range(0, len(ids), CHUNK):
        chunk = Customer.objects.filter(pk__in=ids[start : start + CHUNK])
        found += list(chunk.select_related("parent", "owner"))
    return found


def _levels(new: Sequence[CustomerPlan]) -> list[list[CustomerPlan]]:
    """The new customers in rounds: those whose parent exists (or who have none) first,
    then their children, and so on (the file has no circles: the plan refused them)."""
    waiting = {p.row.number: p for p in new}
    levels = []
    while waiting:
        level = [p for p in waiting.values() if p.values.get("parent", "") not in waiting]
        levels.append(level)
        for planned in level:
            del waiting[planned.row.number]
    return levels


def _parent_owner(values: Mapping[str, str]) -> dict[str, str]:
    return {k: v for k, v in values.items() if k not in ("industry", *ADDRESS_KINDS)}


def _ids_of(numbers: Iterable[str]) -> dict[str, int]:
    unique = sorted(set(numbers))
    found: dict[str, int] = {}
    for start in range(0, len(unique), CHUNK):
        chunk = Customer.objects.filter(number__in=unique[start : start + CHUNK])
        found.update(chunk.values_list("number", "pk"))
    return found


def _users(plan: Iterable[CustomerPlan]) -> dict[str, int]:
    return _users_named({p.values["owner"] for p in plan if p.values.get("owner")})


def _owners_in(changes: Iterable[MasterChange]) -> set[str]:
    return {old for c in changes for f, (old, _new) in c.fields.items() if f == "owner" and old}


def _users_named(names: set[str]) -> dict[str, int]:
    return dict(User.objects.filter(Q(username__in=names)).values_list("username", "pk"))
