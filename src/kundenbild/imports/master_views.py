"""The import page for master data (customers, …): the dry-run report of an uploaded
file, the mapping to correct, the conflicts to settle, then the import.

The upload itself is the sales page's form (`views.upload_view`), which hands a file of
master data to `master_check`; the file waits as the sales files do (`uploads.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from kundenbild.accounts.requests import AuthenticatedRequest
from kundenbild.core.errors import ApplicationError
from kundenbild.imports.forms import MasterMappingForm
from kundenbild.imports.master.comparison import OVERWRITE_ALL
from kundenbild.imports.master.reading import MasterColumnsMissingError
from kundenbild.imports.master.services import (
    HANDLERS,
    MasterImportRefusedError,
    MasterImportResult,
    import_master_file,
)
from kundenbild.imports.master_mappings import master_mapping_save
from kundenbild.imports.master_report import master_report
from kundenbild.imports.models import ImportContent
from kundenbild.imports.permissions import import_access
from kundenbild.imports.uploads import upload_discard, upload_path, upload_recall, upload_remember

MAX_OVERWRITE = 10_000  # choices posted back; more than the page ever offers

DONE: dict[str, Promise] = {
    ImportContent.CUSTOMERS: _(
        "%(file)s imported: %(added)s customers added, %(changed)s changed, "
        "%(unchanged)s unchanged, %(conflicts)s conflicts."
    ),
    ImportContent.PEOPLE: _(
        "%(file)s imported: %(added)s people added, %(changed)s changed, "
        "%(unchanged)s unchanged, %(conflicts)s conflicts."
    ),
    ImportContent.OFFERINGS: _(
        "%(file)s imported: %(added)s offerings added, %(changed)s changed, "
        "%(unchanged)s unchanged, %(conflicts)s conflicts."
    ),
}


@dataclass(frozen=True)
class _Waiting:
    """An uploaded file waiting for its import."""

    path: Path
    token: str
    file_name: str
    content: str


@dataclass(frozen=True)
class _Choices:
    """What the user chose: a saved mapping, or columns and dialect; conflicts settled."""

    mapping_name: str | None = None
    columns: dict[str, str] | None = None
    overrides: dict[str, str] = field(default_factory=dict)
    overwrite: tuple[str, ...] = ()


def master_check(
    request: AuthenticatedRequest,
    path: Path,
    *,
    token: str,
    file_name: str,
    content: str,
    mapping_name: str | None,
) -> HttpResponse:
    """The report of a freshly uploaded file. A file that cannot be read at all raises
    its `ApplicationError` for the upload form to show."""
    waiting = _Waiting(path, token, file_name, content)
    return _check(request, waiting, _Choices(mapping_name=mapping_name))


def _check(request: AuthenticatedRequest, waiting: _Waiting, choices: _Choices) -> HttpResponse:
    attempt = _attempt(request, waiting, choices, dry_run=True)
    if isinstance(attempt, HttpResponse):
        return attempt
    return _shown(request, waiting, choices, attempt, mapping=attempt.mapping)


def _attempt(
    request: AuthenticatedRequest, waiting: _Waiting, choices: _Choices, *, dry_run: bool
) -> MasterImportResult | HttpResponse:
    """Check (or import) the file; invalid rows or missing columns: the report, 422."""
    try:
        return import_master_file(
            waiting.path,
            waiting.content,
            by=request.user,
            file_name=waiting.file_name,
            mapping_name=choices.mapping_name,
            columns=choices.columns,
            overrides=dict(choices.overrides),
            overwrite=choices.overwrite,
            dry_run=dry_run,
        )
    except MasterImportRefusedError as refused:
        read = refused.result
        error = str(refused.message)
        return _shown(request, waiting, choices, read, mapping=read.mapping, error=error)
    except MasterColumnsMissingError as missing:
        upload_remember(waiting.path, headers=missing.headers)
        form = MasterMappingForm(
            initial=MasterMappingForm.initial_for(missing.mapping, choices.overrides),
            content=waiting.content,
            headers=missing.headers,
        )
        return _report(request, waiting, choices, None, form, str(missing.message), status=422)


def _shown(
    request: AuthenticatedRequest,
    waiting: _Waiting,
    choices: _Choices,
    result: MasterImportResult,
    *,
    mapping: dict[str, str],
    error: str = "",
) -> HttpResponse:
    """The report with the mapping and dialect as read, ready to correct."""
    upload_remember(waiting.path, headers=result.headers)
    form = MasterMappingForm(
        initial=MasterMappingForm.initial_for(mapping, result.dialect),
        content=waiting.content,
        headers=result.headers,
    )
    status = 422 if error else 200
    return _report(request, waiting, choices, result, form, error, status=status)


def _report(
    request: AuthenticatedRequest,
    waiting: _Waiting,
    choices: _Choices,
    result: MasterImportResult | None,
    form: MasterMappingForm,
    error: str = "",
    *,
    status: int,
) -> HttpResponse:
    context = {
        "token": waiting.token,
        "file_name": waiting.file_name,
        "content": ImportContent(waiting.content),
        "result": result,
        "report": master_report(result) if result else None,
        "form": form,
        "error": error,
        "overwrite_all": OVERWRITE_ALL in choices.overwrite,
    }
    return render(request, "imports/master_report.html", context, status=status)


def _waiting(request: AuthenticatedRequest, token: str) -> _Waiting:
    """The user's waiting file of master data; 404 for anything else."""
    path = upload_path(request, token)
    facts = upload_recall(path)
    content = facts.get("content", "")
    if content not in HANDLERS:
        raise Http404  # a sales file continues at views.import_run_view
    return _Waiting(path, token, facts.get("name", path.name), content)


