"""The global search of the top bar: customers, people, offerings and chains for one text.

Every active user reads every customer, person, offering and chain (see the chokepoints
in customers, buying_center and chains), so the search shows what their lists show and
nothing else: no revenue, no margins. Anyone not logged in, or inactive, finds nothing.

Each word of the text must match one of a kind's fields (so "müller berlin" finds the
Müller in Berlin); prefix matches come first. Each kind reads at most `limit` rows, in
the order of an index where there is one, so a frequent word stays fast on 100,000
customers: the database stops after the first few rows instead of sorting every match.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import Exists, Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Lower

from kundenbild.accounts.models import User
from kundenbild.buying_center.models import Contact
from kundenbild.chains.models import Chain
from kundenbild.customers.models import Address, AddressKind, Customer
from kundenbild.offerings.models import Offering

MAX_WORDS = 5  # more words narrow nothing a person types into a search box
MAX_LENGTH = 100
SUGGESTION_LIMIT = 5  # per kind in the top bar's dropdown
PAGE_LIMIT = 25  # per kind on the results page

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class SearchResults:
    """What one search found, per kind, each list at most the limit long."""

    text: str
    customers: list[Customer] = field(default_factory=list)
    people: list[Contact] = field(default_factory=list)
    offerings: list[Offering] = field(default_factory=list)
    chains: list[Chain] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.customers or self.people or self.offerings or self.chains)


def search_words(text: str) -> list[str]:
    """The words a search text stands for: at most five, blanks and duplicates dropped.

    >>> search_words("  Müller   berlin müller ")
    ['Müller', 'berlin']
    """
    words: list[str] = []
    for word in text[:MAX_LENGTH].split():
        if word.casefold() not in (w.casefold() for w in words):
            words.append(word)
    return words[:MAX_WORDS]


def _every_word(words: Iterable[str], *lookups: str) -> Q:
    """Each word matches at least one of the lookups (`field__icontains`)."""
    condition = Q()
    for word in words:
        any_field = Q()
        for lookup in lookups:
            any_field |= Q(**{lookup: word})
        condition &= any_field
    return condition


def _first(queryset: QuerySet[M], prefix: Q, limit: int) -> list[M]:
    """Up to `limit` rows: those matching the prefix condition first, then the rest."""
    leading = list(queryset.filter(prefix)[:limit])
    if len(leading) == limit:
        return leading
    seen = [row.pk for row in leading]
    return leading + list(queryset.exclude(pk__in=seen)[: limit - len(leading)])


def _customers(words: list[str], text: str, limit: int) -> list[Customer]:
    condition = Q()
    for word in words:
        in_a_city = Exists(Address.objects.filter(customer=OuterRef("pk"), city__icontains=word))
        condition &= Q(name__icontains=word) | Q(number__icontains=word) | Q(in_a_city)
    headquarters = Address.objects.filter(customer=OuterRef("pk"), kind=AddressKind.HEADQUARTERS)
    matches = (
        Customer.objects.filter(condition)
        .annotate(hq_city=Subquery(headquarters.values("city")[:1]))
        .order_by(Lower("name"), "pk")
    )
    return _first(matches, Q(name__istartswith=text) | Q(number__istartswith=text), limit)


def _people(words: list[str], text: str, limit: int) -> list[Contact]:
    lookups = ("first_name__icontains", "last_name__icontains", "email__icontains")
    matches = (
        Contact.objects.filter(_every_word(words, *lookups))
        .select_related("customer")
        .order_by(Lower("last_name"), Lower("first_name"), "pk")
    )
    return _first(matches, Q(last_name__istartswith=text) | Q(email__istartswith=text), limit)


def _offerings(words: list[str], text: str, limit: int) -> list[Offering]:
    lookups = ("number__icontains", "name_de__icontains", "name_en__icontains")
    matches = Offering.objects.filter(_every_word(words, *lookups)).order_by(
        "-active", "number", "pk"
    )
    return _first(matches, Q(number__istartswith=text), limit)


def _chains(words: list[str], text: str, limit: int) -> list[Chain]:
    matches = (
        Chain.objects.filter(_every_word(words, "name__icontains"))
        .select_related("customer")
        .order_by(Lower("name"), "pk")
    )
    return _first(matches, Q(name__istartswith=text), limit)


def search_everything(*, user: User | Any, text: str, limit: int) -> SearchResults:
    """What the user may see that matches the text, up to `limit` per kind."""
    words = search_words(text)
    if not words or not (user.is_authenticated and user.is_active):
        return SearchResults(text=text.strip())
    joined = " ".join(words)
    return SearchResults(
        text=joined,
        customers=_customers(words, joined, limit),
        people=_people(words, joined, limit),
        offerings=_offerings(words, joined, limit),
        chains=_chains(words, joined, limit),
    )
