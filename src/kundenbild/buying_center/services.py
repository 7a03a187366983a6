"""Writes on a customer's buying center: its people, their relations, our relationships."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kundenbild.accounts.models import User
from kundenbild.buying_center.models import (
    Acquaintance,
    BuyingCenter,
    BuyingRole,
    Closeness,
    Contact,
    ContactRelation,
    RelationKind,
)
from kundenbild.core.bulk import delete_rows, history_write, ids_changed, ids_in_use
from kundenbild.core.errors import ApplicationError
from kundenbild.core.history import differs_from_stored
from kundenbild.core.locking import lock_current
from kundenbild.customers.models import BusinessUnit, Customer


@dataclass(frozen=True)
class ContactData:
    first_name: str
    last_name: str
    function: str = ""
    department: str = ""
    organisation: str = ""
    email: str = ""
    phone: str = ""
    salutation: str = ""  # a Salutation value, or "" where nobody has said
    title: str = ""
    mobile: str = ""
    role_codes: tuple[str, ...] = ()
    influence: str = ""
    attitude: str = ""
    known_by_ids: tuple[int, ...] = ()
    last_contact_on: date | None = None
    buying_center_ids: tuple[int, ...] | None = None  # None: leave memberships as they are


STALE_CONTACT = gettext_lazy(
    "Someone else changed this person while you were editing. Please reload the page and "
    "enter your changes again."
)


@transaction.atomic
def contact_save(
    *,
    customer: Customer,
    data: ContactData,
    contact: Contact | None = None,
    expected_version: int | None = None,
) -> Contact:
    """Add a person to the customer's buying center, or change one (refused if stale)."""
    if contact is None:
        contact = Contact(customer=customer)
    else:
        contact = lock_current(contact, expected_version, STALE_CONTACT)
    for name in (
        "first_name",
        "last_name",
        "function",
        "department",
        "organisation",
        "email",
        "phone",
        "title",
        "mobile",
    ):
        setattr(contact, name, getattr(data, name).strip())
    contact.salutation = data.salutation
    contact.influence = data.influence
    contact.attitude = data.attitude
    if data.last_contact_on != contact.last_contact_on:  # a date entered by hand
        contact.last_contact_noted_on = data.last_contact_on
        contact.last_contact_on = _later(data.last_contact_on, contact.last_contact_logged_on)
    contact.full_clean()
    roles = set(BuyingRole.objects.filter(code__in=data.role_codes))
    if contact.pk is None:
        contact.save()
    elif differs_from_stored(contact) or roles != set(contact.buying_roles.all()):
        contact.version += 1  # the roles are part of the person's history row
        contact.save()
    contact.buying_roles.set(roles)
    _set_known_by(contact, data.known_by_ids)
    if data.buying_center_ids is not None:
        _set_buying_centers(contact, data.buying_center_ids)
    return contact


def _set_buying_centers(contact: Contact, center_ids: tuple[int, ...]) -> None:
    """The buying centers of the customer the person belongs to. Changed from each buying
    center's side: django-simple-history records a change through the reverse accessor
    (`contact.buying_centers`) as a row of the person's history built from all of the
    person's fields, which fails on a field the history leaves out (`erp_values`;
    django-simple-history issue 1408), and the buying center's own history misses it."""
    centers = BuyingCenter.objects.filter(customer_id=contact.customer_id)
    for center in centers.filter(members=contact).exclude(pk__in=center_ids):
        center.members.remove(contact)
    for center in centers.filter(pk__in=center_ids).exclude(members=contact):
        center.members.add(contact)


def _set_known_by(contact: Contact, user_ids: tuple[int, ...]) -> None:
    """Who of us knows the person; keeps how well for those who already did."""
    wanted = set(User.objects.filter(pk__in=user_ids, is_active=True).values_list("pk", flat=True))
    contact.acquaintances.exclude(user_id__in=wanted).delete()
    existing = set(contact.acquaintances.values_list("user_id", flat=True))
    for user_id in sorted(wanted - existing):
        Acquaintance.objects.create(contact=contact, user_id=user_id)


def _later(*days: date | None) -> date | None:
    return max((day for day in days if day is not None), default=None)


def _noted(contact: Contact) -> date | None:
    """The date entered by hand; a last contact that neither source explains was written
    past `contact_save` (a bulk load, older data) and counts as entered by hand."""
    if contact.last_contact_on != _later(
        contact.last_contact_noted_on, contact.last_contact_logged_on
    ):
        return contact.last_contact_on
    return contact.last_contact_noted_on


