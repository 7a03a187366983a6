"""Merging a duplicate into the customer that remains: whatever refers to the duplicate
comes to refer to the survivor, in one transaction, and the duplicate goes.

The customers app sits below the areas that refer to a customer (people, activities,
sales lines, needs, chains, analysis values …) and must not import them, so the tables
are found by introspection: every foreign key to `Customer`, history tables left out.
A table added later moves along without a change here.

What happens where both customers have a row that a unique constraint allows only once
(a clash):

* **The survivor's row wins.** Rows that referred to the duplicate's row come to refer to
  the survivor's, its many-to-many links join the survivor's, and the duplicate's row is
  deleted; its history keeps it. So the same offering assessed twice keeps the
  survivor's level, the same area reviewed keeps the survivor's review, the same analysis
  run keeps the survivor's value, an open coaching focus for the same goal, a cost of the
  same period and kind and a finance profile keep the survivor's; business units and
  buying centers of the same name become the survivor's one (their needs, buying centers
  and members move to it); industries and account teams are united.
* **A second headquarters** is deleted when it is the survivor's address (ignoring case
  and spaces), and kept as a site otherwise: one headquarters per customer.

The survivor keeps its own master data (name, parent, owner …); the duplicate's is kept
in the `CustomerMerge` record. The duplicate's key account manager joins the account
team, so whoever could edit the duplicate can edit what became of it.

History: the duplicate's history stays as it was and ends with its "-" row; the
survivor, and every row that moved or changed, get a "~" row; deleted rows a "-" row.
All carry the change reason "merge:<id of the CustomerMerge>".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kundenbild.accounts.models import User
from kundenbild.core.bulk import delete_rows, history_write, ids_in_use, referring_keys
from kundenbild.core.errors import ApplicationError, ConflictError
from kundenbild.customers.models import (
    MAX_GROUP_DEPTH,
    Address,
    AddressKind,
    Customer,
    CustomerMerge,
)

MERGE_REASON = "merge:"


@dataclass
class _Merge:
    """One merge under way: its record, and what it did so far."""

    record: CustomerMerge
    by: User | None
    moved: Counter[str] = field(default_factory=Counter)
    dropped: Counter[str] = field(default_factory=Counter)
    changed: dict[type[models.Model], set[Any]] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        return f"{MERGE_REASON}{self.record.pk}"

    def change(self, model: type[models.Model], ids: list[Any]) -> None:
        self.changed.setdefault(model, set()).update(ids)

    def drop(self, model: type[models.Model], pk: Any) -> None:
        """Delete the row, which nothing refers to any more, with its "-" history row."""
        if _tracked(model):
            history_write(model, [pk], kind="-", by=self.by, reason=self.reason)
        delete_rows(model, [pk])
        self.dropped[model._meta.label] += 1


def _tracked(model: type[models.Model]) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


UniqueKey = tuple[str, tuple[str, ...], models.Q | None]
"""A unique constraint: its name, its fields and the condition under which it holds."""


def _unique_keys(foreign_key: models.ForeignKey[Any, Any]) -> list[UniqueKey]:
    """The unique constraints of the key's table that include the key."""
    meta = foreign_key.model._meta
    name = foreign_key.name
    keys: list[UniqueKey] = []
    if foreign_key.unique:
        keys.append((name, (name,), None))
    keys += [("_".join(t), tuple(t), None) for t in meta.unique_together if name in t]
    keys += [
        (c.name, tuple(c.fields), c.condition)
        for c in meta.constraints
        if isinstance(c, models.UniqueConstraint) and name in c.fields
    ]
    return keys


def _clashes(
    foreign_key: models.ForeignKey[Any, Any], kept: Any, dropped: Any
) -> list[tuple[str, Any, Any]]:
    """(constraint, the kept side's row, the dropped side's row) for each row referring to
    `dropped` that a unique constraint would refuse beside one referring to `kept`."""
    pairs = []
    for name, fields, condition in _unique_keys(foreign_key):
        ours = _rows_by_key(foreign_key, kept, fields, condition)
        theirs = _rows_by_key(foreign_key, dropped, fields, condition)
        pairs += [(name, ours[key], pk) for key, pk in theirs.items() if key in ours]
    return pairs


