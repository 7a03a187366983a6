"""Reading django-simple-history records as dated entries people can follow.

Shared by the customer profile's history and the problem-solving chain's history: each
takes the records of its own models and turns stored ids and codes back into names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kundenbild.core.formatting import format_money, format_number, format_percent

HIDDEN_FIELDS = {"version", "updated_at", "created_at", "customer"}

BOOKKEEPING_FIELDS = {"version"}
"""Fields a save sets by itself: a change of them alone changes nothing a person made."""

MONEY_FIELDS = frozenset(
    {
        "finance.financeprofile.credit_limit",
        "finance.customercost.amount",
        "finance.overheadrate.amount",
        "potential.effectivedemand.amount",
        "potential.effectivedemand.our_revenue",
        "portfolio.coachingfocus.target_revenue",
        "portfolio.coachingfocus.target_margin",
    }
)
"""Decimal fields that hold euros, shown with € like on their pages; the others are
percentages (`PERCENT_FIELDS`) or plain numbers. A decimal's places do not tell which."""

PERCENT_FIELDS = frozenset(
    {"finance.financeprofile.cash_discount_percent", "finance.condition.percent"}
)
"""Decimal fields that hold percentages (2.5 is 2,5 %)."""


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: Any
    kind: str  # "+" created, "~" changed, "-" deleted
    area: str
    subject: str  # what was changed, e.g. "Address: Lagerweg 4"
    changes: list[tuple[str, str, str]]  # field, old value, new value, as pages show them
    reason: str = ""  # why, in words, e.g. "Created by import no. 7 of the file sales.csv."


class HistoryNames:
    """Turns ids and codes in history records into readable values, with a cache."""

    def __init__(self) -> None:
        self._cache: dict[tuple[type[models.Model], Any], str] = {}

    def of(self, model: type[models.Model], pk: Any) -> str:
        if pk in (None, ""):
            return ""
        key = (model, pk)
        if key not in self._cache:
            obj = model._default_manager.filter(pk=pk).first()
            self._cache[key] = str(obj) if obj is not None else f"#{pk}"
        return self._cache[key]

    def value(self, model: type[models.Model], name: str, value: Any) -> str:
        """A stored value as its page shows it: a name for an id, a label for a code,
        euros, percentages and dates in the reader's language, yes or no."""
        field = model._meta.get_field(name)
        if isinstance(field, models.ManyToManyField):
            return self._links(model, field, value)
        if value is None or value == "":
            return ""
        if isinstance(field, models.ForeignKey):
            related = field.related_model
            assert isinstance(related, type)
            return self.of(related, value)
        choices = dict(getattr(field, "flatchoices", None) or [])
        if choices and value in choices:
            return str(choices[value])
        return _shown(model, field, value)

    def _links(
        self, model: type[models.Model], field: models.ManyToManyField[Any, Any], value: Any
    ) -> str:
        related = field.related_model
        assert isinstance(related, type)
        own = model._meta.model_name
        items = []
        for row in value or []:
            # the through row names both ends; for a model related to itself they are
            # from_<model> (this object) and to_<model> (the one it points at)
            other = row.get(f"to_{own}", next((v for k, v in row.items() if k != own), None))
            items.append(self.of(related, other))
        return ", ".join(sorted(items))


def _shown(model: type[models.Model], field: Any, value: Any) -> str:
    """A value that is neither a reference nor a code, formatted by the kind of field."""
    if isinstance(field, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(field, models.DecimalField):
        key = f"{model._meta.label_lower}.{field.name}"
        places = field.decimal_places or 0
        if key in MONEY_FIELDS:
            return format_money(Decimal(value), places)
        if key in PERCENT_FIELDS:
            return format_percent(Decimal(value), places)
        return format_number(Decimal(value), places)
    if isinstance(value, datetime):
        return str(formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT"))
    if isinstance(value, date):
        return str(formats.date_format(value, "SHORT_DATE_FORMAT"))
    return str(value)


def differs_from_stored(obj: models.Model) -> bool:
    """Whether saving `obj` would change a value of its stored row (a new one always
    does): a service saves only then, so that an unchanged form writes no history row
    and moves no version, which would refuse a colleague's edit as stale."""
    if obj.pk is None:
        return True
    fields = [
        f
        for f in obj._meta.concrete_fields
        if f.name not in BOOKKEEPING_FIELDS
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
    ]
    stored = (
        type(obj)._default_manager.filter(pk=obj.pk).values(*(f.attname for f in fields)).first()
    )
    if stored is None:
        return True
    return any(f.to_python(getattr(obj, f.attname)) != stored[f.attname] for f in fields)


def _label(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


def history_entries(
    records: Iterable[Any],
    model: type[models.Model],
    area: str,
    subject: Callable[[Any], str],
    names: HistoryNames,
    reason: Callable[[str | None, str], str] = lambda stored, kind: stored or "",
    author: Callable[[str | None], str | None] = lambda stored: None,
) -> list[HistoryEntry]:
    """The records as entries; `reason` words a stored change reason (and the kind of
    change) for people; `author` names who made it where no user did (an import)."""
    entries = []
    for record in records:
        changes: list[tuple[str, str, str]] = []
        words = reason(record.history_change_reason, record.history_type)
        previous = record.prev_record
        if previous is not None:
            changes = _changes(record, previous, model, names)
            if not changes and record.history_type == "~":
                continue  # a save that changed nothing worth showing
        elif record.history_type == "~":
            # the object came in bulk without a history row (an older demo database):
            # what it held before is unknown, so the entry says so rather than nothing
            words = " ".join(
                filter(None, [words, _("The values before this change were not recorded.")])
            )
        entries.append(
            HistoryEntry(
                record.history_date,
                author(record.history_change_reason) or record.history_user,
                record.history_type,
                area,
                subject(record),
                changes,
                words,
            )
        )
    return entries


def _changes(
    record: Any, previous: Any, model: type[models.Model], names: HistoryNames
) -> list[tuple[str, str, str]]:
    """Each field shown that differs from the record before, with old and new value as
    their pages show them; a value that reads the same either way (50000 and 50000.00)
    is no change."""
    changes = []
    for change in record.diff_against(previous).changes:
        if change.field in HIDDEN_FIELDS:
            continue
        old = names.value(model, change.field, change.old)
        new = names.value(model, change.field, change.new)
        if old != new:
            changes.append((_label(model, change.field), old, new))
    return changes


def latest_records(records: Any, limit: int) -> Any:
    return records.select_related("history_user").order_by("-history_date")[:limit]


def ids_ever(model: type[models.Model], **filters: Any) -> list[Any]:
    """Ids of all objects that match or ever matched (deleted ones live on in history).

    Both sources count: bulk-loaded rows (demo data) have no history records.
    """
    history = model.history  # type: ignore[attr-defined]
    ever = set(history.filter(**filters).values_list("id", flat=True))
    return sorted(ever | set(model._default_manager.filter(**filters).values_list("pk", flat=True)))


def prefixed(model: type[models.Model], text: str) -> str:
    return f"{capitalized(str(model._meta.verbose_name))}: {text}"


def capitalized(text: str) -> str:
    """The first letter upper-cased, the rest kept: "Person in der Kette", not "…kette"."""
    return text[:1].upper() + text[1:]