@transaction.atomic
def contacts_last_contact_logged(logged: Mapping[int, date | None]) -> None:
    """Record for each person (by id) the latest activity logged with them, or None; the
    last contact shown becomes the later of that and the date entered by hand, so it
    moves forward with a new activity and back only as far as a date someone entered
    (docs/decisions/0009). Not a change a colleague's open form must be refused for: the
    version stays."""
    for contact in Contact.objects.select_for_update().filter(pk__in=logged).order_by("pk"):
        noted = _noted(contact)
        shown = _later(noted, logged[contact.pk])
        if (noted, logged[contact.pk], shown) == (
            contact.last_contact_noted_on,
            contact.last_contact_logged_on,
            contact.last_contact_on,
        ):
            continue
        contact.last_contact_noted_on = noted
        contact.last_contact_logged_on = logged[contact.pk]
        contact.last_contact_on = shown
        contact.save(
            update_fields=["last_contact_noted_on", "last_contact_logged_on", "last_contact_on"]
        )


@transaction.atomic
def acquaintances_add(*, contact_ids: Sequence[int], user: User) -> None:
    """`user` knows these people at least slightly (after speaking with them); how well
    stays for those already known."""
    if not user.is_active:
        return
    known = set(
        Acquaintance.objects.filter(contact_id__in=contact_ids, user=user).values_list(
            "contact_id", flat=True
        )
    )
    for contact_id in sorted(set(contact_ids) - known):
        Acquaintance.objects.create(contact_id=contact_id, user=user, closeness=Closeness.SLIGHT)


@transaction.atomic
def contact_delete(*, contact: Contact) -> None:
    contact.delete()


@transaction.atomic
def acquaintance_set(*, contact: Contact, user: User, closeness: str) -> Acquaintance:
    """Record (or change) how well one of our staff knows the person."""
    if closeness not in Closeness.values:
        raise ApplicationError(_("Unknown level of acquaintance."), field="closeness")
    if not user.is_active:
        raise ApplicationError(_("This user is no longer active."), field="user")
    acquaintance, _created = Acquaintance.objects.get_or_create(
        contact=contact, user=user, defaults={"closeness": closeness}
    )
    if acquaintance.closeness != closeness:
        acquaintance.closeness = closeness
        acquaintance.save()
    return acquaintance


def _reports_up(start: Contact) -> set[int]:
    """Everyone `start` reports to, directly or over several levels."""
    above: set[int] = set()
    frontier = {start.pk}
    while frontier:
        frontier = (
            set(
                ContactRelation.objects.filter(
                    source_id__in=frontier, kind=RelationKind.REPORTS_TO
                ).values_list("target_id", flat=True)
            )
            - above
        )
        above |= frontier
    return above


@transaction.atomic
def relation_add(*, source: Contact, target: Contact, kind: str, note: str = "") -> ContactRelation:
    """`source` <kind> `target`; refuses self-relations, strangers and reporting circles."""
    if source.customer_id != target.customer_id:
        raise ApplicationError(_("Both people must belong to the same customer."), field="target")
    if source.pk == target.pk:
        raise ApplicationError(_("A person cannot have a relation to themselves."), field="target")
    if kind not in RelationKind.values:
        raise ApplicationError(_("Unknown kind of relation."), field="kind")
    # Lock the customer's people so two concurrent additions cannot close a circle together.
    list(Contact.objects.select_for_update().filter(customer_id=source.customer_id))
    if kind == RelationKind.REPORTS_TO and source.pk in _reports_up(target):
        raise ApplicationError(
            _(
                "%(target)s already reports, directly or indirectly, to %(source)s. "
                "“%(source)s reports to %(target)s” would make the reporting line a circle."
            )
            % {"source": source, "target": target},
            code="cycle",
            field="target",
        )
    if ContactRelation.objects.filter(source=source, target=target, kind=kind).exists():
        raise ApplicationError(_("This relation has already been recorded."), code="duplicate")
    relation = ContactRelation(source=source, target=target, kind=kind, note=note.strip())
    relation.full_clean()
    relation.save()
    return relation


@transaction.atomic
def relation_delete(*, relation: ContactRelation) -> None:
    relation.delete()


@dataclass(frozen=True)
class BuyingCenterData:
    name: str
    business_unit_id: int | None = None
    decision: str = ""


