"""A matching run on the task queue when it is large (bole.core.tasks); small ones run in the request."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from bole.core.tasks import JobFailed, background, job_submit

from . import services
from .models import MatchRun


def run_start(*, region, actor, params: dict[str, Any]):
    """Create the run; compute it now when needs × experts is small, else queue it. Returns (run, job or None)."""
    run = services.run_create(region=region, actor=actor, params=params)
    needs, experts = services.run_size(region)
    if needs * experts <= services.SYNC_LIMIT:
        return services.run_compute(run=run, actor=actor), None
    job = job_submit(func="bole.pairing.background.run_job", owner=actor,
                     title=_("产学研匹配：%(n)d 项需求 × %(e)d 位专家") % {"n": needs, "e": experts},
                     params={"run_id": run.pk})
    return run, job


@background
def run_job(ctx, *, run_id: int) -> dict[str, Any]:
    """Compute one queued matching run."""
    run = MatchRun.objects.get(pk=run_id)
    try:
        run = services.run_compute(run=run, actor=ctx.job.owner, progress=ctx)
    except ValidationError as exc:
        raise JobFailed("；".join(exc.messages)) from None
    return {"lines": [run.message], "pairs": run.pairs,
            "actions": [{"label": _("查看匹配结果"), "url": reverse("pairing-run", args=[run.pk]), "method": "get"}]}
