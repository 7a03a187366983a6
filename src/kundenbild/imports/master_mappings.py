"""Column mappings of master-data files, saved by name for the next export of the kind."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from kundenbild.accounts.models import User
from kundenbild.core.errors import ApplicationError
from kundenbild.imports.master.kinds import KINDS
from kundenbild.imports.models import ImportContent, ImportMapping

DIALECT_KEYS = frozenset({"encoding", "delimiter", "decimal", "date_format"})


@transaction.atomic
def master_mapping_save(
    *,
    name: str,
    content: str,
    columns: Mapping[str, str],
    dialect: Mapping[str, str],
    by: User | None,
) -> ImportMapping:
    """Save (or overwrite) the mapping `field → header` of one kind under a name. Names
    are unique across kinds: a name another kind's mapping has is refused, not taken."""
    name = name.strip()
    if not name:
        raise ApplicationError(_("Give the mapping a name."), field="mapping_name")
    if content not in KINDS:
        raise ApplicationError(
            _("“%(content)s” is no kind of master data.") % {"content": content},
            code="unknown_content",
        )
    unknown = sorted(set(columns) - set(KINDS[content].fields))
    unknown += sorted(set(dialect) - DIALECT_KEYS)
    if unknown:
        raise ApplicationError(_("Unknown fields: %(f)s") % {"f": ", ".join(unknown)})
    other = ImportMapping.objects.filter(name=name).exclude(content=content).first()
    if other is not None:
        raise ApplicationError(
            _("The name “%(name)s” is taken by a mapping for %(content)s; choose another name.")
            % {"name": name, "content": other.get_content_display()},
            code="mapping_name_taken",
            field="mapping_name",
        )
    mapping, _created = ImportMapping.objects.update_or_create(
        name=name,
        defaults={
            "content": ImportContent(content),
            "columns": {f: h for f, h in columns.items() if h},
            "dialect": dict(dialect),
            "created_by": by,
        },
    )
    return mapping
