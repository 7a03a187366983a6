"""Looking for a typed word in text fields, whatever its case, on SQLite and PostgreSQL.

SQLite's LIKE (and so Django's `icontains` there) ignores the case of ASCII letters only:
"ölmühle" misses "Müller Ölmühle GmbH", "ÜBERLINGEN" the city Überlingen. PostgreSQL
compares in upper case and finds both. Names are written in title case or in capitals,
so a word with other letters is also looked for in those spellings: a handful of extra
LIKE conditions instead of a Python function SQLite would call for every row.
"""

from __future__ import annotations

from django.db.models import Q


def case_variants(word: str) -> list[str]:
    """The spellings of a word to look for, so that case never hides a match.

    >>> case_variants("ölmühle")
    ['ölmühle', 'Ölmühle', 'ÖLMÜHLE']
    >>> case_variants("werk")
    ['werk']
    """
    if word.isascii():
        return [word]
    return list(dict.fromkeys([word, word.lower(), word.capitalize(), word.upper()]))


def any_spelling(word: str, *lookups: str) -> Q:
    """The word, in any of its case variants, matches at least one of the lookups
    (e.g. `name__icontains`)."""
    condition = Q()
    for variant in case_variants(word):
        for lookup in lookups:
            condition |= Q(**{lookup: variant})
    return condition
