"""The customers a user opened last, newest first, kept in the session.

Why the session and not a table: a log of who looked at which customer when would be a
record of employees' behaviour (a works-council matter in German companies) that nobody
asked for; the session holds only the last few ids, is gone at logout, and costs no
migration. The price: the list does not follow a user from the laptop to the phone.
"""

from __future__ import annotations

from typing import Any

from kundenbild.customers.models import Customer

SESSION_KEY = "kundenbild.recent_customers"
RECENT_LIMIT = 8


def recent_customer_ids(session: Any) -> list[int]:
    """The ids in the session, newest first; anything malformed counts as nothing."""
    stored = session.get(SESSION_KEY, [])
    if not isinstance(stored, list):
        return []
    return [i for i in stored if isinstance(i, int) and not isinstance(i, bool)][:RECENT_LIMIT]


def recent_customer_remember(session: Any, customer_id: int) -> None:
    """Put the customer first; the oldest falls off beyond eight."""
    ids = [customer_id, *(i for i in recent_customer_ids(session) if i != customer_id)]
    if ids != session.get(SESSION_KEY):
        session[SESSION_KEY] = ids[:RECENT_LIMIT]


def recent_customers(session: Any) -> list[Customer]:
    """The customers themselves, newest first; merged or deleted ones drop out."""
    ids = recent_customer_ids(session)
    found = Customer.objects.in_bulk(ids)
    return [found[i] for i in ids if i in found]
