"""The dated history of a customer's company area: who changed what, when, old and new."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models

from kundenbild.customers.models import Address, BusinessUnit, Customer

HIDDEN_FIELDS = {"version", "updated_at", "created_at", "customer"}


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: Any
    kind: str  # "+" created, "~" changed, "-" deleted
    subject: str  # what was changed, e.g. "Address: Lagerweg 4"
    changes: list[tuple[str, Any, Any]]


def _label(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


def _entries(records: Any, model: type[models.Model], subject: Any) -> list[HistoryEntry]:
    entries = []
    for record in records:
        changes: list[tuple[str, Any, Any]] = []
        previous = record.prev_record
        if previous is not None:
            delta = record.diff_against(previous)
            changes = [
                (_label(model, c.field), c.old, c.new)
                for c in delta.changes
                if c.field not in HIDDEN_FIELDS
            ]
        entries.append(
            HistoryEntry(
                record.history_date,
                record.history_user,
                record.history_type,
                subject(record),
                changes,
            )
        )
    return entries


def customer_history(customer: Customer, *, limit: int = 200) -> list[HistoryEntry]:
    """Changes to the master data, addresses and business units, newest first."""
    master = customer.history.select_related("history_user").order_by("-history_date")[:limit]
    addresses = (
        Address.history.filter(customer_id=customer.pk)
        .select_related("history_user")
        .order_by("-history_date")[:limit]
    )
    units = (
        BusinessUnit.history.filter(customer_id=customer.pk)
        .select_related("history_user")
        .order_by("-history_date")[:limit]
    )
    address_name = str(Address._meta.verbose_name)
    unit_name = str(BusinessUnit._meta.verbose_name)
    entries = [
        *_entries(master, Customer, lambda r: str(Customer._meta.verbose_name)),
        *_entries(addresses, Address, lambda r: f"{address_name}: {r.street}, {r.city}"),
        *_entries(units, BusinessUnit, lambda r: f"{unit_name}: {r.name}"),
    ]
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]
