"""The import page: upload an export, read the dry-run report, correct, then import.

The uploaded file waits (`uploads.py`) between the check and the import, and is removed
after the import, or at once when the check fails (an unreadable or oversized file is
never kept). Master data (customers, …) takes the same upload form and continues in
`master_views.py`.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kundenbild.accounts.requests import AuthenticatedRequest
from kundenbild.core.errors import ApplicationError
from kundenbild.imports.costs import CostImportRefusedError, import_costs
from kundenbild.imports.forms import CostUploadForm, MappingForm, UploadForm
from kundenbild.imports.master_views import master_check
from kundenbild.imports.middleware import upload_too_large
from kundenbild.imports.models import ImportContent, ImportRun, ImportStatus
from kundenbild.imports.permissions import import_access
from kundenbild.imports.selectors import import_list, sales_totals
from kundenbild.imports.services import (
    ColumnsMissingError,
    ImportRefusedError,
    ImportResult,
    Problem,
    import_file,
    import_rollback,
    mapping_save,
)
from kundenbild.imports.uploads import (
    upload_discard,
    upload_new_path,
    upload_path,
    upload_recall,
    upload_remember,
    upload_store,
    uploads_folder,
)


def _index(
    request: AuthenticatedRequest,
    form: UploadForm,
    status: int = 200,
    *,
    cost_form: CostUploadForm | None = None,
    cost_problems: list[Problem] | None = None,
) -> HttpResponse:
    runs = import_list()
    newest = next((r for r in runs if r.status == ImportStatus.IMPORTED), None)
    context: dict[str, Any] = {
        "form": form,
        "cost_form": cost_form or CostUploadForm(),
        "cost_problems": cost_problems or [],
        "runs": runs[:30],
        "newest": newest,
        "years": sales_totals("year"),
        "total": sales_totals()[0],
    }
    return render(request, "imports/index.html", context, status=status)


def imports_view(request: AuthenticatedRequest) -> HttpResponse:
    import_access(request.user)
    return _index(request, UploadForm())


def _report(
    request: AuthenticatedRequest,
    *,
    token: str,
    file_name: str,
    result: ImportResult | None,
    form: MappingForm,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "token": token,
        "file_name": file_name,
        "result": result,
        "form": form,
        "error": error,
        "years": sorted((result.years if result else {}).items()),
    }
    return render(request, "imports/report.html", context, status=status)


def _shown(
    request: AuthenticatedRequest,
    path: Path,
    *,
    token: str,
    file_name: str,
    create_missing: bool,
    result: ImportResult | None,
    read: ImportResult | ColumnsMissingError,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """The report with the mapping and dialect as read (`read`), ready to correct."""
    upload_remember(path, headers=read.headers)
    form = MappingForm(
        initial=MappingForm.initial_for(read.mapping, read.dialect, create_missing),
        headers=read.headers,
    )
    return _report(
        request,
        token=token,
        file_name=file_name,
        result=result,
        form=form,
        error=error,
        status=status,
    )


def _refused(
    request: AuthenticatedRequest,
    path: Path,
    refusal: ImportRefusedError | ColumnsMissingError,
    *,
    token: str,
    file_name: str,
    create_missing: bool,
) -> HttpResponse:
    """Invalid rows or missing columns: show why, with the mapping to correct."""
    read = refusal.result if isinstance(refusal, ImportRefusedError) else refusal
    return _shown(
        request,
        path,
        token=token,
        file_name=file_name,
        create_missing=create_missing,
        result=read if isinstance(read, ImportResult) else None,
        read=read,
        error=str(refusal.message),
        status=422,
    )


def _check(
    request: AuthenticatedRequest,
    path: Path,
    *,
    token: str,
    file_name: str,
    columns: dict[str, str] | None,
    mapping_name: str | None,
    dialect: Any,
    create_missing: bool,
) -> HttpResponse:
    """Dry-run the file and show what would happen, with the mapping to correct."""
    try:
        result = import_file(
            path,
            by=request.user,
            file_name=file_name,
            mapping_name=mapping_name,
            columns=columns,
            dialect=dialect,
            create_missing=create_missing,
            dry_run=True,
        )
    except (ImportRefusedError, ColumnsMissingError) as refusal:
        return _refused(
            request,
            path,
            refusal,
            token=token,
            file_name=file_name,
            create_missing=create_missing,
        )
    return _shown(
        request,
        path,
        token=token,
        file_name=file_name,
        create_missing=create_missing,
        result=result,
        read=result,
    )


@require_POST
def upload_view(request: AuthenticatedRequest) -> HttpResponse:
    """Take the file, keep it for the import, and show the dry-run report."""
    import_access(request.user)
    form = UploadForm(request.POST, request.FILES)
    if upload_too_large(request):
        form.refuse_as_too_large()
        return _index(request, form, status=413)
    if not form.is_valid():
        return _index(request, form, status=400)
    upload, content = form.cleaned_data["file"], form.cleaned_data["content"]
    token, path = upload_new_path(request, upload.name)
    mapping = form.cleaned_data["mapping"]
    try:
        upload_store(upload, path)
        upload_remember(path, name=upload.name[:255], headers=[], content=content)
        if content != ImportContent.SALES:
            return master_check(
                request,
                path,
                token=token,
                file_name=upload.name,
                content=content,
                mapping_name=mapping.name if mapping else None,
            )
        return _check(
            request,
            path,
            token=token,
            file_name=upload.name,
            columns=None,
            mapping_name=mapping.name if mapping else None,
            dialect=None,
            create_missing=form.cleaned_data["create_missing"],
        )
    except ApplicationError as error:
        upload_discard(path)
        form.add_error("file", str(error.message))
        return _index(request, form, status=error.status)
    except BaseException:
        upload_discard(path)  # a failed upload is not kept for a day
        raise


@require_POST
def import_run_view(request: AuthenticatedRequest, token: str) -> HttpResponse:
    """Check again with a corrected mapping, or import for real."""
    import_access(request.user)
    path = upload_path(request, token)
    facts = upload_recall(path)
    if facts.get("content", ImportContent.SALES) != ImportContent.SALES:
        raise Http404  # master data continues at master_views.master_import_run_view
    file_name = facts.get("name", path.name)
    form = MappingForm(request.POST, headers=facts.get("headers", []))
    if not form.is_valid():
        return _report(
            request, token=token, file_name=file_name, result=None, form=form, status=400
        )
    columns, dialect = form.columns(), form.dialect()
    create_missing = form.cleaned_data["create_missing"]
    if form.cleaned_data["mapping_name"]:
        try:
            mapping_save(
                name=form.cleaned_data["mapping_name"],
                columns=columns,
                dialect=dict(dialect.__dict__),
                by=request.user,
            )
        except ApplicationError as error:  # a name another kind's mapping has
            form.add_error("mapping_name", str(error.message))
            return _report(
                request, token=token, file_name=file_name, result=None, form=form, status=400
            )
    if request.POST.get("action") != "import":
        return _check(
            request,
            path,
            token=token,
            file_name=file_name,
            columns=columns,
            mapping_name=None,
            dialect=dialect,
            create_missing=create_missing,
        )
    try:
        result = import_file(
            path,
            by=request.user,
            file_name=file_name,
            columns=columns,
            dialect=dialect,
            create_missing=create_missing,
        )
    except (ImportRefusedError, ColumnsMissingError) as refusal:
        return _refused(
            request,
            path,
            refusal,
            token=token,
            file_name=file_name,
            create_missing=create_missing,
        )
    upload_discard(path)
    messages.success(
        request,
        _(
            "%(file)s imported: %(added)s lines added, %(replaced)s replaced, "
            "%(unchanged)s unchanged."
        )
        % {
            "file": file_name,
            "added": f"{result.lines_added:n}",
            "replaced": f"{result.lines_replaced:n}",
            "unchanged": f"{result.lines_unchanged:n}",
        },
    )
    return redirect("imports:index")


@require_POST
def rollback_view(request: AuthenticatedRequest, run_id: int) -> HttpResponse:
    import_access(request.user)
    run = get_object_or_404(ImportRun, pk=run_id)
    try:
        import_rollback(run=run, by=request.user)
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request, _("The import of %(file)s has been rolled back.") % {"file": run.file_name}
        )
    return redirect("imports:index")


@require_POST
def cost_upload_view(request: AuthenticatedRequest) -> HttpResponse:
    """Costs per customer and period: small files, checked and imported in one step."""
    import_access(request.user)
    form = CostUploadForm(request.POST, request.FILES)
    if upload_too_large(request):
        form.refuse_as_too_large()
        return _index(request, UploadForm(), 413, cost_form=form)
    if not form.is_valid():
        return _index(request, UploadForm(), 400, cost_form=form)
    upload = form.cleaned_data["file"]
    suffix = Path(upload.name).suffix.lower()
    path = uploads_folder() / f"u{request.user.pk}-costs-{secrets.token_urlsafe(8)}{suffix}"
    upload_store(upload, path)
    try:
        result = import_costs(path, dry_run=form.cleaned_data["dry_run"])
    except CostImportRefusedError as refused:
        form.add_error("file", str(refused.message))
        return _index(
            request, UploadForm(), 422, cost_form=form, cost_problems=refused.result.problems
        )
    except ApplicationError as error:
        form.add_error("file", str(error.message))
        return _index(request, UploadForm(), error.status, cost_form=form)
    finally:
        path.unlink(missing_ok=True)
    message = _(
        "%(file)s: %(added)s costs added, %(replaced)s replaced, %(unchanged)s unchanged."
    ) % {
        "file": upload.name,
        "added": result.costs_added,
        "replaced": result.costs_replaced,
        "unchanged": result.costs_unchanged,
    }
    if result.dry_run:
        message = _("Checked, nothing imported. %(result)s") % {"result": message}
    messages.success(request, message)
    return redirect("imports:index")
