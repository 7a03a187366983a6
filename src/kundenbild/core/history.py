"""Reading django-simple-history records as dated entries people can follow.

Shared by the customer profile's history and the problem-solving chain's history: each
takes the records of its own models and turns stored ids and codes back into names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models

HIDDEN_FIELDS = {"version", "updated_at", "created_at", "customer"}


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: Any
    kind: str  # "+" created, "~" changed, "-" deleted
    area: str
    subject: str  # what was changed, e.g. "Address: Lagerweg 4"
    changes: list[tuple[str, Any, Any]]
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

    def value(self, model: type[models.Model], name: str, value: Any) -> Any:
        field = model._meta.get_field(name)
        if isinstance(field, models.ManyToManyField):
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
        if isinstance(field, models.ForeignKey):
            related = field.related_model
            assert isinstance(related, type)
            return self.of(related, value)
        choices = dict(getattr(field, "flatchoices", None) or [])
        if choices and value in choices:
            return choices[value]
        return value


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
        changes: list[tuple[str, Any, Any]] = []
        previous = record.prev_record
        if previous is not None:
            delta = record.diff_against(previous)
            changes = [
                (
                    _label(model, c.field),
                    names.value(model, c.field, c.old),
                    names.value(model, c.field, c.new),
                )
                for c in delta.changes
                if c.field not in HIDDEN_FIELDS
            ]
            if not changes and record.history_type == "~":
                continue  # a save that changed nothing worth showing
        entries.append(
            HistoryEntry(
                record.history_date,
                author(record.history_change_reason) or record.history_user,
                record.history_type,
                area,
                subject(record),
                changes,
                reason(record.history_change_reason, record.history_type),
            )
        )
    return entries


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