def _rows_by_key(
    foreign_key: models.ForeignKey[Any, Any],
    pk: Any,
    fields: tuple[str, ...],
    condition: models.Q | None,
) -> dict[tuple[Any, ...], Any]:
    """The rows referring to `pk` that the constraint covers, by their values of its
    other fields. Keys holding NULL are left out: they never clash, as in the database."""
    others = [f for f in fields if f != foreign_key.name]
    rows = foreign_key.model._base_manager.filter(**{foreign_key.name: pk})
    if condition is not None:
        rows = rows.filter(condition)
    return {
        tuple(key): row_pk for row_pk, *key in rows.values_list("pk", *others) if None not in key
    }


def _move(merge: _Merge, model: type[models.Model], kept: Any, dropped: Any) -> dict[str, int]:
    """Make every row that refers to `dropped` (a row of `model`) refer to `kept`,
    resolving clashes first. Returns the rows moved per table."""
    moved: Counter[str] = Counter()
    for foreign_key in referring_keys(model):
        source = foreign_key.model
        gone: set[Any] = set()
        for constraint, ours, theirs in _clashes(foreign_key, kept, dropped):
            if theirs not in gone:
                CLASH_RULES.get(constraint, _unite)(merge, source, ours, theirs)
                gone.add(theirs)
        rows = source._base_manager.filter(**{foreign_key.name: dropped})
        if _tracked(source):
            merge.change(source, list(rows.values_list("pk", flat=True)))
        if count := rows.update(**{foreign_key.name: kept}):
            moved[source._meta.label] += count
    return dict(moved)


def _unite(merge: _Merge, model: type[models.Model], ours: Any, theirs: Any) -> None:
    """The survivor's row wins: what referred to the duplicate's row refers to it now,
    and the duplicate's row goes."""
    _move(merge, model, ours, theirs)
    merge.drop(model, theirs)


def _second_headquarters(merge: _Merge, model: type[models.Model], ours: Any, theirs: Any) -> None:
    """The survivor keeps its headquarters; the duplicate's stays as a site unless it is
    the same address."""
    kept, other = Address.objects.get(pk=ours), Address.objects.get(pk=theirs)
    if _place(kept) == _place(other):
        _unite(merge, model, ours, theirs)
        return
    Address.objects.filter(pk=theirs).update(kind=AddressKind.SITE)
    merge.change(Address, [theirs])


def _place(address: Address) -> tuple[str, ...]:
    parts = (address.street, address.postal_code, address.city, address.country)
    return tuple(" ".join(part.split()).casefold() for part in parts)


CLASH_RULES: dict[str, Callable[[_Merge, type[models.Model], Any, Any], None]] = {
    "address_one_headquarters": _second_headquarters,
}
"""Clashes settled otherwise than by the survivor's row winning, by unique constraint."""


def _ancestor_ids(customer: Customer) -> list[int]:
    """The customer's parent, its parent, and so on up to the root of its group."""
    ancestors: list[int] = []
    node = customer.parent_id
    while node is not None and node not in ancestors:
        ancestors.append(node)
        node = Customer.objects.filter(pk=node).values_list("parent_id", flat=True).first()
    return ancestors


def _levels_below(customer: Customer) -> int:
    """How many levels of subsidiaries the customer has (0: none)."""
    levels, frontier, seen = 0, [customer.pk], {customer.pk}
    while frontier:
        children = Customer.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        frontier = [pk for pk in children if pk not in seen]
        seen.update(frontier)
        levels += bool(frontier)
    return levels


def _refuse_impossible(survivor: Customer, duplicate: Customer) -> None:
    """Refuse merging a customer into itself, or into one of its own subsidiaries (which
    would end up its own parent), or a group that would grow too deep."""
    if survivor.pk == duplicate.pk:
        raise ApplicationError(
            _("A customer cannot be merged into itself. Choose the customer that remains."),
            code="merge_self",
        )
    ancestors = _ancestor_ids(survivor)
    if duplicate.pk in ancestors:
        raise ApplicationError(
            _(
                "%(survivor)s belongs to the group of %(duplicate)s, whose subsidiaries would "
                "move to it: it would become its own parent. Merge the other way round, or "
                "change the group first."
            )
            % {"survivor": survivor.name, "duplicate": duplicate.name},
            code="merge_cycle",
        )
    if len(ancestors) + _levels_below(duplicate) > MAX_GROUP_DEPTH:
        raise ApplicationError(
            _("The group hierarchy would grow too deep. Change the group first."),
            code="merge_too_deep",
        )


