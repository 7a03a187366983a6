"""Analysis runs in the web app: the list, starting one, its progress by htmx polling."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kundenbild.accounts.requests import AuthenticatedRequest
from kundenbild.core.errors import ConflictError
from kundenbild.insights.explanations import PHASE_HELP, VALUE_TYPE_HELP
from kundenbild.insights.models import PHASE_CHOICES, VALUE_TYPE_CHOICES, AnalysisRun
from kundenbild.insights.permissions import analysis_can_start, analysis_start_access
from kundenbild.insights.selectors import (
    analysis_run_active,
    analysis_run_list,
    latest_run,
    value_type_counts,
)
from kundenbild.insights.tasks import analysis_run_start


def run_list_view(request: AuthenticatedRequest) -> HttpResponse:
    latest = latest_run()
    raw_run = request.GET.get("run", "")
    shown = AnalysisRun.objects.filter(pk=int(raw_run)).first() if raw_run.isdigit() else None
    context = {
        "runs": analysis_run_list(),
        "active": shown or analysis_run_active(),
        "latest": latest,
        "counts": value_type_counts(latest) if latest else [],
        "can_start": analysis_can_start(request.user),
    }
    return render(request, "insights/run_list.html", context)


@require_POST
def run_start_view(request: AuthenticatedRequest) -> HttpResponse:
    analysis_start_access(request.user)
    try:
        run = analysis_run_start(by=request.user)
    except ConflictError as error:
        messages.warning(request, str(error.message))
        return redirect("insights:run-list")
    return redirect(reverse("insights:run-list") + f"?run={run.pk}")


def run_progress_view(request: AuthenticatedRequest, run_id: int) -> HttpResponse:
    """The progress of one run; htmx polls it until the run has finished."""
    run = get_object_or_404(AnalysisRun, pk=run_id)
    response = render(request, "insights/_run_progress.html", {"run": run})
    if run.is_finished and getattr(request, "htmx", False):
        response["HX-Refresh"] = "true"  # the whole page, with the new result
    return response


def value_types_help_view(request: AuthenticatedRequest) -> HttpResponse:
    """The six value types and the lifecycle phases, in the seed's words."""
    context = {
        "types": [(code, label, VALUE_TYPE_HELP[code]) for code, label in VALUE_TYPE_CHOICES],
        "phases": [(code, label, PHASE_HELP[code]) for code, label in PHASE_CHOICES],
    }
    return render(request, "insights/value_types_help.html", context)
