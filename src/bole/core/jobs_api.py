"""REST endpoints of background jobs: a login follows its own jobs (progress, errors, result file)."""

import datetime as dt
from typing import Any

from django.http import Http404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from .api import Pages
from .models import Job, JobFile
from .permissions import policy
from .register_jobs import import_confirm, is_confirmable
from .tasks import live, result_download

router = Router(tags=["jobs"])


class JobListOut(Schema):
    id: int
    title: str
    status: str
    phase: str
    done: int
    total: int
    percent: int
    error_count: int
    message: str
    created_at: dt.datetime
    finished_at: dt.datetime | None


class JobOut(JobListOut):
    seconds_left: float | None
    errors: list[str]
    result: dict[str, Any]
    attempts: int
    started_at: dt.datetime | None
    result_file: str | None


def job_out(job: Job, *, with_errors: bool = True) -> dict[str, Any]:
    p = live(job)
    has_file = JobFile.objects.filter(job=job, role="result").exists()
    return {
        "id": job.pk, "title": job.title, "status": job.status, "phase": p["phase"], "done": p["done"],
        "total": p["total"], "percent": p["percent"], "seconds_left": p["seconds_left"],
        "error_count": p["error_count"], "errors": (job.errors if job.finished else p["errors"]) if with_errors else [],
        "message": job.message, "result": job.result, "attempts": job.attempts, "created_at": job.created_at,
        "started_at": job.started_at, "finished_at": job.finished_at,
        "result_file": f"/api/v1/jobs/{job.pk}/result" if has_file else None,
    }


def _with_progress(rows: list[Job]) -> None:
    for job in rows:
        p = live(job)
        job.phase, job.done, job.total, job.error_count, job.percent = (
            p["phase"], p["done"], p["total"], p["error_count"], p["percent"])


@router.get("/jobs/", response=list[JobListOut])
@paginate(Pages, prepare=_with_progress)
def jobs(request):
    """The caller's background jobs, newest first (errors and results are on each job's own answer)."""
    policy.require(request.auth, "jobs")
    return policy.restrict(Job.objects.defer("params", "errors", "result"), request.auth).order_by("-id")


@router.get("/jobs/{job_id}", response=JobOut)
def job(request, job_id: int):
    """One job: status, rows done of total, time left, errors so far, the result and its file's address."""
    return job_out(policy.get(Job.objects.all(), request.auth, job_id))


@router.get("/jobs/{job_id}/result", response={200: None})
def job_result(request, job_id: int):
    """The job's result file (an export, an import's outcome or its errors)."""
    return result_download(policy.get(Job.objects.all(), request.auth, job_id))


@router.post("/jobs/{job_id}/confirm", response={202: JobOut})
def job_confirm(request, job_id: int):
    """Import the file of a check that found no error (a new job; 404 for anything else)."""
    check = policy.get(Job.objects.all(), request.auth, job_id)
    if not is_confirmable(check) or check.owner_id != request.auth.pk:
        raise Http404
    return Status(202, job_out(import_confirm(check=check, owner=request.auth)))
