"""Bulk writes that keep django-simple-history true: history rows by the thousand, and
which objects are still untouched since a bulk write created them.

django-simple-history writes a history row per `save()` and `delete()`; a bulk insert
or delete bypasses it. `history_write` gives each object its row in SQL, a copy of the
row as the database holds it, so that the history costs a fraction of the insert it
follows (simple_history's `bulk_create_with_history` builds each row in Python and
costs twice the insert itself).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from django.db import connection, models
from django.utils import timezone
from simple_history.models import HistoricalChanges

from kundenbild.core.errors import Refusal

if TYPE_CHECKING:
    from kundenbild.accounts.models import User

CHUNK = 900  # ids per statement: SQLite allows 999 parameters
HISTORY_FIELDS = ("history_date", "history_change_reason", "history_type", "history_user")


def _chunks(ids: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _where_pk_in(model: type[models.Model], count: int) -> str:
    pk = model._meta.pk
    column = connection.ops.quote_name(pk.column or pk.attname)
    return f"WHERE {column} IN ({', '.join(['%s'] * count)})"


def refused_as_taken(objects: Sequence[models.Model], field: str) -> list[Refusal]:
    """The objects whose value of the unique `field` is in use, or comes twice in the
    batch: `full_clean`'s uniqueness check in one query per 900 objects, not one each."""
    if not objects:
        return []
    model = type(objects[0])
    values = [getattr(o, field) for o in objects]
    taken: set[Any] = set()
    for chunk in _chunks(values):
        taken.update(
            model._default_manager.filter(**{f"{field}__in": chunk}).values_list(field, flat=True)
        )
    refused = []
    for index, (obj, value) in enumerate(zip(objects, values, strict=True)):
        if value in taken:
            error = obj.unique_error_message(model, (field,))
            refused.append(Refusal(index, field, error.messages[0]))
        taken.add(value)
    return refused


def history_model(model: type[models.Model]) -> Any:
    return model.history.model  # type: ignore[attr-defined]


def history_write(
    model: type[models.Model], ids: Sequence[Any], *, kind: str, by: User | None, reason: str
) -> None:
    """One history row of `kind` ("+" created, "-" deleted) per object, by `by`, with
    `reason` as its change reason: the rows `save()` and `delete()` would have written."""
    history = history_model(model)
    tracked = [f.column for f in history.tracked_fields]
    extra = {f.name for f in history._meta.concrete_fields} - {
        f.name for f in history.tracked_fields
    }
    if extra != {"history_id", *HISTORY_FIELDS}:
        raise ValueError(f"{history.__name__} has fields history_write does not fill: {extra}")
    quote = connection.ops.quote_name
    meta = history._meta
    columns = ", ".join(quote(c) for c in tracked)
    history_columns = ", ".join(quote(meta.get_field(name).column) for name in HISTORY_FIELDS)
    when = meta.get_field("history_date").get_db_prep_value(timezone.now(), connection)
    with connection.cursor() as cursor:
        for chunk in _chunks(ids):
            cursor.execute(
                f"INSERT INTO {quote(meta.db_table)} ({columns}, {history_columns}) "
                f"SELECT {columns}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
                + _where_pk_in(model, len(chunk)),
                [when, reason, kind, by.pk if by else None, *chunk],
            )


def ids_created(model: type[models.Model], reason: str) -> list[Any]:
    """The objects, still there, whose creation `history_write` recorded with `reason`."""
    key = model._meta.pk.attname
    created = history_model(model).objects.filter(
        history_type="+",
        history_change_reason=reason,
        **{f"{key}__in": model._default_manager.values(model._meta.pk.name)},
    )
    return sorted(created.values_list(key, flat=True))


def ids_changed(model: type[models.Model], ids: Sequence[Any]) -> set[Any]:
    """Those of the objects whose history holds more than their creation."""
    key = model._meta.pk.attname
    changed: set[Any] = set()
    for chunk in _chunks(ids):
        changed.update(
            history_model(model)
            .objects.filter(**{f"{key}__in": chunk})
            .exclude(history_type="+")
            .values_list(key, flat=True)
        )
    return changed


def ids_in_use(model: type[models.Model], ids: Sequence[Any]) -> set[Any]:
    """Those of the objects that any row of another table refers to (history tables,
    which keep copies of deleted rows, do not count)."""
    used: set[Any] = set()
    for relation in model._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete and relation.is_relation):
            continue
        source = relation.related_model
        assert isinstance(source, type)
        if issubclass(source, HistoricalChanges):
            continue
        column = relation.field.attname  # type: ignore[union-attr]
        for chunk in _chunks(ids):
            used.update(
                source._base_manager.filter(**{f"{column}__in": chunk}).values_list(
                    column, flat=True
                )
            )
    return used


def delete_rows(model: type[models.Model], ids: Sequence[Any]) -> None:
    """Delete the rows without Django's collector, which would write a history row for
    each on its own: for objects `ids_in_use` found unused (the database's foreign keys
    refuse the transaction if something came to refer to one in between)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for chunk in _chunks(ids):
            cursor.execute(
                f"DELETE FROM {quote(model._meta.db_table)} " + _where_pk_in(model, len(chunk)),
                list(chunk),
            )