def _posted_overwrite(request: AuthenticatedRequest) -> tuple[str, ...]:
    """The conflicts to settle for the ERP: "NUMBER:field" each, or "*" for all."""
    posted = request.POST.getlist("overwrite")[:MAX_OVERWRITE]
    return tuple(v for v in posted if v == OVERWRITE_ALL or (":" in v and len(v) <= 200))


@require_POST
def master_import_run_view(request: AuthenticatedRequest, token: str) -> HttpResponse:
    """Check again with a corrected mapping and conflicts settled, or import for real."""
    import_access(request.user)
    waiting = _waiting(request, token)
    headers = upload_recall(waiting.path).get("headers", [])
    form = MasterMappingForm(request.POST, content=waiting.content, headers=headers)
    choices = _Choices(overwrite=_posted_overwrite(request))
    if not form.is_valid():
        return _report(request, waiting, choices, None, form, status=400)
    choices = _Choices(
        columns=form.columns(), overrides=form.overrides(), overwrite=choices.overwrite
    )
    try:
        if form.cleaned_data["mapping_name"]:
            master_mapping_save(
                name=form.cleaned_data["mapping_name"],
                content=waiting.content,
                columns=choices.columns or {},
                dialect=choices.overrides,
                by=request.user,
            )
        if request.POST.get("action") != "import":
            return _check(request, waiting, choices)
        return _import(request, waiting, choices)
    except ApplicationError as error:  # a mapping refused, a file unreadable as chosen
        form.add_error(error.field if error.field in form.fields else None, str(error.message))
        return _report(request, waiting, choices, None, form, status=error.status)


def _import(request: AuthenticatedRequest, waiting: _Waiting, choices: _Choices) -> HttpResponse:
    attempt = _attempt(request, waiting, choices, dry_run=False)
    if isinstance(attempt, HttpResponse):
        return attempt
    upload_discard(waiting.path)
    message = str(DONE[waiting.content]) % {
        "file": waiting.file_name,
        "added": f"{len(attempt.added):n}",
        "changed": f"{len(attempt.changed):n}",
        "unchanged": f"{attempt.unchanged:n}",
        "conflicts": f"{len(attempt.conflicts):n}",
    }
    messages.success(request, message)
    return redirect("imports:index")
