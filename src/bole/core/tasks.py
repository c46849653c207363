"""Long work off the request: jobs on the task queue, their progress, and the periodic schedule.

The queue is django-q2 (docs/TASKS.md says why): the embedded default keeps its queue in the database (SQLite or
PostgreSQL, no extra service), production points it at Redis (`BOLE_REDIS_URL`) and runs `bole worker` on as many
machines as it likes. Bole adds, for the work a user waits on:

- `Job` rows (core.models): who asked, what, status, rows done of total, errors so far, the result and its file.
  A view calls `job_submit(func=..., owner=..., params=..., input_file=...)` and redirects to the job's page,
  which polls the progress (HTMX) until the job ends; the API has the same at /api/v1/jobs/.
- `@background` marks the functions a job may run; each takes a `JobContext` first (`ctx.phase`, `ctx.advance`,
  `ctx.error`, `ctx.input()`, `ctx.result_file(...)`) and returns a dict, the job's result.
- Live progress goes to the `jobs` cache (the file cache in the data dir, Redis in production) because the work
  itself usually runs in one transaction that other connections cannot see into; it is copied onto the row at the
  end. A worker's heartbeat goes there too: a job whose worker died (killed, out of memory, machine lost) has no
  heartbeat, and `jobs_reap` (every minute) queues it again, up to `MAX_ATTEMPTS`, then marks it failed. The work
  writes in one transaction, so a dead worker leaves nothing half-written and a retry starts clean.
- Periodic jobs (each app's declared `periodic` entries) become django-q2 schedules (`schedules_sync`, run by
  `bole worker` at start); each runs as its own task, so one job's exception stops nothing else. A failed run is
  retried after 1 and 5 minutes; the jobs are idempotent, so a retry or an overlap does no harm.

`settings.BOLE_TASKS_SYNC` (the tests) runs every job inside `job_submit`, with the same code path after the queue.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .models import Job, JobFile, JobStatus, PeriodicRun
from .notices import Notice, notify, site_language
from .plugins import periodic

log = logging.getLogger("bole.tasks")

MAX_ATTEMPTS = 3  # a job whose worker died is run again until this many attempts have started
HEARTBEAT_S = 5  # a running job's worker writes its heartbeat this often …
STALE_S = int(os.environ.get("BOLE_JOB_STALE_S", 60))  # … and a job with no heartbeat this long lost its worker
MAX_ERRORS_KEPT = 1000  # errors stored on the row (the count is exact)
PUBLISH_EVERY_S = 0.5  # progress reaches the cache at most this often


class JobFailed(Exception):
    """Raised by job code for an expected failure (a workbook with errors …): the job ends failed with this
    message and its errors, and is not retried."""


def background(func: Callable) -> Callable:
    """Mark a function a job may run: `func(ctx: JobContext, **params) -> dict`."""
    func.bole_background = True
    return func


def _resolve(path: str) -> Callable:
    func = import_string(path)
    if not getattr(func, "bole_background", False):
        raise ValueError(f"{path} is not a background function")
    return func


def _cache():
    return caches["jobs"]


def _key(job_id: int, what: str = "progress") -> str:
    return f"bole:job:{job_id}:{what}"


# --- progress -----------------------------------------------------------------------------------------------


class JobContext:
    """What running job code reports through: phases, rows done of total, errors; its input and result files."""

    def __init__(self, job: Job, *, sink: Callable[[dict], None] | None = None):
        self.job = job
        self.total = 0
        self.done = 0
        self.phase_label = ""
        self.errors: list[str] = []
        self.error_count = 0
        self.started = time.monotonic()
        self._phase_started = self.started
        self._published = 0.0
        self._sink = sink

    def phase(self, label: str, total: int = 0) -> None:
        """Start a stage of the work ("读取文件", "校验", "写入") with `total` steps (0: unknown)."""
        self.phase_label, self.total, self.done = str(label), int(total), 0
        self._phase_started = time.monotonic()
        self.publish(force=True)

    def advance(self, n: int = 1) -> None:
        self.done += n
        self.publish()

    def set_done(self, done: int) -> None:
        self.done = done
        self.publish()

    def error(self, text: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(str(text))
        self.publish()

    def seconds_left(self) -> float | None:
        """Left in this phase at this phase's pace so far (None until there is a pace)."""
        if not self.total or not self.done:
            return None
        spent = time.monotonic() - self._phase_started
        return max(0.0, spent / self.done * (self.total - self.done))

    def snapshot(self) -> dict[str, Any]:
        return {"phase": self.phase_label, "done": self.done, "total": self.total, "error_count": self.error_count,
                "errors": self.errors[-20:], "seconds_left": self.seconds_left()}

    def publish(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._published < PUBLISH_EVERY_S:
            return
        self._published = now
        snap = self.snapshot()
        if self._sink is not None:
            self._sink(snap)
        if self.job.pk:
            try:
                _cache().set(_key(self.job.pk), snap, 3600)
            except Exception:  # progress is a courtesy: a cache outage must not fail the work
                log.warning("job %s: progress not published", self.job.pk, exc_info=True)

    def input(self) -> bytes:
        row = JobFile.objects.filter(job=self.job, role="input").only("data").first()
        return bytes(row.data) if row else b""

    def result_file(self, *, name: str, content_type: str, data: bytes) -> None:
        JobFile.objects.update_or_create(job=self.job, role="result",
                                         defaults={"name": name, "content_type": content_type, "data": data})


def result_download(job: Job):
    """The job's result file as a download (404 when it has none)."""
    f = JobFile.objects.filter(job=job, role="result").first()
    if f is None:
        raise Http404
    resp = HttpResponse(bytes(f.data), content_type=f.content_type)
    resp["Content-Disposition"] = f"attachment; filename={f.name}"
    return resp


def live(job: Job) -> dict[str, Any]:
    """The job's progress as a page or the API shows it: the cache while it runs, the row once it has ended."""
    snap = None
    if job.status == JobStatus.RUNNING:
        try:
            snap = _cache().get(_key(job.pk))
        except Exception:
            snap = None
    if snap is None:
        snap = {"phase": job.phase, "done": job.done, "total": job.total, "error_count": job.error_count,
                "errors": job.errors[-20:], "seconds_left": None}
    total, done = snap["total"], snap["done"]
    snap["percent"] = 100 if job.status == JobStatus.DONE else (int(done * 100 / total) if total else 0)
    return snap


# --- submit and run -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InputFile:
    name: str
    content_type: str
    data: bytes


def job_submit(*, func: str, title: str, owner, params: dict | None = None, input_file: InputFile | None = None) -> Job:
    """Create the job (and its input file) and queue it once the surrounding transaction commits."""
    _resolve(func)  # refuse an unmarked function now, not on the worker
    with transaction.atomic():
        job = Job.objects.create(func=func, title=str(title)[:200], owner=owner, params=params or {})
        if input_file is not None:
            JobFile.objects.create(job=job, role="input", name=input_file.name[:200],
                                   content_type=input_file.content_type, data=input_file.data)
    enqueue(job.pk)
    if getattr(settings, "BOLE_TASKS_SYNC", False):
        job.refresh_from_db()
    return job


def enqueue(job_id: int) -> None:
    if getattr(settings, "BOLE_TASKS_SYNC", False):
        run_job(job_id)
        return
    from django_q.tasks import async_task

    transaction.on_commit(lambda: async_task("bole.core.tasks.run_job", job_id, task_name=f"job-{job_id}",
                                             group="jobs"))


def call_later(func: str, *args) -> None:
    """Run a short task (texts to phones …) on a worker once the surrounding transaction commits; nothing to
    follow, no progress (long work is a Job). Synchronous under BOLE_TASKS_SYNC."""
    def go():
        if getattr(settings, "BOLE_TASKS_SYNC", False):
            import_string(func)(*args)
        else:
            from django_q.tasks import async_task

            async_task(func, *args, group="calls")

    transaction.on_commit(go)


def _claim(job_id: int) -> Job | None:
    """Move a queued job to running (one worker wins); None if it is running elsewhere or has ended."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != JobStatus.QUEUED:
            return None
        job.status = JobStatus.RUNNING
        job.attempts += 1
        job.started_at = timezone.now()
        job.save(update_fields=["status", "attempts", "started_at"])
    return job


class _Heartbeat(threading.Thread):
    def __init__(self, job_id: int):
        super().__init__(daemon=True, name=f"job-{job_id}-heartbeat")
        self.job_id = job_id
        self.stopped = threading.Event()

    def beat(self) -> None:
        try:
            _cache().set(_key(self.job_id, "beat"), time.time(), STALE_S * 10)
        except Exception:
            log.warning("job %s: heartbeat not written", self.job_id, exc_info=True)

    def run(self) -> None:
        while not self.stopped.wait(HEARTBEAT_S):
            self.beat()


def run_job(job_id: int) -> str:
    """The queue's task: run one job to its end (done or failed) and tell its owner."""
    job = _claim(job_id)
    if job is None:
        return "skipped"
    heart = _Heartbeat(job_id)
    heart.beat()
    heart.start()
    ctx = JobContext(job)
    try:
        result = _resolve(job.func)(ctx, **job.params) or {}
        status, message = JobStatus.DONE, ""
    except JobFailed as exc:
        result, status, message = {}, JobStatus.FAILED, str(exc)
    except Exception as exc:
        log.exception("job %s (%s) failed", job_id, job.func)
        result, status = {}, JobStatus.FAILED
        message = _("任务执行出错：%(e)s") % {"e": type(exc).__name__}
    finally:
        heart.stopped.set()
    Job.objects.filter(pk=job_id).update(
        status=status, message=message[:500], result=result, finished_at=timezone.now(), phase=ctx.phase_label,
        total=ctx.total, done=ctx.done if status == JobStatus.FAILED else max(ctx.done, ctx.total),
        error_count=ctx.error_count, errors=ctx.errors,
    )
    _cache().delete_many([_key(job_id), _key(job_id, "beat")])
    job.refresh_from_db()
    _tell_owner(job)
    return status


def _tell_owner(job: Job) -> None:
    if job.owner_id is None:
        return
    from django.urls import reverse

    with site_language():
        text = (_("后台任务已完成：%(t)s") if job.status == JobStatus.DONE else _("后台任务失败：%(t)s")) % {"t": job.title}
        notify([Notice(recipient_id=job.owner_id, object_type="core.job", object_id=str(job.pk),
                       event=str(job.status), text=text[:300], link=reverse("job-detail", args=[job.pk]))])


def jobs_reap() -> dict[str, int]:
    """Jobs whose worker died: queued again while attempts remain, else failed. Idempotent; runs every minute."""
    now = time.time()
    requeued = failed = 0
    for job in Job.objects.filter(status=JobStatus.RUNNING).only("pk", "attempts", "started_at"):
        beat = _cache().get(_key(job.pk, "beat"))
        started = job.started_at.timestamp() if job.started_at else 0
        if max(beat or 0, started) > now - STALE_S:
            continue
        if job.attempts < MAX_ATTEMPTS:
            if Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(status=JobStatus.QUEUED):
                log.warning("job %s lost its worker; queued again (attempt %s of %s)", job.pk, job.attempts + 1,
                            MAX_ATTEMPTS)
                enqueue(job.pk)
                requeued += 1
        elif Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
            status=JobStatus.FAILED, finished_at=timezone.now(),
            message=_("工作进程中断，已重试 %(n)d 次仍未完成；未写入任何数据") % {"n": job.attempts},
        ):
            failed += 1
            _tell_owner(Job.objects.get(pk=job.pk))
    return {"requeued": requeued, "failed": failed}


