"""A people export (old CRM, Outlook) imported into the customers' buying centers: each
person found by e-mail address, or, where the file or Kundenbild has none, by customer
and name; compared field by field (`comparison`), written in bulk with history, rolled
back field by field.

Buying roles and who of our staff knows a person are one field each (the sorted codes,
the sorted user names): a file that names them sets them. A person whose e-mail address
Kundenbild has at another customer is taken as the same person, and flagged: the report
shows the move (customer old → new) before anything is written.
"""

from __future__ import annotations

import copy
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kundenbild.accounts.models import User
from kundenbild.buying_center.models import Contact
from kundenbild.buying_center.services import (
    contacts_create_many,
    contacts_delete_unused,
    contacts_update_many,
)
from kundenbild.core.bulk import ids_created
from kundenbild.customers.models import Customer
from kundenbild.imports.master.comparison import Comparison, compare
from kundenbild.imports.master.customers import RowProblem
from kundenbild.imports.master.kinds import KindMapping
from kundenbild.imports.master.people import PersonRow, convert_people
from kundenbild.imports.models import ImportRun, MasterChange

CHUNK = 900
PLAIN = (
    "salutation", "title", "first_name", "last_name", "function", "department", "email",
    "phone", "mobile", "influence", "attitude",
)  # fmt: skip


@dataclass(frozen=True)
class PersonDuplicate:
    row: int
    number: str  # the person's key in the report: e-mail or customer / name
    name: str
    other_number: str
    other_name: str
    other_row: int | None
    reason: str  # "email"


@dataclass
class PersonPlan:
    row: PersonRow
    values: dict[str, str]
    contact: Contact
    existing: Contact | None = None
    comparison: Comparison | None = None

    @property
    def row_number(self) -> int:
        return self.row.row

    @property
    def key(self) -> str:
        return self.row.email or f"{self.row.customer_number}/{self.label}"

    @property
    def label(self) -> str:
        return f"{self.row.first_name} {self.row.last_name}".strip()

    @property
    def writes(self) -> bool:
        if self.existing is None or self.comparison is None:
            return True
        return bool(self.comparison.changes or self.comparison.baseline != self.existing.erp_values)


@dataclass
class PersonFilePlan:
    people: list[PersonPlan] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    duplicates: list[PersonDuplicate] = field(default_factory=list)
    rows: int = 0
    unchanged: int = 0  # counted among the records, not apart

    @property
    def records(self) -> list[PersonPlan]:
        return self.people

    @property
    def invalid_rows(self) -> int:
        return len({p.row for p in self.problems})


@dataclass
class _Known:
    """What the database knows about the file's people, found in a few queries."""

    customers: dict[str, int]  # number → id
    users: dict[str, str]  # user name or e-mail, case folded → user name
    by_email: dict[str, list[Contact]]
    by_name: dict[tuple[int, str, str], list[Contact]]  # (customer, first, last), folded


def plan_people(
    rows: Iterable[tuple[int, Mapping[str, str]]],
    mapping: KindMapping,
    overwrite: Collection[str] = (),
) -> PersonFilePlan:
    """Convert, check, match and compare every row; write nothing."""
    counted = list(rows)
    converted, problems = convert_people(counted, mapping)
    plan = PersonFilePlan(rows=len(counted), problems=problems)
    refused = {p.row for p in problems}
    people = [p for p in converted if p.row not in refused]
    known = _known(people)
    for row in people:
        found = _refusals(row, known, mapping)
        if found:
            plan.problems += found
            continue
        values = _file_values(row, mapping, known)
        existing = _match(row, known, plan)
        contact = copy.copy(existing) if existing else Contact()
        _apply_plain(contact, values)
        contact.customer_id = known.customers[row.customer_number]
        planned = PersonPlan(row, values, contact, existing)
        if existing is not None:
            mine = f"{planned.key}:"
            asked = {o.removeprefix(mine) for o in overwrite if ":" not in o or o.startswith(mine)}
            current = _record_values(existing)
            planned.comparison = compare(values, current, existing.erp_values, overwrite=asked)
        plan.problems += _invalid(planned, mapping)
        plan.people.append(planned)
    refused = {p.row for p in plan.problems}
    plan.people = [p for p in plan.people if p.row.row not in refused]
    plan.problems.sort(key=lambda p: (p.row, p.column))
    return plan


