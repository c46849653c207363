"""Background jobs: submit, progress, result, errors, scope, a lost worker, the API, and periodic jobs."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from bole.core.models import Job, JobStatus, PeriodicRun
from bole.core.tasks import JobContext, background, job_submit, jobs_reap, live, run_periodic
from bole.org.models import Person

from .test_import_export import HEAD, idn, xlsx

pytestmark = pytest.mark.django_db

CALLS: list[dict] = []


@background
def counting_job(ctx, *, n: int, fail_at: int = -1) -> dict:
    ctx.phase("计数", n)
    for i in range(n):
        if i == fail_at:
            raise RuntimeError("boom")
        ctx.advance()
    CALLS.append({"n": n})
    return {"lines": [f"counted {n}"], "actions": []}


def broken_job():
    return 1 / 0


def not_marked(ctx):  # pragma: no cover - must never run
    raise AssertionError


def test_a_job_runs_to_done_and_tells_its_owner(users):
    job = job_submit(func="tests.core.test_tasks.counting_job", title="计数", owner=users["town1"], params={"n": 7})
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and (job.done, job.total) == (7, 7) and job.attempts == 1
    assert job.result["lines"] == ["counted 7"] and live(job)["percent"] == 100
    note = users["town1"].notifications.get()
    assert note.object_id == str(job.pk) and note.link == f"/jobs/{job.pk}/" and "已完成" in note.text


def test_an_exception_fails_the_job_visibly_without_a_500(users, login):
    job = job_submit(func="tests.core.test_tasks.counting_job", title="计数", owner=users["admin"],
                     params={"n": 5, "fail_at": 3})
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.done == 3 and "RuntimeError" in job.message
    html = login("admin").get(f"/jobs/{job.pk}/").content.decode()
    assert "任务执行出错" in html and "后台任务失败" in users["admin"].notifications.get().text


def test_only_marked_functions_run():
    with pytest.raises(ValueError):
        job_submit(func="tests.core.test_tasks.not_marked", title="x", owner=None)
    with pytest.raises(ImportError):
        job_submit(func="os.nonexistent", title="x", owner=None)


def test_jobs_are_their_owners_alone(users, login):
    mine = job_submit(func="tests.core.test_tasks.counting_job", title="甲的任务", owner=users["town1"],
                      params={"n": 1})
    c = login("town2")
    assert c.get(f"/jobs/{mine.pk}/").status_code == 404
    assert c.get(f"/jobs/{mine.pk}/progress/").status_code == 404
    assert "甲的任务" not in c.get("/jobs/").content.decode()
    assert "甲的任务" in login("town1").get("/jobs/").content.decode()
    # The county's administrators see every job, and the periodic jobs.
    html = login("admin").get("/jobs/").content.decode()
    assert "甲的任务" in html and "定时任务" in html


def test_the_progress_fragment_polls_until_the_job_ends(users, login):
    job = Job.objects.create(func="tests.core.test_tasks.counting_job", title="t", owner=users["town1"],
                             status=JobStatus.RUNNING, params={"n": 1})
    ctx = JobContext(job)
    ctx.phase("校验各行", 200)
    ctx.advance(50)
    ctx.publish(force=True)
    c = login("town1")
    resp = c.get(f"/jobs/{job.pk}/progress/")
    html = resp.content.decode()
    assert 'hx-trigger="every 1s"' in html and "50 / 200" in html and 'value="25"' in html
    assert "HX-Refresh" not in resp
    Job.objects.filter(pk=job.pk).update(status=JobStatus.DONE)
    resp = c.get(f"/jobs/{job.pk}/progress/")
    assert resp["HX-Refresh"] == "true" and "every 1s" not in resp.content.decode()


def test_a_job_whose_worker_died_runs_again_then_fails_after_its_last_attempt(users):
    job = Job.objects.create(func="tests.core.test_tasks.counting_job", title="t", owner=users["town1"],
                             status=JobStatus.RUNNING, params={"n": 2}, attempts=1,
                             started_at="2020-01-01T00:00:00Z")
    CALLS.clear()
    assert jobs_reap() == {"requeued": 1, "failed": 0}
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2 and CALLS == [{"n": 2}]
    # A running job with a fresh heartbeat is left alone; a dead one past its attempts fails, visibly.
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=3, started_at="2020-01-01T00:00:00Z")
    assert jobs_reap() == {"requeued": 0, "failed": 1}
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "工作进程中断" in job.message
    fresh = Job.objects.create(func="tests.core.test_tasks.counting_job", title="t", owner=None,
                               status=JobStatus.RUNNING, params={"n": 1}, attempts=1)
    from django.utils import timezone

    Job.objects.filter(pk=fresh.pk).update(started_at=timezone.now())
    assert jobs_reap() == {"requeued": 0, "failed": 0}


def test_a_job_runs_once_however_often_it_is_delivered(users):
    from bole.core.tasks import run_job

    job = job_submit(func="tests.core.test_tasks.counting_job", title="t", owner=None, params={"n": 1})
    CALLS.clear()
    assert run_job(job.pk) == "skipped" and CALLS == []


def test_import_with_errors_fails_listing_every_error_and_writes_nothing(users, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = login("admin")
    rows = [HEAD, ["孙八", "123", "", "", "", "武康街道党工委", "", "", "", ""],
            ["周九", idn("19900301", 12), "", "", "", "没有这个单位", "", "", "", ""]]
    resp = c.post("/people/import/", {"file": SimpleUploadedFile("p.xlsx", xlsx(rows))})
    job = Job.objects.get()
    assert resp["Location"] == f"/jobs/{job.pk}/"
    assert job.status == JobStatus.FAILED and job.error_count == 2 and "2 处错误" in job.message
    html = c.get(f"/jobs/{job.pk}/").content.decode()
    assert "第2行" in html and "第3行" in html and "没有这个单位" in html and "确认导入" not in html
    wb = load_workbook(io.BytesIO(c.get(f"/jobs/{job.pk}/result/").content))
    errors = list(wb.worksheets[0].iter_rows(values_only=True))[1:]
    assert [e[1] for e in errors] == [2, 3] and errors[1][3] == "没有这个单位"
    assert not Person.objects.filter(name__in=["孙八", "周九"]).exists()


def test_large_exports_become_jobs_small_ones_download(users, login, settings):
    c = login("admin")
    small = c.get("/people/export.xlsx")
    assert small["Content-Type"].startswith("application/vnd.openxmlformats")
    settings.BOLE_EXPORT_INLINE_MAX = 0
    resp = c.get("/people/export.xlsx?q=张")
    job = Job.objects.get()
    assert resp["Location"] == f"/jobs/{job.pk}/" and job.status == JobStatus.DONE
    wb = load_workbook(io.BytesIO(c.get(f"/jobs/{job.pk}/result/").content))
    names = [r[0] for r in list(wb.worksheets[0].iter_rows(values_only=True))[1:]]
    assert names == ["张三"] and job.params["query"] == {"q": "张"}


def test_the_api_imports_as_a_job_and_serves_the_result(users, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bole.core.api import token_issue

    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=users['admin'])}"}
    data = xlsx([HEAD, ["吴十", idn("19900301", 13), "", "", "", "武康街道党工委", "", "", "", ""]])
    resp = client.post("/api/v1/registers/people/imports", {"file": SimpleUploadedFile("p.xlsx", data)}, **auth)
    assert resp.status_code == 202, resp.content
    body = resp.json()
    assert body["status"] == "done" and body["result"]["created"] == 1
    assert Person.objects.filter(name="吴十").exists()
    job = client.get(f"/api/v1/jobs/{body['id']}", **auth).json()
    assert job["percent"] == 100 and job["result_file"] == f"/api/v1/jobs/{body['id']}/result"
    assert client.get(job["result_file"], **auth).status_code == 200
    listed = client.get("/api/v1/jobs/", **auth).json()
    assert listed["count"] == 1 and listed["items"][0]["percent"] == 100 and listed["next"] is None
    # Someone else's job is unknown; an unknown register too.
    other = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=users['town1'])}"}
    assert client.get(f"/api/v1/jobs/{body['id']}", **other).status_code == 404
    assert client.post("/api/v1/registers/nothing/imports", {"file": SimpleUploadedFile("p.xlsx", data)},
                       **auth).status_code == 404


def test_periodic_job_errors_are_isolated_recorded_and_cleared_by_the_next_run(users, monkeypatch):
    from bole.core import tasks

    real = tasks.periodic_jobs()
    broken = type(real["core.sessions"])("core.sessions", 60, "tests.core.test_tasks.broken_job")
    monkeypatch.setattr(tasks, "periodic_jobs", lambda: {**real, "core.sessions": broken})
    assert run_periodic("core.sessions") == "failed"
    assert run_periodic("cases.sweep") == "ok"
    run = PeriodicRun.objects.get(name="core.sessions")
    assert not run.ok and run.failures == 1 and "ZeroDivisionError" in run.last_error
    monkeypatch.setattr(tasks, "periodic_jobs", lambda: real)
    assert run_periodic("core.sessions") == "ok"
    run.refresh_from_db()
    assert run.ok and run.failures == 0 and run.last_error == ""


def test_texts_logged_by_the_default_backend_are_not_swallowed_by_the_root_level():
    """The logging SMS backend writes at INFO; the root logger stays at WARNING, Bole's own loggers at INFO."""
    import logging

    assert logging.getLogger("bole.sms").isEnabledFor(logging.INFO)
    assert logging.getLogger().level == logging.WARNING


def test_an_import_error_keeps_no_whole_id_number(users, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    existing = Person.objects.first()
    rows = [HEAD, ["孙八", existing.id_number, "", "", "", "武康街道党工委", "", "", "", ""]]
    login("admin").post("/people/import/", {"file": SimpleUploadedFile("p.xlsx", xlsx(rows))})
    job = Job.objects.get()
    assert job.error_count == 1 and "系统中已存在" in job.errors[0]
    assert existing.id_number not in job.errors[0] and existing.id_number[-4:] in job.errors[0]
