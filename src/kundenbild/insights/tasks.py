"""Background tasks: the analysis run started from the web app."""

from __future__ import annotations

from django_tasks import task

from kundenbild.insights.models import AnalysisRun
from kundenbild.insights.services import analysis_run_execute


@task()
def analysis_run_task(run_id: int) -> str:
    """Execute a queued run; returns its final status (done or failed)."""
    run = AnalysisRun.objects.get(pk=run_id)
    return str(analysis_run_execute(run=run).status)