def _snapshot(customer: Customer) -> dict[str, Any]:
    """The customer's master data as it is: its fields, industries and account team."""
    data = {f.attname: f.value_from_object(customer) for f in Customer._meta.concrete_fields}
    data["industries"] = sorted(customer.industries.values_list("code", flat=True))
    data["account_team"] = sorted(customer.account_team.values_list("pk", flat=True))
    return data


def _locked(survivor: Customer, duplicate: Customer) -> tuple[Customer, Customer]:
    """Both customers as they are now, locked until the merge is done."""
    pks = [survivor.pk, duplicate.pk]
    found = {c.pk: c for c in Customer.objects.select_for_update().filter(pk__in=pks)}
    if len(found) < len(set(pks)):
        raise ConflictError(
            _(
                "One of the two customers has been merged or deleted in the meantime. "
                "Please reload the page."
            )
        )
    return found[survivor.pk], found[duplicate.pk]


@transaction.atomic
def customer_merge(*, survivor: Customer, duplicate: Customer, by: User | None) -> CustomerMerge:
    """Merge `duplicate` into `survivor` (two records of one company) and delete it;
    the clash rules are in the module's docstring. Returns the record of the merge."""
    survivor, duplicate = _locked(survivor, duplicate)
    _refuse_impossible(survivor, duplicate)
    record = CustomerMerge.objects.create(
        survivor=survivor,
        survivor_number=survivor.number,
        duplicate_id=duplicate.pk,
        duplicate_number=duplicate.number,
        duplicate_name=duplicate.name,
        merged_by=by,
        snapshot=_snapshot(duplicate),
    )
    merge = _Merge(record, by)
    merge.moved.update(_move(merge, Customer, survivor.pk, duplicate.pk))
    if duplicate.owner_id not in (None, survivor.owner_id):
        Customer.account_team.through.objects.get_or_create(
            customer_id=survivor.pk, user_id=duplicate.owner_id
        )
    Customer.objects.filter(pk=survivor.pk).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    merge.change(Customer, [survivor.pk])
    for model, ids in merge.changed.items():
        if _tracked(model):
            history_write(model, sorted(ids), kind="~", by=by, reason=merge.reason)
    if ids_in_use(Customer, [duplicate.pk]):
        raise RuntimeError(f"rows still refer to customer {duplicate.pk} after its merge")
    history_write(Customer, [duplicate.pk], kind="-", by=by, reason=merge.reason)
    delete_rows(Customer, [duplicate.pk])
    record.moved, record.dropped = dict(merge.moved), dict(merge.dropped)
    record.save(update_fields=["moved", "dropped"])
    return record


def customer_merge_preview(survivor: Customer, duplicate: Customer) -> dict[str, int]:
    """How many rows of each kind refer to the duplicate and would go to the survivor
    (or, where both have the same, be united with the survivor's), named for people;
    kinds without rows left out. Refuses what `customer_merge` would refuse."""
    _refuse_impossible(survivor, duplicate)
    counts: Counter[str] = Counter()
    for foreign_key in referring_keys(Customer):
        rows = foreign_key.model._base_manager.filter(**{foreign_key.name: duplicate.pk})
        if count := rows.count():
            counts[_kind_name(foreign_key)] += count
    return dict(counts)


def _kind_name(foreign_key: models.ForeignKey[Any, Any]) -> str:
    """What the rows of the key's table are, for people: "contacts", "industries"."""
    model = foreign_key.model
    if model is Customer:
        return gettext("subsidiaries")
    owner = model._meta.auto_created  # a many-to-many link: named after its field
    if isinstance(owner, type) and issubclass(owner, models.Model):
        link = next(f for f in owner._meta.many_to_many if f.remote_field.through is model)
        return str(link.verbose_name)
    return str(model._meta.verbose_name_plural)
