"""The global search of the top bar: customers, people, offerings and chains for one text.

Every active user reads every customer, person, offering and chain (see the chokepoints
in customers, buying_center and chains), so the search shows what their lists show and
nothing else: no revenue, no margins. Anyone not logged in, or inactive, finds nothing.

Each word of the text must match one of a kind's fields (so "müller berlin" finds the
Müller in Berlin). Names that begin with the text come first, then names with a word
that begins with it, then the rest. Each kind reads only the ids of at most `limit`
rows, then their details: on 100,000 customers a search is one scan of the customers
and one of the addresses, never a lookup per customer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import (
    Case,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Lower

from kundenbild.accounts.models import User
from kundenbild.buying_center.models import Contact
from kundenbild.chains.models import Chain
from kundenbild.core.text_search import any_spelling
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
        condition &= any_spelling(word, *lookups)
    return condition


def _word_start(field: str, text: str) -> Q:
    """The field, or one of its words, begins with the text: "log" ranks "Meyer Logistik"
    before "Intralogistik"."""
    return Q(**{f"{field}__istartswith": text}) | Q(**{f"{field}__icontains": f" {text}"})


def _ranked(matches: QuerySet[M], first: Q, order: tuple[Any, ...], limit: int) -> list[Any]:
    """The ids of up to `limit` matches: those meeting `first`, then the rest, each by
    `order`. Ordering by the rank first also keeps SQLite from walking the name index
    through 100,000 rows for a rare word: it scans once and keeps the top few."""
    rank = Case(When(first, then=Value(0)), default=Value(1), output_field=IntegerField())
    ranked = matches.annotate(search_rank=rank).order_by("search_rank", *order)
    return list(ranked.values_list("pk", flat=True)[:limit])


def _in_order(queryset: QuerySet[M], ids: list[Any]) -> list[M]:
    found = queryset.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def _next_prefix(text: str) -> str:
    """The smallest text after every text that begins with `text` (for an index range)."""
    return text[:-1] + chr(ord(text[-1]) + 1)


def _customers(words: list[str], text: str, limit: int) -> list[Customer]:
    condition = Q()
    for word in words:
        cities = Address.objects.filter(any_spelling(word, "city__icontains"))
        in_a_city = Q(pk__in=cities.values("customer_id"))
        condition &= any_spelling(word, "name__icontains", "number__icontains") | in_a_city
    order = (Lower("name"), "pk")
    # Names, then numbers, that begin with the text come straight from their indexes
    # (and hold every word of it, so the condition needs no checking there).
    low, high = text.lower(), _next_prefix(text.lower())
    named = Customer.objects.annotate(name_lower=Lower("name"))
    ids = list(
        named.filter(name_lower__gte=low, name_lower__lt=high)
        .order_by(*order)
        .values_list("pk", flat=True)[:limit]
    )
    if len(ids) < limit:
        numbered = Customer.objects.filter(number__gte=text.upper(), number__lt=high.upper())
        numbered = numbered.exclude(pk__in=ids).order_by("number")
        ids += numbered.values_list("pk", flat=True)[: limit - len(ids)]
    if len(ids) < limit:
        rest = Customer.objects.filter(condition).exclude(pk__in=ids)
        ids += _ranked(rest, _word_start("name", text), order, limit - len(ids))
    headquarters = Address.objects.filter(customer=OuterRef("pk"), kind=AddressKind.HEADQUARTERS)
    details = Customer.objects.annotate(hq_city=Subquery(headquarters.values("city")[:1]))
    return _in_order(details, ids)


def _people(words: list[str], text: str, limit: int) -> list[Contact]:
    lookups = ("first_name__icontains", "last_name__icontains", "email__icontains")
    first = Q(last_name__istartswith=text) | Q(email__istartswith=text)
    order = (Lower("last_name"), Lower("first_name"), "pk")
    ids = _ranked(Contact.objects.filter(_every_word(words, *lookups)), first, order, limit)
    return _in_order(Contact.objects.select_related("customer"), ids)


def _offerings(words: list[str], text: str, limit: int) -> list[Offering]:
    lookups = ("number__icontains", "name_de__icontains", "name_en__icontains")
    first = Q(number__istartswith=text) | _word_start("name_de", text)
    order = ("-active", "number", "pk")
    ids = _ranked(Offering.objects.filter(_every_word(words, *lookups)), first, order, limit)
    return _in_order(Offering.objects.all(), ids)


def _chains(words: list[str], text: str, limit: int) -> list[Chain]:
    matches = Chain.objects.filter(_every_word(words, "name__icontains"))
    ids = _ranked(matches, _word_start("name", text), (Lower("name"), "pk"), limit)
    return _in_order(Chain.objects.select_related("customer"), ids)


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