def jobs_clear(days: int = 30) -> dict[str, int]:
    """Remove ended jobs (and their files) older than `days`."""
    cutoff = timezone.now() - dt.timedelta(days=days)
    deleted, _ = Job.objects.filter(finished_at__lt=cutoff).delete()
    return {"deleted": deleted}


# --- periodic jobs ------------------------------------------------------------------------------------------

RETRY_AFTER_S = (60, 300)  # a failed periodic run is tried again after these delays


def periodic_jobs() -> dict[str, Any]:
    """Every app's declared periodic jobs by name."""
    return {p.name: p for p in periodic()}


def schedules_sync() -> dict[str, int]:
    """Make the queue's schedules match the declared periodic jobs (idempotent; `bole worker` calls it)."""
    from django_q.models import Schedule

    wanted = periodic_jobs()
    made = 0
    for name, p in wanted.items():
        minutes = max(1, round(p.every / 60))
        _s, created = Schedule.objects.update_or_create(
            name=f"bole:{name}",
            defaults={"func": "bole.core.tasks.run_periodic", "kwargs": repr({"name": name}),
                      "schedule_type": Schedule.MINUTES, "minutes": minutes, "repeats": -1},
        )
        made += created
    stale = Schedule.objects.filter(name__startswith="bole:").exclude(
        name__in=[f"bole:{n}" for n in wanted]).exclude(schedule_type=Schedule.ONCE)
    removed = stale.delete()[0]
    return {"schedules": len(wanted), "created": made, "removed": removed}


