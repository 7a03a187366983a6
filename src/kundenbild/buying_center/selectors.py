"""Reads on a customer's buying center: people, relations, the map and our coverage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from kundenbild.accounts.models import User
from kundenbild.buying_center.models import (
    Acquaintance,
    Attitude,
    BuyingCenter,
    BuyingRoleCode,
    Closeness,
    Contact,
    ContactRelation,
    Influence,
    RelationKind,
)
from kundenbild.customers.models import Customer

STALE_AFTER_DAYS = 180

# A role as a short tag under a person's name on the relationship map, where the full
# name ("Informationsselektierer (Gatekeeper)") would not fit.
ROLE_TAGS = {
    BuyingRoleCode.INITIATOR: pgettext_lazy("buying role, short", "Initiator"),
    BuyingRoleCode.USER: pgettext_lazy("buying role, short", "User"),
    BuyingRoleCode.INFLUENCER: pgettext_lazy("buying role, short", "Influencer"),
    BuyingRoleCode.DECIDER: pgettext_lazy("buying role, short", "Decider"),
    BuyingRoleCode.BUYER: pgettext_lazy("buying role, short", "Buyer"),
    BuyingRoleCode.GATEKEEPER: pgettext_lazy("buying role, short", "Gatekeeper"),
}
ROLE_ORDER = {code: position for position, code in enumerate(BuyingRoleCode.values)}


def contact_list(
    *, customer: Customer, buying_center: BuyingCenter | None = None
) -> QuerySet[Contact]:
    """The customer's people, or only those of one of its buying centers."""
    contacts = Contact.objects.filter(customer=customer)
    if buying_center is not None:
        contacts = contacts.filter(buying_centers=buying_center)
    return contacts.prefetch_related(
        "buying_roles", "acquaintances__user", "buying_centers"
    ).order_by("last_name", "first_name")


def relation_list(*, contacts: list[Contact]) -> list[ContactRelation]:
    """The relations among these people (both ends inside the set)."""
    ids = [c.pk for c in contacts]
    return list(
        ContactRelation.objects.filter(source_id__in=ids, target_id__in=ids)
        .select_related("source", "target")
        .order_by("kind", "source__last_name", "target__last_name")
    )


def buying_center_list(*, customer: Customer) -> QuerySet[BuyingCenter]:
    return (
        BuyingCenter.objects.filter(customer=customer)
        .select_related("business_unit")
        .annotate(people=Count("members"))
        .order_by("name")
    )


def contact_is_key(contact: Contact) -> bool:
    """A decider or a person of high influence: whom we must know (roles prefetched)."""
    return contact.influence == Influence.HIGH or any(
        r.code == BuyingRoleCode.DECIDER for r in contact.buying_roles.all()
    )


@dataclass(frozen=True)
class Coverage:
    """How well we know a buying center."""

    roles_filled: list[str]
    roles_missing: list[str]
    unknown_key_people: list[Contact]  # deciders or high influence whom none of us knows
    single_threaded: list[Contact]  # deciders or high influence known by only one of us
    stale: list[Contact]  # not contacted for half a year or more


def buying_center_coverage(contacts: list[Contact], *, today: date) -> Coverage:
    """Coverage of these people (prefetched by `contact_list`)."""
    filled = {role.code for c in contacts for role in c.buying_roles.all()}
    key_people = [c for c in contacts if contact_is_key(c)]
    stale_before = today - timedelta(days=STALE_AFTER_DAYS)
    return Coverage(
        roles_filled=[str(label) for code, label in BuyingRoleCode.choices if code in filled],
        roles_missing=[str(label) for code, label in BuyingRoleCode.choices if code not in filled],
        unknown_key_people=[c for c in key_people if not c.acquaintances.all()],
        single_threaded=[c for c in key_people if len(c.acquaintances.all()) == 1],
        stale=[c for c in contacts if c.last_contact_on and c.last_contact_on < stale_before],
    )


ATTITUDE_COLOURS = {
    Attitude.CHAMPION: "#198754",
    Attitude.SUPPORTER: "#75b798",
    Attitude.NEUTRAL: "#adb5bd",
    Attitude.SCEPTIC: "#fd7e14",
    Attitude.OPPONENT: "#dc3545",
    "": "#dee2e6",
}
INFLUENCE_SIZES = {Influence.HIGH: 58, Influence.MEDIUM: 42, Influence.LOW: 30, "": 30}
RELATION_STYLES: dict[str, dict[str, Any]] = {
    RelationKind.REPORTS_TO: {"color": "#495057", "type": "solid", "width": 2},
    RelationKind.INFLUENCES: {"color": "#0d6efd", "type": "dashed", "width": 2},
    RelationKind.TRUSTS: {"color": "#198754", "type": "dotted", "width": 2},
    RelationKind.OPPOSES: {"color": "#dc3545", "type": "dashed", "width": 2},
}
CLOSENESS_WIDTHS = {Closeness.SLIGHT: 1, Closeness.GOOD: 2, Closeness.CLOSE: 4}
STAFF_COLOUR = "#6f42c1"


