"""后台任务 pages: a login's jobs, one job's live progress (HTMX) and result, and the result's file."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import Job, JobFile, PeriodicRun
from .permissions import policy
from .register_jobs import import_confirm, is_confirmable
from .tasks import live, periodic_jobs, result_download


def _every(seconds: int) -> str:
    if seconds % 86400 == 0:
        return _("每天") if seconds == 86400 else _("每 %(n)d 天") % {"n": seconds // 86400}
    if seconds % 3600 == 0:
        return _("每小时") if seconds == 3600 else _("每 %(n)d 小时") % {"n": seconds // 3600}
    return _("每分钟") if seconds <= 60 else _("每 %(n)d 分钟") % {"n": seconds // 60}


def _job(request, pk) -> Job:
    return policy.get(Job.objects.select_related("owner"), request.user, pk)


@login_required
def job_list(request):
    """My background jobs, newest first (a county administrator sees everyone's, and the periodic jobs)."""
    policy.require(request.user, "jobs")
    qs = policy.restrict(Job.objects.select_related("owner"), request.user).defer("params", "errors", "result")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    periodic = None
    if policy.may(request.user, "audit"):
        runs = {r.name: r for r in PeriodicRun.objects.all()}
        periodic = [{"job": p, "run": runs.get(name), "every": _every(p.every)}
                    for name, p in sorted(periodic_jobs().items())]
    return render(request, "core/jobs.html", {"page": page, "periodic": periodic})


@login_required
def job_detail(request, pk):
    job = _job(request, pk)
    has_file = JobFile.objects.filter(job=job, role="result").exists()
    return render(request, "core/job.html", {"job": job, "p": live(job), "has_file": has_file,
                                             "confirmable": is_confirmable(job)})


@login_required
def job_progress(request, pk):
    """The progress fragment the job page polls; once the job has ended the page reloads to show the result."""
    job = _job(request, pk)
    resp = render(request, "core/_job_progress.html", {"job": job, "p": live(job)})
    if job.finished:
        resp["HX-Refresh"] = "true"
    return resp


@login_required
def job_result(request, pk):
    """The job's result file (the export, the import's outcome or errors)."""
    return result_download(_job(request, pk))


@login_required
@require_POST
def job_confirm(request, pk):
    """确认导入: the import of a check that found no error, as a new job."""
    check = _job(request, pk)
    if not is_confirmable(check) or check.owner_id != request.user.pk:
        raise Http404
    job = import_confirm(check=check, owner=request.user)
    return redirect(reverse("job-detail", args=[job.pk]))