@transaction.atomic
def buying_center_save(
    *, customer: Customer, data: BuyingCenterData, buying_center: BuyingCenter | None = None
) -> BuyingCenter:
    """A buying center for one business unit or one purchase decision of the customer."""
    buying_center = buying_center or BuyingCenter(customer=customer)
    if (
        data.business_unit_id is not None
        and not BusinessUnit.objects.filter(pk=data.business_unit_id, customer=customer).exists()
    ):
        raise ApplicationError(
            _("This business unit does not belong to the customer."), field="business_unit"
        )
    name = data.name.strip()
    duplicate = BuyingCenter.objects.filter(customer=customer, name__iexact=name).exclude(
        pk=buying_center.pk
    )
    if duplicate.exists():
        raise ApplicationError(
            _("This customer already has a buying center with this name."), field="name"
        )
    buying_center.name = name
    buying_center.business_unit_id = data.business_unit_id
    buying_center.decision = data.decision.strip()
    buying_center.full_clean()
    if differs_from_stored(buying_center):
        buying_center.save()
    return buying_center


@transaction.atomic
def buying_center_delete(*, buying_center: BuyingCenter) -> None:
    """Removes the grouping only; the people stay with the customer."""
    buying_center.delete()


@transaction.atomic
def contacts_create_many(contacts: Sequence[Contact], *, by: User | None, reason: str) -> None:
    """Create people checked by the caller by the rules of `contact_save` (an import
    checks a whole file first), in bulk, each with its "+" history row."""
    created = Contact.objects.bulk_create(contacts, batch_size=1000)
    history_write(Contact, [c.pk for c in created], kind="+", by=by, reason=reason)


@transaction.atomic
def contacts_update_many(
    contacts: Sequence[Contact],
    fields: Sequence[str],
    *,
    roles: Mapping[int, tuple[str, ...]],
    known_by: Mapping[int, tuple[int, ...]],
    by: User | None,
    reason: str,
    changed: Sequence[int] = (),
) -> None:
    """Write `fields` of the people in bulk; give the people in `roles` exactly those
    buying roles and those in `known_by` exactly those of our staff who know them (how
    well stays for those who already did). The people in `changed` changed in substance
    and get their "~" history row."""
    moved = set(changed)
    for contact in contacts:
        if contact.pk in moved:
            contact.version += 1
    Contact.objects.bulk_update(contacts, [*fields, "version"], batch_size=500)
    _roles_replace(roles)
    _acquaintances_replace(known_by, by=by, reason=reason)
    history_write(Contact, sorted(moved), kind="~", by=by, reason=reason)


def _roles_replace(roles: Mapping[int, tuple[str, ...]]) -> None:
    link = Contact.buying_roles.through
    ids = list(roles)
    role_ids = dict(BuyingRole.objects.values_list("code", "pk"))
    for start in range(0, len(ids), 900):
        link.objects.filter(contact_id__in=ids[start : start + 900]).delete()
    link.objects.bulk_create(
        [
            link(contact_id=pk, buyingrole_id=role_ids[c])
            for pk, codes in roles.items()
            for c in codes
        ],
        batch_size=1000,
    )


def _acquaintances_replace(
    known_by: Mapping[int, tuple[int, ...]], *, by: User | None, reason: str
) -> None:
    """Remove the acquaintances no longer named, add the new ones, each with history."""
    ids = list(known_by)
    current: dict[tuple[int, int], int] = {}
    for start in range(0, len(ids), 900):
        rows = Acquaintance.objects.filter(contact_id__in=ids[start : start + 900])
        current.update(((c, u), pk) for c, u, pk in rows.values_list("contact_id", "user_id", "pk"))
    wanted = {(pk, user) for pk, users in known_by.items() for user in users}
    gone = sorted(pk for key, pk in current.items() if key not in wanted)
    history_write(Acquaintance, gone, kind="-", by=by, reason=reason)
    delete_rows(Acquaintance, gone)
    added = Acquaintance.objects.bulk_create(
        [Acquaintance(contact_id=c, user_id=u) for c, u in sorted(wanted - set(current))],
        batch_size=1000,
    )
    history_write(Acquaintance, [a.pk for a in added], kind="+", by=by, reason=reason)


@transaction.atomic
def contacts_delete_unused(ids: Sequence[int], *, by: User | None, reason: str) -> list[int]:
    """Delete those of the people a batch created that nobody has changed since (their
    history holds only their creation) and nothing refers to but their buying roles and
    who of us knows them, which go with them. Returns the ids deleted. Meant for undoing
    a batch (`contacts_create_many`)."""
    untouched = sorted(set(ids) - ids_changed(Contact, ids))
    _roles_replace(dict.fromkeys(untouched, ()))
    _acquaintances_replace(dict.fromkeys(untouched, ()), by=by, reason=reason)
    used = ids_in_use(Contact, untouched)
    unused = [pk for pk in untouched if pk not in used]
    history_write(Contact, unused, kind="-", by=by, reason=reason)
    delete_rows(Contact, unused)
    return unused
