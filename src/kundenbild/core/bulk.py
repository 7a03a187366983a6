"""Bulk writes that keep django-simple-history true: history rows by the thousand, and
which objects are still untouched since a bulk write created them.

django-simple-history writes a history row per `save()` and `delete()`; a bulk insert
or delete bypasses it. `history_write` gives each object its row in SQL, a copy of the
row as the database holds it, so that the history costs a fraction of the insert it
follows (simple_history's `bulk_create_with_history` builds each row in Python and
costs twice the insert itself).

Each statement takes its values as one parameter (SQLite allows only 999 a statement):
a JSON array on SQLite, an array on PostgreSQL. Table and column names come from the
models, quoted; every value is a parameter.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import connection, models
from django.utils import timezone
from simple_history.models import HistoricalChanges

from kundenbild.core.errors import Refusal

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser  # core sits below accounts

HISTORY_FIELDS = ("history_date", "history_change_reason", "history_type", "history_user")


def _one_of(column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    """SQL for "`column` is one of `values`" with a single parameter."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(values)]
    return f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(list(values))]


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return connection.ops.quote_name(field.column or field.attname)


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _found(
    model: type[models.Model], field: str, values: Sequence[Any], where: str = ""
) -> set[Any]:
    """The values of `field` among `values` that rows of `model` hold."""
    if not values:
        return set()
    column = _column(model, field)
    condition, params = _one_of(column, values)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT {column} FROM {_table(model)} WHERE {condition}{where}", params
        )
        return {row[0] for row in cursor.fetchall()}


def refused_as_taken(objects: Sequence[models.Model], field: str) -> list[Refusal]:
    """The objects whose value of the unique `field` is in use, or comes twice in the
    batch: `full_clean`'s uniqueness check in one query, not one per object."""
    if not objects:
        return []
    model = type(objects[0])
    values = [getattr(o, field) for o in objects]
    taken = _found(model, field, values)
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
    model: type[models.Model],
    ids: Sequence[Any],
    *,
    kind: str,
    by: AbstractBaseUser | None,
    reason: str,
) -> None:
    """One history row of `kind` ("+" created, "~" changed, "-" deleted) per object, by
    `by`, with `reason` as its change reason: the rows `save()` and `delete()` would have
    written, with the many-to-many links of a model whose history keeps them."""
    if not ids:
        return
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
    condition, params = _one_of(_column(model, model._meta.pk.name), ids)
    links = getattr(history, "_history_m2m_fields", ())
    returning = f" RETURNING {quote(meta.pk.column)}" if links else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table(history)} ({columns}, {history_columns}) "
            f"SELECT {columns}, %s, %s, %s, %s FROM {_table(model)} WHERE {condition}"
            f"{returning}",
            [when, reason, kind, by.pk if by else None, *params],
        )
        written = [row[0] for row in cursor.fetchall()] if links else []
    for field in links:
        _history_links_write(model, field, written)


def history_baseline(
    model: type[models.Model], *, by: AbstractBaseUser | None, reason: str
) -> list[Any]:
    """A "+" row for each object of `model` whose history is empty, as a bulk insert
    leaves it: without one, the object's first change has nothing to be compared with,
    and its history could say only that something changed. Returns the ids recorded."""
    key = model._meta.pk.attname
    recorded = set(history_model(model).objects.values_list(key, flat=True).distinct())
    ids = [pk for pk in model._default_manager.values_list("pk", flat=True) if pk not in recorded]
    history_write(model, ids, kind="+", by=by, reason=reason)
    return ids


def _history_links_write(model: type[models.Model], field: Any, history_ids: list[Any]) -> None:
    """Copy each object's links of the many-to-many `field` into its new history rows,
    as simple_history does on `save()`: without them the history would show the links
    gone in this row and back in the next."""
    if not history_ids:
        return
    history = history_model(model)
    links = getattr(history, field.name).model  # the history's copy of the through table
    through = field.remote_field.through
    owner = _column(through, field.m2m_field_name())
    names = [f.name for f in through._meta.concrete_fields]
    source = ", ".join(f"t.{_column(through, name)}" for name in names)
    target = ", ".join(_column(links, name) for name in [*names, "history"])
    condition, params = _one_of(f"h.{_column(history, history._meta.pk.name)}", history_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table(links)} ({target}) "
            f"SELECT {source}, h.{_column(history, history._meta.pk.name)} "
            f"FROM {_table(through)} t JOIN {_table(history)} h "
            f"ON t.{owner} = h.{_column(history, model._meta.pk.name)} WHERE {condition}",
            params,
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
    history = history_model(model)
    kind = _column(history, "history_type")
    return _found(history, model._meta.pk.attname, ids, f" AND {kind} <> '+'")


def referring_keys(model: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    """The foreign keys (of other tables and of the model itself) that point at `model`.

    History tables are left out: their rows are copies of what was. A many-to-many link
    comes as the foreign key of its through table, not as the many-to-many field, which
    has no column to look in.
    """
    found = []
    for relation in model._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete and relation.is_relation):
            continue
        source = relation.related_model
        assert isinstance(source, type)
        key = relation.field  # type: ignore[union-attr]
        if isinstance(key, models.ForeignKey) and not issubclass(source, HistoricalChanges):
            found.append(key)
    return found


def ids_in_use(model: type[models.Model], ids: Sequence[Any]) -> set[Any]:
    """Those of the objects that any row of another table refers to (history tables,
    which keep copies of deleted rows, do not count)."""
    used: set[Any] = set()
    for key in referring_keys(model):
        used |= _found(key.model, key.name, ids)
    return used


def delete_rows(model: type[models.Model], ids: Sequence[Any]) -> None:
    """Delete the rows without Django's collector, which would write a history row for
    each on its own: for objects `ids_in_use` found unused (the database's foreign keys
    refuse the transaction if something came to refer to one in between)."""
    if not ids:
        return
    condition, params = _one_of(_column(model, model._meta.pk.name), ids)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_table(model)} WHERE {condition}", params)
