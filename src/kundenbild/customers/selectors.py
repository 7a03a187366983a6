"""Reads on customers: the list with search, filters and sorting; the group tree."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import (
    QuerySet,
)

from kundenbild.customers.models import Customer, Industry


def industry_choices_in_use() -> QuerySet[Industry]:
    return Industry.objects.filter(customers__isnull=False).distinct().order_by("code")


def customer_owns_any(user: Any) -> bool:
    """Whether the user is the key account manager of at least one customer: then lists
    of customers start with theirs (as the coverage list does)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Customer.objects.filter(owner_id=user.pk).exists()


def customer_ids_by_number(numbers: Iterable[str]) -> dict[str, int]:
    """The id of each customer number that exists (to link a report's numbers)."""
    wanted = {n for n in numbers if n}
    return dict(Customer.objects.filter(number__in=wanted).values_list("number", "pk"))


def group_member_ids(root_id: int) -> list[int]:
    """The company and all its subsidiaries at any depth."""
    members = [root_id]
    frontier = [root_id]
    while frontier:
        children = Customer.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        frontier = [pk for pk in children if pk not in members]
        members.extend(frontier)
    return members


def customer_group_tree(customer: Customer) -> list[tuple[Customer, int]]:
    """The whole group of the customer, root first, as (company, depth) in tree order."""
    root = customer.group_root()
    by_parent: dict[int | None, list[Customer]] = {}
    members = [root]
    frontier = [root.pk]
    while frontier:
        children = list(
            Customer.objects.filter(parent_id__in=frontier)
            .prefetch_related("addresses")
            .order_by("name")
        )
        for child in children:
            by_parent.setdefault(child.parent_id, []).append(child)
        members.extend(children)
        frontier = [c.pk for c in children]
    ordered: list[tuple[Customer, int]] = []

    def walk(node: Customer, depth: int) -> None:
        ordered.append((node, depth))
        for child in by_parent.get(node.pk, []):
            walk(child, depth + 1)

    walk(root, 0)
    return ordered
