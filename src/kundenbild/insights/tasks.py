"""Background work: the analysis run started from the web app or the API.

Starting a run lives here, beside the task it queues, so that services.py (which creates
and executes runs) never imports this module, and this module imports services.py: one
direction, no circle.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django_tasks import task

from kundenbild.accounts.models import User
from kundenbild.insights.models import AnalysisRun
from kundenbild.insights.services import analysis_run_create, analysis_run_execute


@task()
def analysis_run_task(run_id: int) -> str:
    """Execute a queued run; returns its final status (done or failed)."""
    run = AnalysisRun.objects.get(pk=run_id)
    return str(analysis_run_execute(run=run).status)


def analysis_run_start(*, as_of: date | None = None, by: User | None = None) -> AnalysisRun:
    """Queue a run and hand it to the background worker (django-tasks) once committed."""
    run = analysis_run_create(as_of=as_of, by=by)
    transaction.on_commit(lambda: analysis_run_task.enqueue(run.pk))
    return run