def relationship_map(contacts: list[Contact], relations: list[ContactRelation]) -> dict[str, Any]:
    """Nodes and edges for the interactive map (ECharts `graph` series).

    People are coloured by attitude and sized by influence; our staff are their own
    category, linked to the people they know, the line as thick as the relationship.
    """
    nodes: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    staff: dict[int, User] = {}
    for c in contacts:
        nodes.append(_person_node(c))
        for a in c.acquaintances.all():
            staff[a.user_id] = a.user
            links.append(_knows_link(a, c))
    for user in staff.values():
        nodes.append(
            {
                "id": f"u{user.pk}",
                "name": user.get_full_name() or user.username,
                "category": 1,
                "symbol": "roundRect",
                "symbolSize": 26,
                "itemStyle": {"color": STAFF_COLOUR},
                "detail": _("our staff"),
            }
        )
    for r in relations:
        links.append(
            {
                "source": f"c{r.source_id}",
                "target": f"c{r.target_id}",
                "kind": r.kind,
                "label": r.get_kind_display(),
                "lineStyle": RELATION_STYLES[r.kind],
            }
        )
    return {
        "nodes": nodes,
        "links": links,
        "categories": [
            {"name": _("People at the customer"), "itemStyle": {"color": "#adb5bd"}},
            {"name": _("Our staff"), "itemStyle": {"color": STAFF_COLOUR}},
        ],
        "text": {"roles": _("Buying roles")},
        "legend": {
            "attitudes": [
                {"label": str(label), "color": ATTITUDE_COLOURS[Attitude(code)]}
                for code, label in Attitude.choices
            ],
            "relations": [
                {"label": str(label), **RELATION_STYLES[RelationKind(code)]}
                for code, label in RelationKind.choices
            ],
        },
    }


def _person_node(c: Contact) -> dict[str, Any]:
    """A person at the customer: coloured by attitude, sized by influence, tagged with the
    buying roles (under the name, and in full in the tooltip), described by function,
    organisation, attitude and influence."""
    roles = sorted(c.buying_roles.all(), key=lambda r: ROLE_ORDER.get(r.code, len(ROLE_ORDER)))
    influence = c.get_influence_display()
    details = (
        c.function,
        c.organisation,
        str(dict(Attitude.choices).get(c.attitude, "")),
        influence and _("influence %(level)s") % {"level": influence},
    )
    return {
        "id": f"c{c.pk}",
        "name": str(c),
        "category": 0,
        "symbolSize": INFLUENCE_SIZES[c.influence],
        "itemStyle": {"color": ATTITUDE_COLOURS[c.attitude]},
        "detail": " · ".join(part for part in details if part),
        "roles": [str(r) for r in roles],
        "roleTags": [str(ROLE_TAGS.get(BuyingRoleCode(r.code), r)) for r in roles],
    }


def _knows_link(a: Acquaintance, c: Contact) -> dict[str, Any]:
    """One of us knows the person: the line as thick as the relationship."""
    return {
        "source": f"u{a.user_id}",
        "target": f"c{c.pk}",
        "kind": "knows",
        "label": a.get_closeness_display(),
        "lineStyle": {
            "color": STAFF_COLOUR,
            "type": "solid",
            "width": CLOSENESS_WIDTHS[Closeness(a.closeness)],
            "opacity": 0.5,
        },
    }


def coverage_overview(*, owner: User | None, today: date) -> QuerySet[Customer]:
    """Every customer (or one manager's) with the gaps in its buying center, worst first.

    Counted in the database, so the list stays fast with 100,000 customers.
    """
    known = Acquaintance.objects.filter(contact=OuterRef("pk"))
    key = Q(influence=Influence.HIGH) | Q(buying_roles__code=BuyingRoleCode.DECIDER)
    key_people = (
        Contact.objects.filter(key)
        .annotate(known_by_us=Count("acquaintances", distinct=True))
        .values("pk")
    )

    def count_of(contacts: QuerySet[Contact]) -> Coalesce:
        return Coalesce(
            Subquery(
                contacts.filter(customer=OuterRef("pk"))
                .order_by()
                .values("customer")
                .annotate(n=Count("pk", distinct=True))
                .values("n"),
                output_field=IntegerField(),
            ),
            0,
        )

    roles_filled = Coalesce(
        Subquery(
            Contact.objects.filter(customer=OuterRef("pk"))
            .order_by()
            .values("customer")
            .annotate(n=Count("buying_roles__code", distinct=True))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )
    customers = Customer.objects.all()
    if owner is not None:
        customers = customers.filter(owner=owner)
    stale_before = today - timedelta(days=STALE_AFTER_DAYS)
    return (
        customers.select_related("owner")
        .annotate(
            people=count_of(Contact.objects.all()),
            roles_filled=roles_filled,
            unknown_key=count_of(Contact.objects.filter(pk__in=key_people).filter(~Exists(known))),
            single_threaded=count_of(
                Contact.objects.filter(pk__in=key_people.filter(known_by_us=1))
            ),
            stale=count_of(Contact.objects.filter(last_contact_on__lt=stale_before)),
        )
        .order_by("roles_filled", "-unknown_key", "-single_threaded", "-stale", "name")
    )