def run_periodic(name: str, attempt: int = 1) -> str:
    """Run one periodic job; its exception is recorded and retried later, never passed on to the others."""
    p = periodic_jobs().get(name)
    if p is None:
        return "unknown"
    PeriodicRun.objects.update_or_create(name=name, defaults={"last_started": timezone.now()})
    try:
        result = p.resolve()()
    except Exception as exc:
        log.exception("periodic job %s failed (attempt %s)", name, attempt)
        run = PeriodicRun.objects.get(name=name)
        run.ok, run.failures, run.last_finished = False, run.failures + 1, timezone.now()
        run.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        run.save()
        if attempt <= len(RETRY_AFTER_S) and not getattr(settings, "BOLE_TASKS_SYNC", False):
            from django_q.models import Schedule

            Schedule.objects.create(
                name=f"bole:{name}:retry:{attempt}:{int(time.time())}", func="bole.core.tasks.run_periodic",
                kwargs=repr({"name": name, "attempt": attempt + 1}), schedule_type=Schedule.ONCE, repeats=1,
                next_run=timezone.now() + dt.timedelta(seconds=RETRY_AFTER_S[attempt - 1]),
            )
        return "failed"
    PeriodicRun.objects.filter(name=name).update(ok=True, failures=0, last_finished=timezone.now(),
                                                 last_result=str(result)[:500], last_error="")
    return "ok"