def _known(people: list[PersonRow]) -> _Known:
    numbers = sorted({p.customer_number for p in people})
    customers: dict[str, int] = {}
    for start in range(0, len(numbers), CHUNK):
        chunk = Customer.objects.filter(number__in=numbers[start : start + CHUNK])
        customers.update(chunk.values_list("number", "pk"))
    names = {n for p in people for n in p.known_by}
    folded = {n.casefold() for n in names}
    users: dict[str, str] = {}
    matching = Q(username__in=names | folded) | Q(email__in=names | folded)
    for user in User.objects.filter(matching, is_active=True):
        users.setdefault(user.email.casefold(), user.username)
        users[user.username.casefold()] = user.username
    ids = sorted(customers.values())
    emails = sorted({p.email for p in people if p.email})
    found: list[Contact] = []  # the people of the file's customers, and those of its e-mails
    for start in range(0, len(ids), CHUNK):
        found += _with_relations(Contact.objects.filter(customer_id__in=ids[start : start + CHUNK]))
    for start in range(0, len(emails), CHUNK):
        found += _with_relations(Contact.objects.filter(email__in=emails[start : start + CHUNK]))
    by_email: dict[str, list[Contact]] = {}
    by_name: dict[tuple[int, str, str], list[Contact]] = {}
    seen: set[int] = set()
    for contact in found:
        if contact.pk in seen:
            continue
        seen.add(contact.pk)
        if contact.email:
            by_email.setdefault(contact.email.casefold(), []).append(contact)
        key = (contact.customer_id, contact.first_name.casefold(), contact.last_name.casefold())
        by_name.setdefault(key, []).append(contact)
    return _Known(customers, users, by_email, by_name)


def _with_relations(contacts: QuerySet[Contact]) -> list[Contact]:
    """The people with what `_record_values` reads."""
    related = contacts.select_related("customer")
    return list(related.prefetch_related("buying_roles", "acquaintances__user"))


def _refusals(row: PersonRow, known: _Known, mapping: KindMapping) -> list[RowProblem]:
    problems = []
    if row.customer_number not in known.customers:
        header = mapping.columns.get("customer_number", "customer_number")
        message = _("is not a known customer number (import the customers first)")
        problems.append(RowProblem(row.row, header, row.customer_number, message))
    unknown = [n for n in row.known_by if n.casefold() not in known.users]
    if unknown:
        header = mapping.columns.get("known_by", "known_by")
        message = _("is no active user of Kundenbild (give a user name or e-mail address)")
        problems.append(RowProblem(row.row, header, ", ".join(unknown), message))
    return problems


def _match(row: PersonRow, known: _Known, plan: PersonFilePlan) -> Contact | None:
    """The person Kundenbild has for the row: by e-mail address (flagged where several
    share it, or where it is at another customer), else by customer and name among those
    without an e-mail address."""
    customer_id = known.customers[row.customer_number]
    if row.email and row.email in known.by_email:
        found = sorted(known.by_email[row.email], key=lambda c: c.pk)
        for other in found[1:]:
            plan.duplicates.append(_flag(row, other, "email"))
        if found[0].customer_id != customer_id:
            plan.duplicates.append(_flag(row, found[0], "email_other_customer"))
        return found[0]
    key = (customer_id, row.first_name.casefold(), row.last_name.casefold())
    same_name = known.by_name.get(key, [])
    without_email = [c for c in same_name if not c.email]
    if without_email:
        return without_email[0]
    for other in same_name:  # the same name with another address: the same person?
        plan.duplicates.append(_flag(row, other, "name"))
    return None


def _flag(row: PersonRow, other: Contact, reason: str) -> PersonDuplicate:
    name = f"{row.first_name} {row.last_name}".strip()
    key = row.email or f"{row.customer_number}/{name}"
    return PersonDuplicate(
        row.row, key, name, other.email or f"#{other.pk}", str(other), None, reason
    )


def _file_values(row: PersonRow, mapping: KindMapping, known: _Known) -> dict[str, str]:
    """The fields the file brings (those it has a column for), as text."""
    values = {
        "customer": row.customer_number,
        "salutation": row.salutation, "title": row.title, "first_name": row.first_name,
        "last_name": row.last_name, "function": row.function, "department": row.department,
        "email": row.email, "phone": row.phone, "mobile": row.mobile,
        "influence": row.influence, "attitude": row.attitude,
        "buying_roles": ",".join(sorted(row.buying_roles)),
        "known_by": ",".join(sorted(known.users[n.casefold()] for n in row.known_by)),
    }  # fmt: skip
    columns = set(mapping.columns) | {"customer", "last_name"}
    return {f: v for f, v in values.items() if f in columns}


def _record_values(contact: Contact) -> dict[str, str]:
    values = {f: getattr(contact, f) or "" for f in PLAIN}
    values["customer"] = contact.customer.number
    values["buying_roles"] = ",".join(sorted(r.code for r in contact.buying_roles.all()))
    values["known_by"] = ",".join(sorted(a.user.username for a in contact.acquaintances.all()))
    return values


