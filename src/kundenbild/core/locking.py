"""Optimistic locking: an edit names the version it read and is refused if that is stale."""

from __future__ import annotations

from typing import Any, TypeVar, cast

from django.db import models
from django.utils.functional import Promise

from kundenbild.core.errors import ConflictError

M = TypeVar("M", bound=models.Model)


def lock_current(instance: M, expected_version: int | None, message: str | Promise) -> M:
    """The row as it is now, locked for this transaction; ConflictError if it moved on.

    `expected_version=None` means the caller did not read a version (e.g. a script that
    wants last-write-wins); the row is still locked so two saves serialise.
    """
    locked = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if expected_version is not None and cast(Any, locked).version != expected_version:
        raise ConflictError(message)
    return locked