def _apply_plain(contact: Contact, values: Mapping[str, str]) -> None:
    for name in PLAIN:
        if name in values:
            setattr(contact, name, values[name])


def _invalid(planned: PersonPlan, mapping: KindMapping) -> list[RowProblem]:
    """What the person form would refuse, by the file's columns."""
    try:
        planned.contact.full_clean(exclude=["customer"], validate_unique=False)
    except ValidationError as error:
        return [
            RowProblem(
                planned.row.row,
                mapping.columns.get(f) or mapping.columns.get("last_name", f),
                planned.values.get(f, ""),
                " ".join(messages),
            )
            for f, messages in error.message_dict.items()
        ]
    return []


def write_people(plan: PersonFilePlan, *, run: ImportRun, by: User | None, reason: str) -> None:
    """Create the new people, change the known ones where the plan says so, and keep what
    each change replaced for the rollback."""
    customers = {p.row.customer_number: p.contact.customer_id for p in plan.people}
    users = _user_ids(plan)
    new = [p for p in plan.people if p.existing is None]
    for planned in new:
        planned.contact.erp_values = dict(planned.values)
    contacts_create_many([p.contact for p in new], by=by, reason=reason)
    links = {p.contact.pk: p.values for p in new}
    changed, changes = [], []
    for planned in plan.people:
        if planned.existing is None or planned.comparison is None or not planned.writes:
            continue
        contact, comparison = planned.existing, planned.comparison
        fields = {c.field: [c.old, c.new] for c in comparison.changes}
        before = dict(contact.erp_values)
        new_values = {f: new_value for f, (_old, new_value) in fields.items()}
        _apply_plain(contact, new_values)
        if "customer" in new_values:
            contact.customer_id = customers[new_values["customer"]]
        contact.erp_values = comparison.baseline
        links[contact.pk] = new_values
        changed.append(contact)
        changes.append(
            MasterChange(run=run, object_id=contact.pk, fields=fields, erp_values_before=before)
        )
    moved = [c.object_id for c in changes if c.fields]
    contacts_update_many(
        changed,
        [*PLAIN, "customer", "erp_values"],
        roles=_roles(links),
        known_by=_acquaintances(links, users),
        by=by,
        reason=reason,
        changed=moved,
    )
    MasterChange.objects.bulk_create(changes, batch_size=1000)


def _roles(links: Mapping[int, Mapping[str, str]]) -> dict[int, tuple[str, ...]]:
    return {
        pk: tuple(c for c in values["buying_roles"].split(",") if c)
        for pk, values in links.items()
        if "buying_roles" in values
    }


def _acquaintances(
    links: Mapping[int, Mapping[str, str]], users: Mapping[str, int]
) -> dict[int, tuple[int, ...]]:
    return {
        pk: tuple(users[n] for n in values["known_by"].split(",") if n)
        for pk, values in links.items()
        if "known_by" in values
    }


def _olds(changes: Iterable[MasterChange], field: str) -> list[str]:
    """The values `field` had before the import, where it changed them."""
    return [c.fields[field][0] for c in changes if field in c.fields]


def _user_ids(plan: PersonFilePlan) -> dict[str, int]:
    names = {n for p in plan.people for n in p.values.get("known_by", "").split(",") if n}
    return dict(User.objects.filter(username__in=names).values_list("username", "pk"))


def rollback_people(run: ImportRun, *, by: User | None, created: str, reason: str) -> None:
    """Each field the import changed gets its old value back where nobody changed it
    since; the people it created go where nobody has worked on them."""
    changes = {c.object_id: c for c in MasterChange.objects.filter(run=run)}
    contacts = _with_relations(Contact.objects.filter(pk__in=list(changes)))
    numbers = set(_olds(changes.values(), "customer"))
    customers = dict(Customer.objects.filter(number__in=numbers).values_list("number", "pk"))
    names = {n for old in _olds(changes.values(), "known_by") for n in old.split(",") if n}
    users = dict(User.objects.filter(username__in=names).values_list("username", "pk"))
    links: dict[int, dict[str, str]] = {}
    restored = []
    for contact in contacts:
        change = changes[contact.pk]
        current = _record_values(contact)
        restore = {f: old for f, (old, new) in change.fields.items() if current.get(f) == new}
        _apply_plain(contact, restore)
        if "customer" in restore:
            contact.customer_id = customers[restore["customer"]]
        contact.erp_values = change.erp_values_before
        links[contact.pk] = restore
        if restore:
            restored.append(contact.pk)
    contacts_update_many(
        contacts,
        [*PLAIN, "customer", "erp_values"],
        roles=_roles(links),
        known_by=_acquaintances(links, users),
        by=by,
        reason=reason,
        changed=restored,
    )
    contacts_delete_unused(ids_created(Contact, created), by=by, reason=reason)
